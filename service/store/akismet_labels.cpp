#include "store/akismet_labels.hpp"

#include "core/text.hpp"

namespace vokter::store {

std::optional<std::int64_t> find_akismet_comment(Connection& db, const std::string& body,
                                                 const std::string& ip, const std::string& name) {
    auto& stmt = db.prepare(
        "SELECT id FROM comments WHERE body_fingerprint = ?1 AND body = ?2 AND ip = ?3 "
        "AND name = ?4 AND source = 'akismet' AND status <> 'deleted' "
        "ORDER BY created DESC, id DESC LIMIT 1");
    stmt.bind(1, core::body_fingerprint(body)).bind(2, body).bind(3, ip).bind(4, name);
    std::optional<std::int64_t> id;
    if (stmt.step()) id = stmt.int64(0);
    stmt.reset();
    return id;
}

std::int64_t insert_akismet_label(Connection& db, const AkismetLabel& label) {
    auto& stmt = db.prepare(
        "INSERT INTO akismet_labels (api_key, label, comment_id, blog, permalink, comment_type, "
        "name, email, website, body, ip, user_agent, referrer, created) VALUES "
        "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14) RETURNING id");
    stmt.bind(1, label.api_key)
        .bind(2, label.label)
        .bind(3, label.comment_id)
        .bind(4, label.blog)
        .bind(5, label.permalink)
        .bind(6, label.comment_type)
        .bind(7, label.name)
        .bind(8, label.email)
        .bind(9, label.website)
        .bind(10, label.body)
        .bind(11, label.ip)
        .bind(12, label.user_agent)
        .bind(13, label.referrer)
        .bind(14, label.created);
    stmt.step();
    const std::int64_t id = stmt.int64(0);
    stmt.reset();
    return id;
}

std::int64_t count_akismet_labels(Connection& db, const std::string& label) {
    auto& stmt = db.prepare("SELECT count(*) FROM akismet_labels WHERE label = ?1");
    stmt.bind(1, label);
    stmt.step();
    const std::int64_t n = stmt.int64(0);
    stmt.reset();
    return n;
}

}  // namespace vokter::store
