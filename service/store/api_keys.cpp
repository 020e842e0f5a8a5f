#include "store/api_keys.hpp"

namespace vokter::store {

namespace {

ApiKey read_api_key(const Statement& s) {
    return ApiKey{s.int64(0), s.text(1), s.text(2), s.text(3), s.int64(4)};
}

}  // namespace

bool add_api_key(Connection& db, const std::string& name, const std::string& key_hash,
                 const std::string& blog, std::int64_t now_ms) {
    db.prepare(
          "INSERT INTO api_keys (name, key_hash, blog, created) VALUES (?1, ?2, ?3, ?4) "
          "ON CONFLICT (name) DO NOTHING")
        .bind(1, name)
        .bind_blob(2, key_hash)
        .bind(3, blog)
        .bind(4, now_ms)
        .run();
    return db.changes() > 0;
}

bool remove_api_key(Connection& db, const std::string& name) {
    db.prepare("DELETE FROM api_keys WHERE name = ?1").bind(1, name).run();
    return db.changes() > 0;
}

std::vector<ApiKey> list_api_keys(Connection& db) {
    auto& stmt = db.prepare("SELECT id, name, key_hash, blog, created FROM api_keys ORDER BY name");
    std::vector<ApiKey> keys;
    while (stmt.step())
        keys.push_back(read_api_key(stmt));
    return keys;
}

std::optional<ApiKey> find_api_key_by_hash(Connection& db, const std::string& key_hash) {
    auto& stmt =
        db.prepare("SELECT id, name, key_hash, blog, created FROM api_keys WHERE key_hash = ?1");
    stmt.bind_blob(1, key_hash);
    if (!stmt.step()) return std::nullopt;
    auto key = read_api_key(stmt);
    stmt.reset();
    return key;
}

}  // namespace vokter::store
