#include "store/database.hpp"

#include <sqlite3.h>

#include <cctype>

#include "store/postgresql/pg_connection.hpp"
#include "store/sqlite/sqlite_connection.hpp"

namespace vokter::store {

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
    if (!reason_.empty()) return reason_;
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

bool is_postgresql_location(std::string_view location) {
    if (location.starts_with("postgresql://") || location.starts_with("postgres://")) return true;
    // libpq's key=value form: a keyword, then '=' ("host=… dbname=…").
    std::size_t i = 0;
    while (i < location.size() && std::isspace(static_cast<unsigned char>(location[i])))
        ++i;
    const std::size_t start = i;
    while (i < location.size() &&
           (std::isalnum(static_cast<unsigned char>(location[i])) || location[i] == '_'))
        ++i;
    while (i < location.size() && location[i] == ' ')
        ++i;
    return i > start && i < location.size() && location[i] == '=';
}

std::unique_ptr<Connection> open_connection(const std::string& location, Durability durability) {
    if (is_postgresql_location(location)) return std::make_unique<PgConnection>(location);
    return std::make_unique<SqliteConnection>(location, durability);
}

std::string printable_location(const std::string& location) {
    return is_postgresql_location(location) ? PgConnection::printable(location) : location;
}

// BEGIN, COMMIT, SAVEPOINT and RELEASE run once per write or per job: prepared once per
// connection like every other statement, instead of parsed again each time. SQLite's BEGIN
// IMMEDIATE takes the write lock at once, so a transaction never fails half-way for want of it.
Transaction::Transaction(Connection& db) : db_(db) {
    db_.prepare(db_.dialect() == Dialect::sqlite ? "BEGIN IMMEDIATE" : "BEGIN").run();
}

Transaction::~Transaction() {
    // Nothing to roll back when SQLite already ended the transaction (after a full disk). A
    // PostgreSQL connection is told even then: it forgets a transaction its lost session took.
    if (done_ || (db_.dialect() == Dialect::sqlite && !db_.in_transaction())) return;
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
    if (done_ || !db_.in_transaction()) return;
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
