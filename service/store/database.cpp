#include "store/database.hpp"

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

bool StoreError::is_busy() const {
    return (code_ & 0xFF) == SQLITE_BUSY || (code_ & 0xFF) == SQLITE_LOCKED;
}
bool StoreError::is_read_only() const {
    return (code_ & 0xFF) == SQLITE_READONLY;
}
bool StoreError::is_damaged() const {
    return (code_ & 0xFF) == SQLITE_CORRUPT || (code_ & 0xFF) == SQLITE_NOTADB;
}

bool StoreError::is_unavailable() const {
    switch (code_ & 0xFF) {
        case SQLITE_BUSY:
        case SQLITE_LOCKED:
        case SQLITE_READONLY:
        case SQLITE_FULL:
        case SQLITE_IOERR:
        case SQLITE_CANTOPEN:
        case SQLITE_PROTOCOL:
        case SQLITE_NOMEM:
        case SQLITE_CORRUPT:
        case SQLITE_NOTADB:
            return true;
        default:
            return false;
    }
}

std::string StoreError::reason() const {
    switch (code_ & 0xFF) {
        case SQLITE_FULL:
            return "the disk is full";
        case SQLITE_BUSY:
        case SQLITE_LOCKED:
            return "the database is locked by another connection";
        case SQLITE_READONLY:
            return "the database cannot be written (read-only)";
        case SQLITE_IOERR:
        case SQLITE_CANTOPEN:
        case SQLITE_PROTOCOL:
            return "the database file cannot be read or written (I/O error)";
        case SQLITE_NOMEM:
            return "out of memory";
        case SQLITE_CORRUPT:
        case SQLITE_NOTADB:
            return "the database file is damaged";
        default:
            return what();
    }
}

Statement::~Statement() {
    sqlite3_finalize(stmt_);
}

Statement& Statement::bind(int index, std::int64_t value) {
    check(db_, sqlite3_bind_int64(stmt_, index, value), "bind");
    return *this;
}

Statement& Statement::bind(int index, double value) {
    check(db_, sqlite3_bind_double(stmt_, index, value), "bind");
    return *this;
}

Statement& Statement::bind(int index, std::string_view text) {
    check(
        db_,
        sqlite3_bind_text64(stmt_, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8),
        "bind");
    return *this;
}

Statement& Statement::bind_blob(int index, std::string_view bytes) {
    check(db_, sqlite3_bind_blob64(stmt_, index, bytes.data(), bytes.size(), SQLITE_TRANSIENT),
          "bind");
    return *this;
}

Statement& Statement::bind_null(int index) {
    check(db_, sqlite3_bind_null(stmt_, index), "bind");
    return *this;
}

bool Statement::step() {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    const std::string sql = sqlite3_sql(stmt_);
    sqlite3_reset(stmt_);
    fail(db_, rc, "step (" + sql.substr(0, 60) + ")");
}

std::int64_t Statement::int64(int column) const {
    return sqlite3_column_int64(stmt_, column);
}
double Statement::real(int column) const {
    return sqlite3_column_double(stmt_, column);
}
bool Statement::is_null(int column) const {
    return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

std::string_view Statement::text_view(int column) const {
    const auto* data = reinterpret_cast<const char*>(sqlite3_column_blob(stmt_, column));
    const int size = sqlite3_column_bytes(stmt_, column);
    return data ? std::string_view(data, static_cast<std::size_t>(size)) : std::string_view();
}

std::string Statement::text(int column) const {
    return std::string(text_view(column));
}

void Statement::reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
}

Connection::Connection(const std::string& path, Durability durability, bool read_only) {
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
        exec(durability == Durability::full ? "PRAGMA synchronous=FULL"
                                            : "PRAGMA synchronous=NORMAL");
    } catch (...) {
        cache_.clear();
        sqlite3_close_v2(db_);
        db_ = nullptr;
        throw;
    }
}

Connection::~Connection() {
    cache_.clear();
    sqlite3_close_v2(db_);
}

Statement& Connection::prepare(const char* sql) {
    if (auto found = cache_.find(sql); found != cache_.end()) {
        found->second->reset();
        return *found->second;
    }
    sqlite3_stmt* stmt = nullptr;
    check(db_, sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr),
          std::string("prepare (") + std::string(sql).substr(0, 60) + ")");
    auto& slot = cache_[sql];
    slot = std::make_unique<Statement>(db_, stmt);
    return *slot;
}

void Connection::reset_statements() {
    for (auto& [sql, stmt] : cache_)
        stmt->reset();
}

void Connection::exec(std::string_view sql) {
    char* error = nullptr;
    const std::string text(sql);
    const int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &error);
    if (rc != SQLITE_OK) {
        std::string message = error ? error : sqlite3_errstr(rc);
        sqlite3_free(error);
        throw StoreError(message, sqlite3_extended_errcode(db_));
    }
}

std::int64_t Connection::last_insert_id() const {
    return sqlite3_last_insert_rowid(db_);
}
int Connection::changes() const {
    return sqlite3_changes(db_);
}

void Connection::set_busy_timeout(int ms) {
    sqlite3_busy_timeout(db_, ms);
}
bool Connection::in_transaction() const {
    return sqlite3_get_autocommit(db_) == 0;
}
std::size_t Connection::page_cache_bytes() const {
    int used = 0;
    int highwater = 0;
    sqlite3_db_status(db_, SQLITE_DBSTATUS_CACHE_USED, &used, &highwater, 0);
    return static_cast<std::size_t>(std::max(used, 0));
}

bool Connection::is_read_only() const {
    return sqlite3_db_readonly(db_, "main") == 1;
}

// BEGIN, COMMIT, SAVEPOINT and RELEASE run once per write or per job: prepared once per
// connection like every other statement, instead of parsed again by sqlite3_exec each time.
Transaction::Transaction(Connection& db) : db_(db) {
    db_.prepare("BEGIN IMMEDIATE").run();
}

Transaction::~Transaction() {
    if (done_) return;
    try {
        db_.exec("ROLLBACK");
    } catch (const StoreError&) {  // nothing more to do: the connection rolls back on close
    }
}

void Transaction::commit() {
    db_.prepare("COMMIT").run();
    done_ = true;
}

Savepoint::Savepoint(Connection& db) : db_(db) {
    db_.prepare("SAVEPOINT job").run();
}

Savepoint::~Savepoint() {
    if (done_) return;
    try {
        db_.exec("ROLLBACK TO job; RELEASE job");
    } catch (const StoreError&) {
    }
}

void Savepoint::release() {
    db_.prepare("RELEASE job").run();
    done_ = true;
}

}  // namespace vokter::store
