#include "store/postgresql/pg_connection.hpp"

#include <sqlite3.h>

#include <charconv>
#include <cstdlib>
#include <cstring>

namespace vokter::store {

namespace {

// Type oids of the built-in types (pg_type.h, stable across releases).
constexpr Oid kBoolOid = 16;
constexpr Oid kByteaOid = 17;
constexpr Oid kInt8Oid = 20;
constexpr Oid kFloat8Oid = 701;

// The SQLite result code nearest to a PostgreSQL error class, and the words for people where
// SQLite's would mislead. SQLSTATE classes: PostgreSQL's documentation, appendix A.
struct Mapped {
    int code;
    std::string reason;
};

Mapped map_sqlstate(std::string_view state) {
    const std::string_view cls = state.substr(0, 2);
    if (cls == "08" || state == "57P01" || state == "57P02" || state == "57P03")
        return {SQLITE_CANTOPEN, "the database server cannot be reached"};
    if (state == "53100") return {SQLITE_FULL, "the database server's disk is full"};
    if (cls == "53") return {SQLITE_NOMEM, "the database server is out of resources"};
    if (state == "40001" || state == "40P01")
        return {SQLITE_BUSY_SNAPSHOT, "the transaction conflicted with another and was undone"};
    if (state == "55P03" || state == "57014")
        return {SQLITE_BUSY, "the database is locked by another connection"};
    if (state == "25006") return {SQLITE_READONLY, "the database cannot be written (read-only)"};
    if (cls == "23") return {SQLITE_CONSTRAINT, ""};
    if (cls == "XX") return {SQLITE_CORRUPT, "the database server reports damage"};
    return {SQLITE_ERROR, ""};
}

std::string trimmed(const char* message) {
    std::string text = message ? message : "";
    while (!text.empty() && (text.back() == '\n' || text.back() == ' '))
        text.pop_back();
    return text;
}

// bytea's hex output ("\x0a1b…") as bytes.
std::string decode_bytea(std::string_view text) {
    if (!text.starts_with("\\x")) return std::string(text);  // escape format: not configured
    text.remove_prefix(2);
    const auto nibble = [](char c) { return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10; };
    std::string bytes(text.size() / 2, '\0');
    for (std::size_t i = 0; i < bytes.size(); ++i)
        bytes[i] = static_cast<char>((nibble(text[2 * i]) << 4) | nibble(text[2 * i + 1]));
    return bytes;
}

}  // namespace

PGconn* connect_to(const std::string& conninfo) {
    // The connection string is expanded first; the settings after it override what it says.
    // Keepalives: a session a network failure cut is noticed in about 25 s, not the system's
    // two hours (TCP only; a Unix socket needs none).
    const char* keywords[] = {
        "dbname",          "client_encoding",     "fallback_application_name", "connect_timeout",
        "keepalives_idle", "keepalives_interval", "keepalives_count",          nullptr};
    const char* values[] = {conninfo.c_str(), "UTF8", "vokter", "5", "10", "5", "3", nullptr};
    return PQconnectdbParams(keywords, values, 1);
}

// --- PgStatement --------------------------------------------------------------------------

PgStatement::PgStatement(PgConnection& db, const char* sql, std::string name)
    : db_(db),
      text_(rewrite_placeholders(sql)),
      name_(std::move(name)),
      begins_(std::string_view(sql).starts_with("BEGIN")) {}

PgStatement::~PgStatement() {
    PQclear(result_);
}

std::string PgStatement::rewrite_placeholders(std::string_view sql) {
    std::string out;
    out.reserve(sql.size() + 8);
    int next_bare = 1;
    for (std::size_t i = 0; i < sql.size(); ++i) {
        const char c = sql[i];
        if (c == '\'' || c == '"') {  // a literal or a quoted name, doubled quotes inside
            const std::size_t end = sql.find(c, i + 1);
            const std::size_t stop = end == std::string_view::npos ? sql.size() : end + 1;
            out.append(sql.substr(i, stop - i));
            i = stop - 1;
            continue;
        }
        if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {  // a comment to the line end
            const std::size_t end = sql.find('\n', i);
            const std::size_t stop = end == std::string_view::npos ? sql.size() : end;
            out.append(sql.substr(i, stop - i));
            i = stop - 1;
            continue;
        }
        if (c != '?') {
            out.push_back(c);
            continue;
        }
        std::size_t digits = i + 1;
        while (digits < sql.size() && sql[digits] >= '0' && sql[digits] <= '9')
            ++digits;
        out.push_back('$');
        if (digits == i + 1) {
            out += std::to_string(next_bare++);
        } else {
            out.append(sql.substr(i + 1, digits - i - 1));
            i = digits - 1;
        }
    }
    return out;
}

PgStatement::Param& PgStatement::param(int index) {
    if (index < 1 || index > 1000) throw StoreError("bind: parameter index out of range", 25);
    if (params_.size() < static_cast<std::size_t>(index)) params_.resize(index);
    return params_[index - 1];
}

Statement& PgStatement::bind_int64(int index, std::int64_t value) {
    Param& p = param(index);
    p.value = std::to_string(value);
    p.null = false;
    p.type = kInt8Oid;
    p.format = 0;
    return *this;
}

Statement& PgStatement::bind_real(int index, double value) {
    Param& p = param(index);
    char buffer[32];
    const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
    p.value.assign(buffer, ec == std::errc() ? end : buffer);
    p.null = false;
    p.type = kFloat8Oid;
    p.format = 0;
    return *this;
}

Statement& PgStatement::bind_text(int index, std::string_view text) {
    // Text goes as a C string, and PostgreSQL's text holds no NUL: refuse rather than cut it.
    if (text.find('\0') != std::string_view::npos) {
        throw StoreError("bind: text with a NUL byte cannot be stored in PostgreSQL", 20);
    }
    Param& p = param(index);
    p.value.assign(text);
    p.null = false;
    p.type = 0;
    p.format = 0;
    return *this;
}

Statement& PgStatement::bind_blob(int index, std::string_view bytes) {
    Param& p = param(index);
    p.value.assign(bytes);
    p.null = false;
    p.type = kByteaOid;
    p.format = 1;
    return *this;
}

Statement& PgStatement::bind_null(int index) {
    Param& p = param(index);
    p.value.clear();
    p.null = true;
    p.format = 0;  // the type of an earlier binding, if any, stays: the statement keeps it
    return *this;
}

void PgStatement::execute() {
    // libpq notices a session the server ended (a restart, an idle timeout) only when it next
    // sends on it. A statement outside a transaction (a BEGIN, a read, an autocommitted write)
    // then fails without having run: connect again and send it once more.
    const bool alone = begins_ || !db_.in_transaction_;
    try {
        execute_once();
    } catch (const StoreError&) {
        if (!alone || !db_.conn_ || PQstatus(db_.conn_) == CONNECTION_OK) throw;
        execute_once();
    }
}

void PgStatement::execute_once() {
    PGconn* conn = db_.session(begins_);
    const int n = static_cast<int>(params_.size());
    if (prepared_session_ != db_.session_) {
        std::vector<Oid> types(params_.size());
        for (int i = 0; i < n; ++i)
            types[i] = params_[i].type;
        PGresult* prepared = PQprepare(conn, name_.c_str(), text_.c_str(), n, types.data());
        if (PQresultStatus(prepared) != PGRES_COMMAND_OK)
            db_.fail(prepared, "prepare (" + text_.substr(0, 60) + ")");
        PQclear(prepared);
        prepared_session_ = db_.session_;
    }
    std::vector<const char*> values(params_.size());
    std::vector<int> lengths(params_.size());
    std::vector<int> formats(params_.size());
    for (int i = 0; i < n; ++i) {
        values[i] = params_[i].null ? nullptr : params_[i].value.c_str();
        lengths[i] = static_cast<int>(params_[i].value.size());
        formats[i] = params_[i].format;
    }
    PGresult* result =
        PQexecPrepared(conn, name_.c_str(), n, values.data(), lengths.data(), formats.data(), 0);
    const ExecStatusType status = PQresultStatus(result);
    if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK)
        db_.fail(result, "step (" + text_.substr(0, 60) + ")");
    db_.note_result(result);
    result_ = result;
    executed_ = true;
    row_ = -1;
}

