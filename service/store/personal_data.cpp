#include "store/personal_data.hpp"

#include "store/comment_repository.hpp"
#include "store/moderation_repository.hpp"

namespace vokter::store {

namespace {

std::string plural(std::int64_t n, const char* one, const char* many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
}

}  // namespace

PersonalData personal_data(Connection& db, const std::string& email) {
    PersonalData data;
    if (email.empty()) return data;
    auto& comments = db.prepare(
        "SELECT c.id, t.uri, c.parent_id, c.name, c.email, c.website, c.body, c.ip, "
        "c.user_agent, c.referrer, c.status, c.source, c.created, c.updated "
        "FROM comments c JOIN threads t ON t.id = c.thread_id "
        "WHERE lower(c.email) = lower(?1) ORDER BY c.created, c.id");
    comments.bind(1, email);
    while (comments.step()) {
        PersonalComment c;
        c.id = comments.int64(0);
        c.thread = comments.text(1);
        if (!comments.is_null(2)) c.parent = comments.int64(2);
        c.name = comments.text(3);
        c.email = comments.text(4);
        c.website = comments.text(5);
        c.body = comments.text(6);
        c.ip = comments.text(7);
        c.user_agent = comments.text(8);
        c.referrer = comments.text(9);
        c.status = comments.text(10);
        c.source = comments.text(11);
        c.created = comments.int64(12);
        c.updated = comments.int64(13);
        data.comments.push_back(std::move(c));
    }
    auto& reports = db.prepare(
        "SELECT id, label, blog, permalink, comment_type, name, email, website, body, ip, "
        "user_agent, referrer, comment_id, created FROM akismet_labels "
        "WHERE lower(email) = lower(?1) ORDER BY created, id");
    reports.bind(1, email);
    while (reports.step()) {
        PersonalReport r;
        r.id = reports.int64(0);
        r.label = reports.text(1);
        r.blog = reports.text(2);
        r.permalink = reports.text(3);
        r.comment_type = reports.text(4);
        r.name = reports.text(5);
        r.email = reports.text(6);
        r.website = reports.text(7);
        r.body = reports.text(8);
        r.ip = reports.text(9);
        r.user_agent = reports.text(10);
        r.referrer = reports.text(11);
        if (!reports.is_null(12)) r.comment_id = reports.int64(12);
        r.created = reports.int64(13);
        data.reports.push_back(std::move(r));
    }
    return data;
}

Erasure erase_personal_data(Connection& db, const std::string& email, bool bodies,
                            const std::string& moderator, std::int64_t now_ms) {
    Erasure erased;
    if (email.empty()) return erased;
    std::vector<std::pair<std::int64_t, std::string>> comments;  // id, status
    auto& find = db.prepare("SELECT id, status FROM comments WHERE lower(email) = lower(?1)");
    find.bind(1, email);
    while (find.step())
        comments.emplace_back(find.int64(0), find.text(1));
    find.reset();
    for (const auto& [id, status] : comments) {
        const std::string after = bodies ? std::string(kDeleted) : status;
        db.prepare(
              "UPDATE comments SET name = '', email = '', website = '', ip = '', user_agent = '', "
              "referrer = '', edit_token_hash = NULL, edit_until = 0, updated = ?2 WHERE id = ?1")
            .bind(1, id)
            .bind(2, now_ms)
            .run();
        if (bodies) tombstone_comment(db, id, now_ms);
        db.prepare("UPDATE rule_hits SET detail = '' WHERE comment_id = ?1").bind(1, id).run();
        // Written after the change, with the status before it, as a decision's entry is.
        append_log(db, LogEntry{0, id, moderator, "erase", status, after,
                                bodies ? "personal data and text erased on request"
                                       : "personal data erased on request",
                                now_ms});
        ++erased.comments;
    }
    db.prepare(
          "UPDATE akismet_labels SET name = '', email = '', website = '', ip = '', "
          "user_agent = '', referrer = '', body = CASE WHEN ?2 = 1 THEN '' ELSE body END "
          "WHERE lower(email) = lower(?1)")
        .bind(1, email)
        .bind(2, bodies ? 1 : 0)
        .run();
    erased.reports = db.changes();
    db.prepare(
          "UPDATE classifier_outbox SET name = '', email = '', website = '', "
          "body = CASE WHEN ?2 = 1 THEN '' ELSE body END WHERE lower(email) = lower(?1)")
        .bind(1, email)
        .bind(2, bodies ? 1 : 0)
        .run();
    erased.training = db.changes();
    if (erased.reports > 0) {
        append_log(db, LogEntry{0, std::nullopt, moderator, "erase", "", "",
                                plural(erased.reports, "Akismet report", "Akismet reports") +
                                    " erased on request",
                                now_ms});
    }
    return erased;
}

void log_personal_data_export(Connection& db, const PersonalData& data,
                              const std::string& moderator, std::int64_t now_ms) {
    append_log(db, LogEntry{0, std::nullopt, moderator, "export", "", "",
                            "personal data exported on request: " +
                                plural(static_cast<std::int64_t>(data.comments.size()), "comment",
                                       "comments") +
                                ", " +
                                plural(static_cast<std::int64_t>(data.reports.size()),
                                       "Akismet report", "Akismet reports"),
                            now_ms});
}

}  // namespace vokter::store
