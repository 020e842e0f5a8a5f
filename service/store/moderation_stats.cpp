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
    // Kept by triggers (schema/0007_moderation_counts.sql): a few rows a day, read in full.
    auto& counts = db.prepare("SELECT status, sum(n) FROM comment_counts GROUP BY status");
    while (counts.step()) {
        for (auto& [status, count] : stats.by_status) {
            if (counts.text_view(0) == status) count = counts.int64(1);
        }
    }

    const std::int64_t today = now_ms / kDayMs * kDayMs;
    const std::int64_t since = today - static_cast<std::int64_t>(days - 1) * kDayMs;
    for (int i = 0; i < days; ++i)
        stats.days.push_back(DayStats{since + i * kDayMs});
    auto& per_day = db.prepare(
        "SELECT day, sum(n), sum(n * (status = 'approved')), sum(n * (verdict = 'approved')), "
        "sum(n * (verdict = 'pending')), sum(n * (verdict = 'spam')) FROM comment_counts "
        "WHERE day >= ?1 GROUP BY day ORDER BY day");
    per_day.bind(1, since / kDayMs);
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

    auto& rules = db.prepare(
        "SELECT rule, sum(hits), sum(agreed), sum(disagreed) FROM rule_counts WHERE day >= ?1 "
        "GROUP BY rule HAVING sum(hits) > 0 ORDER BY sum(hits) DESC, rule LIMIT ?2");
    rules.bind(1, since / kDayMs).bind(2, top_rules);
    while (rules.step()) {
        stats.top_rules.push_back(
            RuleAgreement{rules.text(0), rules.int64(1), rules.int64(2), rules.int64(3)});
    }
    return stats;
}

}  // namespace vokter::store