bool PgStatement::step() {
    if (!executed_) execute();
    if (!result_) return false;
    if (row_ < PQntuples(result_)) ++row_;
    // Sized once a row: views of bytea columns decoded earlier stay valid until the next step.
    decoded_.assign(static_cast<std::size_t>(PQnfields(result_)), std::string());
    is_decoded_.assign(static_cast<std::size_t>(PQnfields(result_)), false);
    return row_ < PQntuples(result_);
}

bool PgStatement::on_row(int column) const {
    return result_ && row_ >= 0 && row_ < PQntuples(result_) && column >= 0 &&
           column < PQnfields(result_);
}

bool PgStatement::is_null(int column) const {
    return !on_row(column) || PQgetisnull(result_, row_, column) == 1;
}

std::int64_t PgStatement::int64(int column) const {
    if (is_null(column)) return 0;
    const char* text = PQgetvalue(result_, row_, column);
    const int size = PQgetlength(result_, row_, column);
    if (PQftype(result_, column) == kBoolOid) return text[0] == 't' ? 1 : 0;
    std::int64_t value = 0;
    const auto [end, ec] = std::from_chars(text, text + size, value);
    if (ec == std::errc() && end == text + size) return value;
    return static_cast<std::int64_t>(std::strtod(text, nullptr));  // numeric, float: truncated
}

