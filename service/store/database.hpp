#pragma once
// The store's view of a database, the same for both backends: a Connection caches its prepared
// statements; a Statement binds parameters (never formats SQL) and steps through rows; a
// Transaction rolls back in its destructor unless commit() was called. Errors throw StoreError:
// the store is an edge layer. The backends live in store/sqlite/ (a file, the default) and
// store/postgresql/ (a server, through libpq); open_connection() picks one by the location.

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace vokter::store {

class StoreError : public std::runtime_error {
  public:
    // `code`: SQLite's extended result code; PostgreSQL's errors carry the nearest SQLite code
    // (a lost server connection SQLITE_CANTOPEN, a serialization failure SQLITE_BUSY, …) so that
    // one set of questions below serves both, and `reason` the few words for people when the
    // SQLite code's own would not fit ("the database server cannot be reached").
    StoreError(const std::string& message, int code, std::string reason = {})
        : std::runtime_error(message), code_(code), reason_(std::move(reason)) {}
    int code() const { return code_; }
    bool is_constraint() const { return (code_ & 0xFF) == 19; }  // SQLITE_CONSTRAINT

    // A fault of the storage, not of the request or of the code: the disk is full, the database
    // is locked (past the busy timeout) or read-only, an I/O error, a damaged file, a database
    // server that cannot be reached. Retrying later may succeed; the HTTP layer answers 503.
    bool is_unavailable() const;
    bool is_busy() const;  // SQLITE_BUSY, SQLITE_LOCKED: another connection holds the lock
    // SQLITE_BUSY_SNAPSHOT; on PostgreSQL a deadlock or a serialization failure: the server
    // aborted the transaction for another's sake, and running it again may well succeed.
    bool is_conflict() const { return code_ == 517; }  // SQLITE_BUSY_SNAPSHOT
    bool is_read_only() const;  // SQLITE_READONLY: the file (or its folder) cannot be written
    bool is_damaged() const;    // SQLITE_CORRUPT, SQLITE_NOTADB: the file is damaged
    // SQLITE_CANTOPEN: the file cannot be opened, or the database server not reached.
    bool is_unreachable() const { return (code_ & 0xFF) == 14; }
    // The fault in a few words for people ("the disk is full"); what() for anything else.
    std::string reason() const;

  private:
    int code_;
    std::string reason_;
};

// The SQL a connection speaks. Most of Vokter's statements are written once for both (numbered
// `?N` placeholders, RETURNING, ON CONFLICT, CAST for a parameter whose type the statement does
// not show); where the two differ, the statement is chosen by `Connection::dialect()`.
enum class Dialect { sqlite, postgresql };

enum class Durability {
    full,    // SQLite synchronous=FULL: a commit survives power loss (PostgreSQL: always)
    normal,  // SQLite synchronous=NORMAL: a commit survives a crash of the process (kill -9)
};

class Statement {
  public:
    virtual ~Statement() = default;

    // Binding: index is 1-based, as in SQLite. Text and blobs are copied.
    Statement& bind(int index, std::int64_t value) { return bind_int64(index, value); }
    Statement& bind(int index, int value) { return bind_int64(index, std::int64_t{value}); }
    Statement& bind(int index, double value) { return bind_real(index, value); }
    Statement& bind(int index, std::string_view text) { return bind_text(index, text); }
    Statement& bind(int index, const char* text) { return bind_text(index, text); }
    Statement& bind(int index, const std::string& text) { return bind_text(index, text); }
    virtual Statement& bind_blob(int index, std::string_view bytes) = 0;
    virtual Statement& bind_null(int index) = 0;
    template <class T>
    Statement& bind(int index, const std::optional<T>& value) {
        return value ? bind(index, *value) : bind_null(index);
    }

    // Advances to the next row: true while there is one, false when done. Throws on error.
    virtual bool step() = 0;
    // Runs a statement that returns no rows.
    void run() {
        while (step()) {
        }
    }

    // Columns are 0-based. A NULL reads as 0 or empty; a boolean (PostgreSQL) as 1 or 0.
    virtual std::int64_t int64(int column) const = 0;
    virtual double real(int column) const = 0;
    std::string text(int column) const { return std::string(text_view(column)); }
    virtual std::string_view text_view(int column) const = 0;  // valid until the next step()
    virtual bool is_null(int column) const = 0;

    // Resets for reuse and clears bindings; the cache calls it when the statement is handed out.
    virtual void reset() = 0;

  protected:
    virtual Statement& bind_int64(int index, std::int64_t value) = 0;
    virtual Statement& bind_real(int index, double value) = 0;
    virtual Statement& bind_text(int index, std::string_view text) = 0;
};

class Connection {
  public:
    virtual ~Connection() = default;

    virtual Dialect dialect() const = 0;

    // A prepared statement for `sql`, compiled once per connection and reused: `sql` must be a
    // string with static storage (its address keys the cache). Reset and unbound when returned.
    virtual Statement& prepare(const char* sql) = 0;

    // Resets every cached statement, ending the read transaction a half-stepped SELECT keeps
    // open (which would pin an old snapshot). Called when a connection goes back to its pool.
    virtual void reset_statements() = 0;

    // Runs one or more SQL statements with no parameters (migrations, settings).
    virtual void exec(std::string_view sql) = 0;

    // Rows changed by the last INSERT, UPDATE or DELETE.
    virtual int changes() const = 0;

    // How long a statement waits for another connection's lock before failing (SQLITE_BUSY;
    // PostgreSQL's lock_timeout). 5 s when opened.
    virtual void set_busy_timeout(int ms) = 0;
    // True inside BEGIN … COMMIT. After some errors (SQLite: a full disk, I/O; PostgreSQL: a
    // lost connection) the whole transaction is gone: then this turns false.
    virtual bool in_transaction() const = 0;
    // True when the database can only be read (SQLite: permissions, a read-only mount).
    virtual bool is_read_only() const { return false; }
    // Memory held by this connection's page cache (SQLite's, bounded by PRAGMA cache_size; 0
    // for a server's). Not thread-safe: call from the thread that holds the connection.
    virtual std::size_t page_cache_bytes() const { return 0; }
};

// True when `location` names a PostgreSQL database: a postgresql:// or postgres:// URI, or a
// libpq key=value string ("host=/run/postgresql dbname=vokter"). Anything else is a file path.
bool is_postgresql_location(std::string_view location);

// A connection to the database at `location` (a SQLite file, created if missing; ":memory:"
// works; or a PostgreSQL database). Throws StoreError when it cannot be opened or reached.
std::unique_ptr<Connection> open_connection(const std::string& location, Durability durability);

// `location` as it may be shown or logged: a PostgreSQL connection string without its password.
std::string printable_location(const std::string& location);

// BEGIN (SQLite: BEGIN IMMEDIATE) on construction; ROLLBACK on destruction unless commit()
// succeeded.
class Transaction {
  public:
    explicit Transaction(Connection& db);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    void commit();

  private:
    Connection& db_;
    bool done_ = false;
};

// A named savepoint inside a transaction: released by release(), rolled back to otherwise.
class Savepoint {
  public:
    explicit Savepoint(Connection& db);
    ~Savepoint();
    Savepoint(const Savepoint&) = delete;
    Savepoint& operator=(const Savepoint&) = delete;
    void release();

  private:
    Connection& db_;
    bool done_ = false;
};

}  // namespace vokter::store
