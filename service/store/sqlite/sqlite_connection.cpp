#include "store/sqlite/sqlite_connection.hpp"

#include <sqlite3.h>

#include <algorithm>

namespace vokter::store {

namespace {

[[noreturn]] void fail(sqlite3* db, int code, std::string_view what) {
    std::string message(what);
    message += ": ";
    message += db ? sqlite3_errmsg(db) : sqlite3_errstr(code);
    throw StoreError(message, db ? sqlite3_extended_errcode(db) : code);
}

void check(sqlite3* db, int code, std::string_view what) {
    if (code != SQLITE_OK) fail(db, code, what);
}

// Process-wide SQLite settings, made once before the first connection opens. Memory statistics
// off: with them on, every allocation SQLite makes takes one global mutex, which the reader
// connections of all request threads and the writer would contend for.
void configure_sqlite() {
    static const bool configured = [] {
        sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
        return true;
    }();
    (void)configured;
}

}  // namespace

SqliteStatement::~SqliteStatement() {
    sqlite3_finalize(stmt_);
}

Statement& SqliteStatement::bind_int64(int index, std::int64_t value) {
    check(db_, sqlite3_bind_int64(stmt_, index, value), "bind");
    return *this;
}

Statement& SqliteStatement::bind_real(int index, double value) {
    check(db_, sqlite3_bind_double(stmt_, index, value), "bind");
    return *this;
}

Statement& SqliteStatement::bind_text(int index, std::string_view text) {
    check(
        db_,
        sqlite3_bind_text64(stmt_, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8),
        "bind");
    return *this;
}

Statement& SqliteStatement::bind_blob(int index, std::string_view bytes) {
    check(db_, sqlite3_bind_blob64(stmt_, index, bytes.data(), bytes.size(), SQLITE_TRANSIENT),
          "bind");
    return *this;
}

Statement& SqliteStatement::bind_null(int index) {
    check(db_, sqlite3_bind_null(stmt_, index), "bind");
    return *this;
}

bool SqliteStatement::step() {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    const std::string sql = sqlite3_sql(stmt_);
    sqlite3_reset(stmt_);
    fail(db_, rc, "step (" + sql.substr(0, 60) + ")");
}

std::int64_t SqliteStatement::int64(int column) const {
    return sqlite3_column_int64(stmt_, column);
}
double SqliteStatement::real(int column) const {
    return sqlite3_column_double(stmt_, column);
}
bool SqliteStatement::is_null(int column) const {
    return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

std::string_view SqliteStatement::text_view(int column) const {
    const auto* data = reinterpret_cast<const char*>(sqlite3_column_blob(stmt_, column));
    const int size = sqlite3_column_bytes(stmt_, column);
    return data ? std::string_view(data, static_cast<std::size_t>(size)) : std::string_view();
}

void SqliteStatement::reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
}

SqliteConnection::SqliteConnection(const std::string& path, Durability durability, bool read_only) {
    configure_sqlite();
    const int flags =
        (read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) |
        SQLITE_OPEN_NOMUTEX;
    const int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
    if (rc != SQLITE_OK) {
        std::string message = "cannot open database " + path + ": " +
                              (db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc));
        sqlite3_close_v2(db_);
        db_ = nullptr;
        throw StoreError(message, rc);
    }
    sqlite3_extended_result_codes(db_, 1);
    sqlite3_busy_timeout(db_, 5000);
    try {  // a constructor that throws runs no destructor: close the handle here
        if (!read_only) exec("PRAGMA journal_mode=WAL");
        exec("PRAGMA foreign_keys=ON");
        // Deleted and overwritten rows are zeroed on the pages written anyway, so that personal
        // data erased or past its retention period does not linger in the file's free space.
        exec("PRAGMA secure_delete=FAST");
        exec(durability == Durability::full ? "PRAGMA synchronous=FULL"
                                            : "PRAGMA synchronous=NORMAL");
    } catch (...) {
        cache_.clear();
        sqlite3_close_v2(db_);
        db_ = nullptr;
        throw;
    }
}

SqliteConnection::~SqliteConnection() {
    cache_.clear();
    sqlite3_close_v2(db_);
}

Statement& SqliteConnection::prepare(const char* sql) {
    if (auto found = cache_.find(sql); found != cache_.end()) {
        found->second->reset();
        return *found->second;
    }
    sqlite3_stmt* stmt = nullptr;
    check(db_, sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr),
          std::string("prepare (") + std::string(sql).substr(0, 60) + ")");
    auto& slot = cache_[sql];
    slot = std::make_unique<SqliteStatement>(db_, stmt);
    return *slot;
}

void SqliteConnection::reset_statements() {
    for (auto& [sql, stmt] : cache_)
        stmt->reset();
}

void SqliteConnection::exec(std::string_view sql) {
    char* error = nullptr;
    const std::string text(sql);
    const int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &error);
    if (rc != SQLITE_OK) {
        std::string message = error ? error : sqlite3_errstr(rc);
        sqlite3_free(error);
        throw StoreError(message, sqlite3_extended_errcode(db_));
    }
}

int SqliteConnection::changes() const {
    return sqlite3_changes(db_);
}

void SqliteConnection::set_busy_timeout(int ms) {
    sqlite3_busy_timeout(db_, ms);
}
bool SqliteConnection::in_transaction() const {
    return sqlite3_get_autocommit(db_) == 0;
}
std::size_t SqliteConnection::page_cache_bytes() const {
    int used = 0;
    int highwater = 0;
    sqlite3_db_status(db_, SQLITE_DBSTATUS_CACHE_USED, &used, &highwater, 0);
    return static_cast<std::size_t>(std::max(used, 0));
}

bool SqliteConnection::is_read_only() const {
    return sqlite3_db_readonly(db_, "main") == 1;
}

}  // namespace vokter::store