double PgStatement::real(int column) const {
    if (is_null(column)) return 0;
    if (PQftype(result_, column) == kBoolOid)
        return PQgetvalue(result_, row_, column)[0] == 't' ? 1 : 0;
    return std::strtod(PQgetvalue(result_, row_, column), nullptr);
}

std::string_view PgStatement::text_view(int column) const {
    if (is_null(column)) return {};
    const char* text = PQgetvalue(result_, row_, column);
    const std::string_view value(text,
                                 static_cast<std::size_t>(PQgetlength(result_, row_, column)));
    if (PQftype(result_, column) != kByteaOid) return value;
    if (!is_decoded_[column]) {
        decoded_[column] = decode_bytea(value);
        is_decoded_[column] = true;
    }
    return decoded_[column];
}

void PgStatement::reset() {
    PQclear(result_);
    result_ = nullptr;
    executed_ = false;
    row_ = -1;
    for (Param& p : params_) {
        p.value.clear();
        p.null = true;
    }
    decoded_.clear();
    is_decoded_.clear();
}

// --- PgConnection -------------------------------------------------------------------------

PgConnection::PgConnection(const std::string& conninfo) : conninfo_(conninfo) {
    connect();
}

PgConnection::~PgConnection() {
    cache_.clear();
    PQfinish(conn_);
}

std::string PgConnection::printable(const std::string& conninfo) {
    char* error = nullptr;
    PQconninfoOption* options = PQconninfoParse(conninfo.c_str(), &error);
    if (!options) {
        PQfreemem(error);
        return "(a PostgreSQL connection string libpq cannot read)";
    }
    std::string out;
    for (const PQconninfoOption* o = options; o->keyword; ++o) {
        if (!o->val || std::strcmp(o->keyword, "password") == 0 ||
            std::strcmp(o->keyword, "sslpassword") == 0)
            continue;
        if (!out.empty()) out += ' ';
        out += o->keyword;
        out += '=';
        out += o->val;
    }
    PQconninfoFree(options);
    return out.empty() ? "(PostgreSQL, libpq's defaults)" : out;
}

