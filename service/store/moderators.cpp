#include "store/moderators.hpp"

namespace vokter::store {

namespace {

Moderator read_moderator(const Statement& s) {
    return Moderator{s.int64(0), s.text(1), s.text(2), s.int64(3)};
}

}  // namespace

bool add_moderator(Connection& db, const std::string& name, const std::string& token_hash,
                   std::int64_t now_ms) {
    db.prepare(
          "INSERT INTO moderators (name, token_hash, created) VALUES (?1, ?2, ?3) "
          "ON CONFLICT (name) DO NOTHING")
        .bind(1, name)
        .bind_blob(2, token_hash)
        .bind(3, now_ms)
        .run();
    return db.changes() > 0;
}

bool remove_moderator(Connection& db, const std::string& name) {
    db.prepare("DELETE FROM moderators WHERE name = ?1").bind(1, name).run();
    return db.changes() > 0;
}

std::vector<Moderator> list_moderators(Connection& db) {
    auto& stmt = db.prepare("SELECT id, name, token_hash, created FROM moderators ORDER BY name");
    std::vector<Moderator> moderators;
    while (stmt.step())
        moderators.push_back(read_moderator(stmt));
    return moderators;
}

std::optional<Moderator> find_moderator_by_token_hash(Connection& db,
                                                      const std::string& token_hash) {
    auto& stmt =
        db.prepare("SELECT id, name, token_hash, created FROM moderators WHERE token_hash = ?1");
    stmt.bind_blob(1, token_hash);
    if (!stmt.step()) return std::nullopt;
    return read_moderator(stmt);
}

}  // namespace vokter::store
