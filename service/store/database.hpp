#pragma once
// RAII wrappers over SQLite: a Connection owns a sqlite3 handle and caches its prepared
// statements; a Statement binds parameters (never formats SQL); a Transaction rolls back in its
// destructor unless commit() was called. Errors throw StoreError: the store is an edge layer.

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>

struct sqlite3;
struct sqlite3_stmt;

namespace vokter::store {

class StoreError : public std::runtime_error {
  public:
    StoreError(const std::string& message, int code) : std::runtime_error(message), code_(code) {}
    int code() const { return code_; }                           // SQLite's extended result code
    bool is_constraint() const { return (code_ & 0xFF) == 19; }  // SQLITE_CONSTRAINT

    // A fault of the storage, not of the request or of the code: the disk is full, the database
    // is locked (past the busy timeout) or read-only, an I/O error, a damaged file. Retrying
    // later may succeed; the HTTP layer answers 503.
    bool is_unavailable() const;
    bool is_busy() const;       // SQLITE_BUSY, SQLITE_LOCKED: another connection holds the lock
    bool is_read_only() const;  // SQLITE_READONLY: the file (or its folder) cannot be written
    bool is_damaged() const;    // SQLITE_CORRUPT, SQLITE_NOTADB: the file is damaged
    // The fault in a few words for people ("the disk is full"); what() for anything else.
    std::string reason() const;

  private:
    int code_;
};

// The SQL a connection speaks. Most of Vokter's statements are written once for both (numbered
// `?N` placeholders, RETURNING, ON CONFLICT, CAST for a parameter whose type the statement does
// not show); where the two differ, the statement is chosen by `Connection::dialect()`.
enum class Dialect { sqlite, postgresql };

enum class Durability {
    full,    // synchronous=FULL: a commit survives power loss
    normal,  // synchronous=NORMAL: a commit survives a crash of the process (kill -9)
};

class Statement {
  public:
    Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
    ~Statement();  // finalizes
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    // Binding: index is 1-based, as in SQLite. Text and blobs are copied by SQLite.
    Statement& bind(int index, std::int64_t value);
    Statement& bind(int index, int value) { return bind(index, std::int64_t{value}); }
    Statement& bind(int index, double value);
    Statement& bind(int index, std::string_view text);
    Statement& bind(int index, const char* text) { return bind(index, std::string_view(text)); }
    Statement& bind(int index, const std::string& text) {
        return bind(index, std::string_view(text));
    }
    Statement& bind_blob(int index, std::string_view bytes);
    Statement& bind_null(int index);
    template <class T>
    Statement& bind(int index, const std::optional<T>& value) {
        return value ? bind(index, *value) : bind_null(index);
    }

    // Advances to the next row: true while there is one, false when done. Throws on error.
    bool step();
    // Runs a statement that returns no rows.
    void run() {
        while (step()) {
        }
    }

    std::int64_t int64(int column) const;
    double real(int column) const;
    std::string text(int column) const;
    std::string_view text_view(int column) const;  // valid until the next step()
    bool is_null(int column) const;

    // Resets for reuse and clears bindings; the cache calls it when the statement is handed out.
    void reset();

  private:
    sqlite3* db_;
    sqlite3_stmt* stmt_;
};

class Connection {
  public:
    // Opens (creating if missing) the database at `path` (":memory:" works) with WAL, foreign
    // keys on and a busy timeout. Throws StoreError when the file cannot be opened.
    Connection(const std::string& path, Durability durability, bool read_only = false);
    ~Connection();
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    // A prepared statement for `sql`, compiled once per connection and reused: `sql` must be a
    // string with static storage (its address keys the cache). Reset and unbound when returned.
    Statement& prepare(const char* sql);

    // Resets every cached statement, ending the read transaction a half-stepped SELECT keeps
    // open (which would pin an old snapshot). Called when a connection goes back to its pool.
    void reset_statements();

    // Runs one or more SQL statements with no parameters (migrations, pragmas).
    void exec(std::string_view sql);

    Dialect dialect() const { return Dialect::sqlite; }
    std::int64_t last_insert_id() const;
    int changes() const;
    sqlite3* handle() const { return db_; }

    // How long a statement waits for another connection's lock before failing with SQLITE_BUSY
    // (5 s when opened).
    void set_busy_timeout(int ms);
    // True inside BEGIN … COMMIT. After some errors (a full disk, I/O) SQLite rolls the whole
    // transaction back by itself: then this turns false.
    bool in_transaction() const;
    // True when SQLite could open the file only for reading (permissions, a read-only mount).
    bool is_read_only() const;
    // Memory held by this connection's page cache (bounded by PRAGMA cache_size). Not
    // thread-safe: call from the thread that holds the connection.
    std::size_t page_cache_bytes() const;

  private:
    sqlite3* db_ = nullptr;
    std::unordered_map<const char*, std::unique_ptr<Statement>> cache_;
};

// BEGIN IMMEDIATE on construction; ROLLBACK on destruction unless commit() succeeded.
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
