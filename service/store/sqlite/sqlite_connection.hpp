#pragma once
// The SQLite backend: a Connection owning a sqlite3 handle (WAL, foreign keys on, a busy
// timeout) and a Statement over a sqlite3_stmt.

#include <memory>
#include <string>
#include <unordered_map>

#include "store/database.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace vokter::store {

class SqliteStatement final : public Statement {
  public:
    SqliteStatement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
    ~SqliteStatement() override;  // finalizes
    SqliteStatement(const SqliteStatement&) = delete;
    SqliteStatement& operator=(const SqliteStatement&) = delete;

    Statement& bind_blob(int index, std::string_view bytes) override;
    Statement& bind_null(int index) override;
    bool step() override;
    std::int64_t int64(int column) const override;
    double real(int column) const override;
    std::string_view text_view(int column) const override;
    bool is_null(int column) const override;
    void reset() override;

  protected:
    Statement& bind_int64(int index, std::int64_t value) override;
    Statement& bind_real(int index, double value) override;
    Statement& bind_text(int index, std::string_view text) override;

  private:
    sqlite3* db_;
    sqlite3_stmt* stmt_;
};

class SqliteConnection final : public Connection {
  public:
    // Opens (creating if missing) the database at `path` (":memory:" works) with WAL, foreign
    // keys on and a busy timeout. Throws StoreError when the file cannot be opened.
    SqliteConnection(const std::string& path, Durability durability, bool read_only = false);
    ~SqliteConnection() override;
    SqliteConnection(const SqliteConnection&) = delete;
    SqliteConnection& operator=(const SqliteConnection&) = delete;

    Dialect dialect() const override { return Dialect::sqlite; }
    Statement& prepare(const char* sql) override;
    void reset_statements() override;
    void exec(std::string_view sql) override;
    int changes() const override;
    void set_busy_timeout(int ms) override;
    bool in_transaction() const override;
    bool is_read_only() const override;
    std::size_t page_cache_bytes() const override;

    sqlite3* handle() const { return db_; }

  private:
    sqlite3* db_ = nullptr;
    std::unordered_map<const char*, std::unique_ptr<SqliteStatement>> cache_;
};

}  // namespace vokter::store
