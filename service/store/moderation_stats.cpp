#include "store/moderation_stats.hpp"

#include "store/comment_repository.hpp"

namespace vokter::store {

namespace {

constexpr std::int64_t kDayMs = 86'400'000;

}  // namespace

ModerationStats moderation_stats(Connection& db, std::int64_t now_ms, int days, int top_rules) {
    ModerationStats stats;
    for (const char* status : {kPending, kSpam, kApproved, kRejected, kDeleted})
        stats.by_status.emplace_back(status, 0);
    auto& counts = db.prepare("SELECT status, count(*) FROM comments GROUP BY status");
    while (counts.step()) {
        for (auto& [status, count] : stats.by_status) {
            if (counts.text_view(0) == status) count = counts.int64(1);
        }
    }

    const std::int64_t today = now_ms / kDayMs * kDayMs;
    const std::int64_t since = today - static_cast<std::int64_t>(days - 1) * kDayMs;
    for (int i = 0; i < days; ++i)
        stats.days.push_back(DayStats{since + i * kDayMs});
    // MATERIALIZED: each comment's log look-up runs once, not once for every sum() that reads it.
    auto& per_day = db.prepare(
        "WITH v AS MATERIALIZED (SELECT c.created / 86400000 AS day, c.status AS status, "
        "COALESCE((SELECT l.old_status FROM moderation_log l WHERE l.comment_id = c.id "
        "ORDER BY l.id LIMIT 1), c.status) AS verdict "
        "FROM comments c WHERE c.created >= ?1) "
        "SELECT day, count(*), sum(status = 'approved'), sum(verdict = 'approved'), "
        "sum(verdict = 'pending'), sum(verdict = 'spam') FROM v GROUP BY day ORDER BY day");
    per_day.bind(1, since);
    while (per_day.step()) {
        const std::int64_t index = per_day.int64(0) - since / kDayMs;
        if (index < 0 || index >= days) continue;  // created in the future: clock skew
        DayStats& day = stats.days[static_cast<std::size_t>(index)];
        day.submitted = per_day.int64(1);
        day.approved = per_day.int64(2);
        day.auto_approved = per_day.int64(3);
        day.held = per_day.int64(4);
        day.spam = per_day.int64(5);
    }

    auto& oldest = db.prepare("SELECT min(created) FROM comments WHERE status = 'pending'");
    if (oldest.step() && !oldest.is_null(0)) stats.oldest_pending_created = oldest.int64(0);

    auto& rules = db.prepare(  // MATERIALIZED, as above
        "WITH d AS MATERIALIZED (SELECT h.rule AS rule, h.score AS score, "
        "(SELECT l.new_status FROM moderation_log l WHERE l.comment_id = c.id "
        "AND l.action IN ('approve', 'reject', 'spam') ORDER BY l.id DESC LIMIT 1) AS decision "
        "FROM comments c JOIN rule_hits h ON h.comment_id = c.id WHERE c.created >= ?1) "
        "SELECT rule, count(*), "
        "sum((score > 0 AND decision IN ('spam', 'rejected')) OR "
        "(score < 0 AND decision = 'approved')), "
        "sum((score > 0 AND decision = 'approved') OR "
        "(score < 0 AND decision IN ('spam', 'rejected'))) "
        "FROM d GROUP BY rule ORDER BY count(*) DESC, rule LIMIT ?2");
    rules.bind(1, since).bind(2, top_rules);
    while (rules.step()) {
        stats.top_rules.push_back(
            RuleAgreement{rules.text(0), rules.int64(1), rules.int64(2), rules.int64(3)});
    }
    return stats;
}

}  // namespace vokter::store
