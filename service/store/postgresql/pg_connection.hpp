#pragma once
// The PostgreSQL backend, through libpq: a Connection to one server session and a Statement
// prepared on it with the extended protocol.
//
// Statements are written in SQLite's placeholder style (?1, ?2, or ?): the text is rewritten to
// PostgreSQL's $1, $2 once, outside string literals and quoted names. A statement is prepared on
// the server at its first execution, with the types of that execution's parameters: integers as
// int8, reals as float8, blobs as bytea (sent in binary), text and NULL untyped, for the server
// to infer from the statement. Values come back as text and are parsed on reading.
//
// A lost session (the server restarted, the network failed) fails the statement in flight with
// an unavailable StoreError; the next statement outside a transaction connects again, and each
// statement is prepared again on the new session. Every commit waits for the server's WAL flush
// (synchronous_commit = on, set at connect).

#include <libpq-fe.h>

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "store/database.hpp"

namespace vokter::store {

class PgConnection;

// A new libpq session to `conninfo` with Vokter's client settings (UTF-8, keepalives, a 5-s
// connect timeout); check PQstatus.
PGconn* connect_to(const std::string& conninfo);

class PgStatement final : public Statement {
  public:
    PgStatement(PgConnection& db, const char* sql, std::string name);
    ~PgStatement() override;
    PgStatement(const PgStatement&) = delete;
    PgStatement& operator=(const PgStatement&) = delete;

    Statement& bind_blob(int index, std::string_view bytes) override;
    Statement& bind_null(int index) override;
    bool step() override;
    std::int64_t int64(int column) const override;
    double real(int column) const override;
    std::string_view text_view(int column) const override;
    bool is_null(int column) const override;
    void reset() override;

    // "?1 … ?2" → "$1 … $2", bare "?" numbered in order; literals and quoted names untouched.
    static std::string rewrite_placeholders(std::string_view sql);

  protected:
    Statement& bind_int64(int index, std::int64_t value) override;
    Statement& bind_real(int index, double value) override;
    Statement& bind_text(int index, std::string_view text) override;

  private:
    struct Param {
        std::string value;
        bool null = true;
        Oid type = 0;    // 0: for the server to infer
        int format = 0;  // 0 text, 1 binary (bytea)
    };
    Param& param(int index);
    void execute();
    void execute_once();
    bool on_row(int column) const;  // a row is current and has `column`

    PgConnection& db_;
    std::string text_;                    // the statement with $N placeholders
    std::string name_;                    // its name on the server
    std::uint64_t prepared_session_ = 0;  // the session it was prepared on (0: none yet)
    std::vector<Param> params_;
    PGresult* result_ = nullptr;
    int row_ = -1;
    bool executed_ = false;
    bool begins_ = false;  // BEGIN: may start on a new session after a lost one
    mutable std::vector<std::string> decoded_;  // bytea columns of the current row, decoded
    mutable std::vector<bool> is_decoded_;
};

class PgConnection final : public Connection {
  public:
    // Connects to the database `conninfo` names (a postgresql:// URI or key=value pairs; the
    // password from the string, PGPASSWORD or ~/.pgpass). Throws StoreError (unavailable) with
    // libpq's reason and the connection string without its password.
    explicit PgConnection(const std::string& conninfo);
    ~PgConnection() override;
    PgConnection(const PgConnection&) = delete;
    PgConnection& operator=(const PgConnection&) = delete;

    Dialect dialect() const override { return Dialect::postgresql; }
    Statement& prepare(const char* sql) override;
    void reset_statements() override;
    void exec(std::string_view sql) override;
    int changes() const override { return changes_; }
    void set_busy_timeout(int ms) override;
    bool in_transaction() const override;

    // `conninfo` without its password, for messages and logs.
    static std::string printable(const std::string& conninfo);

  private:
    friend class PgStatement;
    // The live session, connecting again first if the last one was lost: outside a transaction
    // only, or for the BEGIN of a new one (a transaction dies with its session). Throws when it
    // cannot.
    PGconn* session(bool begins_transaction);
    void connect();
    // Throws the StoreError for a failed result (or a lost session when `result` is null),
    // clearing `result`.
    [[noreturn]] void fail(PGresult* result, std::string_view what);
    // Notes the rows `result` changed and whether the session is now inside a transaction.
    void note_result(PGresult* result);

    std::string conninfo_;
    PGconn* conn_ = nullptr;
    std::uint64_t session_ = 0;  // grows with every (re)connection
    int busy_timeout_ms_ = 5000;
    int changes_ = 0;
    bool in_transaction_ = false;  // as of the last command (kept when the session is lost)
    std::uint64_t next_name_ = 0;
    std::unordered_map<const char*, std::unique_ptr<PgStatement>> cache_;
};

}  // namespace vokter::store
