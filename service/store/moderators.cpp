#include "store/moderators.hpp"

namespace vokter::store {

namespace {

Moderator read_moderator(const Statement& s) {
    Moderator m{s.int64(0), s.text(1), s.text(2), s.int64(3)};
    if (!s.is_null(4)) m.expires = s.int64(4);
    if (!s.is_null(5)) m.last_used = s.int64(5);
    m.token_created = s.int64(6);
    return m;
}

std::optional<Moderator> one_moderator(Statement& stmt) {
    std::optional<Moderator> found;
    if (stmt.step()) found = read_moderator(stmt);
    stmt.reset();
    return found;
}

// Runs `stmt`, an INSERT or UPDATE whose ?1 is the name, ?2 the token hash, ?3 the time it
// was issued and ?4 its expiry (NULL: never); true when it changed a row.
bool write_token(Connection& db, Statement& stmt, const std::string& name,
                 const std::string& token_hash, std::int64_t now_ms,
                 std::optional<std::int64_t> expires) {
    stmt.bind(1, name).bind_blob(2, token_hash).bind(3, now_ms);
    if (expires) {
        stmt.bind(4, *expires);
    } else {
        stmt.bind_null(4);
    }
    stmt.run();
    return db.changes() > 0;
}

}  // namespace

bool add_moderator(Connection& db, const std::string& name, const std::string& token_hash,
                   std::int64_t now_ms, std::optional<std::int64_t> expires) {
    return write_token(db,
                       db.prepare("INSERT INTO moderators (name, token_hash, created, "
                                  "token_created, expires) VALUES (?1, ?2, ?3, ?3, ?4) "
                                  "ON CONFLICT (name) DO NOTHING"),
                       name, token_hash, now_ms, expires);
}

bool rotate_moderator_token(Connection& db, const std::string& name, const std::string& token_hash,
                            std::int64_t now_ms, std::optional<std::int64_t> expires) {
    return write_token(db,
                       db.prepare("UPDATE moderators SET token_hash = ?2, token_created = ?3, "
                                  "expires = ?4 WHERE name = ?1"),
                       name, token_hash, now_ms, expires);
}

void note_moderator_use(Connection& db, std::int64_t id, std::int64_t now_ms) {
    db.prepare("UPDATE moderators SET last_used = ?2 WHERE id = ?1")
        .bind(1, id)
        .bind(2, now_ms)
        .run();
}

bool remove_moderator(Connection& db, const std::string& name) {
    db.prepare("DELETE FROM moderators WHERE name = ?1").bind(1, name).run();
    return db.changes() > 0;
}

std::vector<Moderator> list_moderators(Connection& db) {
    // Every SELECT reads the columns read_moderator() expects, in its order.
    auto& stmt = db.prepare(
        "SELECT id, name, token_hash, created, expires, last_used, "
        "coalesce(token_created, created) FROM moderators ORDER BY name");
    std::vector<Moderator> moderators;
    while (stmt.step())
        moderators.push_back(read_moderator(stmt));
    return moderators;
}

std::optional<Moderator> find_moderator(Connection& db, const std::string& name) {
    auto& stmt = db.prepare(
        "SELECT id, name, token_hash, created, expires, last_used, "
        "coalesce(token_created, created) FROM moderators WHERE name = ?1");
    stmt.bind(1, name);
    return one_moderator(stmt);
}

std::optional<Moderator> find_moderator_by_token_hash(Connection& db,
                                                      const std::string& token_hash) {
    auto& stmt = db.prepare(
        "SELECT id, name, token_hash, created, expires, last_used, "
        "coalesce(token_created, created) FROM moderators WHERE token_hash = ?1");
    stmt.bind_blob(1, token_hash);
    return one_moderator(stmt);
}

}  // namespace vokter::store