void PgConnection::connect() {
    PQfinish(conn_);
    // The connection string is expanded first; the settings after it override what it says.
    conn_ = connect_to(conninfo_);
    in_transaction_ = false;
    if (PQstatus(conn_) != CONNECTION_OK) {
        const std::string message = "cannot connect to PostgreSQL (" + printable(conninfo_) +
                                    "): " + trimmed(PQerrorMessage(conn_));
        PQfinish(conn_);
        conn_ = nullptr;
        throw StoreError(message, SQLITE_CANTOPEN, "the database server cannot be reached");
    }
    ++session_;
    // Notices ("relation already exists, skipping") are for people at a psql prompt.
    PQsetNoticeProcessor(
        conn_, [](void*, const char*) {}, nullptr);
    // Every commit waits for the WAL flush on the server: an acknowledged comment survives its
    // crash. Set here, whatever the server's or the role's default.
    PGresult* result = PQexec(conn_, ("SET synchronous_commit = on; SET lock_timeout = " +
                                      std::to_string(busy_timeout_ms_))
                                         .c_str());
    if (PQresultStatus(result) != PGRES_COMMAND_OK) fail(result, "session settings");
    PQclear(result);
}

PGconn* PgConnection::session(bool begins_transaction) {
    if (conn_ && PQstatus(conn_) == CONNECTION_OK) return conn_;
    // A transaction died with the session: its remaining statements must fail, not run on a
    // new session outside it. The next BEGIN (or the caller's ROLLBACK) ends that.
    if (in_transaction_ && !begins_transaction) {
        throw StoreError("the connection to PostgreSQL was lost inside a transaction",
                         SQLITE_CANTOPEN, "the database server cannot be reached");
    }
    connect();
    return conn_;
}

void PgConnection::fail(PGresult* result, std::string_view what) {
    // Copied: the result, which owns the field, is cleared before the throw.
    const char* field = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
    const std::string state = field ? field : "";
    std::string message(what);
    message += ": ";
    message += trimmed(result ? PQresultErrorMessage(result) : nullptr);
    if (message.ends_with(": ")) message += trimmed(PQerrorMessage(conn_));
    PQclear(result);
    if (conn_ && PQstatus(conn_) == CONNECTION_OK) {  // a failed COMMIT leaves no transaction
        const PGTransactionStatusType status = PQtransactionStatus(conn_);
        in_transaction_ = status == PQTRANS_INTRANS || status == PQTRANS_INERROR;
    }
    // No SQLSTATE: libpq lost the session (the server went away mid-statement).
    if (state.empty() || !conn_ || PQstatus(conn_) != CONNECTION_OK)
        throw StoreError(message, SQLITE_CANTOPEN, "the database server cannot be reached");
    const Mapped mapped = map_sqlstate(state);
    throw StoreError(message, mapped.code, mapped.reason);
}

void PgConnection::note_result(PGresult* result) {
    const char* tuples = PQcmdTuples(result);
    changes_ = tuples && *tuples ? std::atoi(tuples) : 0;
    const PGTransactionStatusType status = PQtransactionStatus(conn_);
    in_transaction_ = status == PQTRANS_INTRANS || status == PQTRANS_INERROR;
}

Statement& PgConnection::prepare(const char* sql) {
    if (auto found = cache_.find(sql); found != cache_.end()) {
        found->second->reset();
        return *found->second;
    }
    auto& slot = cache_[sql];
    slot = std::make_unique<PgStatement>(*this, sql, "v" + std::to_string(++next_name_));
    return *slot;
}

void PgConnection::reset_statements() {
    for (auto& [sql, stmt] : cache_)
        stmt->reset();
}

void PgConnection::exec(std::string_view sql) {
    if (sql == "ROLLBACK" && (!conn_ || PQstatus(conn_) != CONNECTION_OK)) {
        in_transaction_ = false;  // the server rolled it back when the session ended
        return;
    }
    PGconn* conn = session(sql.starts_with("BEGIN"));
    PGresult* result = PQexec(conn, std::string(sql).c_str());
    const ExecStatusType status = PQresultStatus(result);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
        fail(result, "exec (" + std::string(sql.substr(0, 60)) + ")");
    }
    note_result(result);
    PQclear(result);
}

void PgConnection::set_busy_timeout(int ms) {
    busy_timeout_ms_ = ms;
    exec("SET lock_timeout = " + std::to_string(ms));
}

bool PgConnection::in_transaction() const {
    if (!conn_ || PQstatus(conn_) != CONNECTION_OK) return false;
    const PGTransactionStatusType status = PQtransactionStatus(conn_);
    return status == PQTRANS_INTRANS || status == PQTRANS_INERROR;
}

}  // namespace vokter::store
