#include "store/moderation_stats.hpp"

#include <algorithm>

#include "store/comment_repository.hpp"

namespace vokter::store {

namespace {

constexpr std::int64_t kDayMs = 86'400'000;

}  // namespace

std::int64_t fold_moderation_counts(Connection& db, std::int64_t max_ids) {
    auto& through = db.prepare("SELECT counted_through FROM moderation_counts_state");
    const std::int64_t from = through.step() ? through.int64(0) : 0;
    through.reset();
    auto& newest = db.prepare("SELECT coalesce(max(id), 0) FROM comments");
    const std::int64_t newest_id = newest.step() ? newest.int64(0) : 0;
    newest.reset();
    if (newest_id <= from) return 0;
    const std::int64_t to = std::min(newest_id, from + std::max<std::int64_t>(1, max_ids));
    // The views read (from, span_end]: this transaction's span only.
    db.prepare("UPDATE moderation_counts_state SET span_end = ?1").bind(1, to).run();
    db.prepare(
          "INSERT INTO comment_counts (day, verdict, status, n) "
          "SELECT day, verdict, status, n FROM uncounted_comment_counts WHERE true "
          "ON CONFLICT (day, verdict, status) DO UPDATE SET n = comment_counts.n + excluded.n")
        .run();
    db.prepare(
          "INSERT INTO rule_counts (day, rule, hits, agreed, disagreed) "
          "SELECT day, rule, hits, agreed, disagreed FROM uncounted_rule_counts WHERE true "
          "ON CONFLICT (day, rule) DO UPDATE SET hits = rule_counts.hits + excluded.hits, "
          "agreed = rule_counts.agreed + excluded.agreed, "
          "disagreed = rule_counts.disagreed + excluded.disagreed")
        .run();
    db.prepare(
          "UPDATE moderation_counts_state SET counted_through = ?1, "
          "span_end = 9223372036854775807")
        .bind(1, to)
        .run();
    return to - from;
}

bool moderation_counts_behind(Connection& db) {
    auto& stmt = db.prepare(
        "SELECT (SELECT counted_through FROM moderation_counts_state) < "
        "(SELECT coalesce(max(id), 0) FROM comments)");
    const bool behind = stmt.step() && stmt.int64(0) == 1;
    stmt.reset();
    return behind;
}

namespace {

// Every status with its count: the counts kept (comment_counts of the schema: a few rows a day)
// and those of the comments not yet counted (at most a second's worth while the store folds).
std::vector<std::pair<std::string, std::int64_t>> read_status_counts(Connection& db) {
    std::vector<std::pair<std::string, std::int64_t>> by_status;
    for (const char* status : {kPending, kSpam, kApproved, kRejected, kDeleted})
        by_status.emplace_back(status, 0);
    auto& counts = db.prepare(
        "SELECT status, sum(n) FROM (SELECT status, n FROM comment_counts UNION ALL "
        "SELECT status, n FROM uncounted_comment_counts) AS counts GROUP BY status");
    while (counts.step()) {
        for (auto& [status, count] : by_status) {
            if (counts.text_view(0) == status) count = counts.int64(1);
        }
    }
    return by_status;
}

std::optional<std::int64_t> read_oldest_pending(Connection& db) {
    auto& oldest = db.prepare("SELECT min(created) FROM comments WHERE status = 'pending'");
    std::optional<std::int64_t> created;
    if (oldest.step() && !oldest.is_null(0)) created = oldest.int64(0);
    return created;
}

// Runs `read(db)` in one snapshot, a transaction of its own unless the caller holds one: a fold
// committing between two statements would count its comments twice. (PostgreSQL's default
// isolation, read committed, takes one per statement.)
template <class Read>
auto in_one_snapshot(Connection& db, Read&& read) {
    const bool own_transaction = !db.in_transaction();
    if (own_transaction) {
        db.exec(db.dialect() == Dialect::postgresql ? "BEGIN ISOLATION LEVEL REPEATABLE READ"
                                                    : "BEGIN");
    }
    try {
        auto figures = read();
        db.reset_statements();
        if (own_transaction) db.exec("COMMIT");
        return figures;
    } catch (...) {
        db.reset_statements();
        if (own_transaction) db.exec("ROLLBACK");
        throw;
    }
}

ModerationStats read_stats(Connection& db, std::int64_t now_ms, int days, int top_rules) {
    ModerationStats stats;
    stats.by_status = read_status_counts(db);

    const std::int64_t today = now_ms / kDayMs * kDayMs;
    const std::int64_t since = today - static_cast<std::int64_t>(days - 1) * kDayMs;
    for (int i = 0; i < days; ++i)
        stats.days.push_back(DayStats{since + i * kDayMs});
    auto& per_day = db.prepare(
        "SELECT day, sum(n), sum(CASE WHEN status = 'approved' THEN n ELSE 0 END), "
        "sum(CASE WHEN verdict = 'approved' THEN n ELSE 0 END), "
        "sum(CASE WHEN verdict = 'pending' THEN n ELSE 0 END), "
        "sum(CASE WHEN verdict = 'spam' THEN n ELSE 0 END) FROM (SELECT * FROM "
        "comment_counts WHERE day >= ?1 UNION ALL SELECT * FROM uncounted_comment_counts "
        "WHERE day >= ?1) AS counts GROUP BY day ORDER BY day");
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

    stats.oldest_pending_created = read_oldest_pending(db);

    auto& rules = db.prepare(
        "SELECT rule, sum(hits), sum(agreed), sum(disagreed) FROM (SELECT * FROM rule_counts "
        "WHERE day >= ?1 UNION ALL SELECT * FROM uncounted_rule_counts WHERE day >= ?1) AS counts "
        "GROUP BY rule HAVING sum(hits) > 0 ORDER BY sum(hits) DESC, rule LIMIT ?2");
    rules.bind(1, since / kDayMs).bind(2, top_rules);
    while (rules.step()) {
        stats.top_rules.push_back(
            RuleAgreement{rules.text(0), rules.int64(1), rules.int64(2), rules.int64(3)});
    }
    return stats;
}

}  // namespace

ModerationStats moderation_stats(Connection& db, std::int64_t now_ms, int days, int top_rules) {
    return in_one_snapshot(db, [&] { return read_stats(db, now_ms, days, top_rules); });
}

QueueFigures queue_figures(Connection& db) {
    return in_one_snapshot(db, [&] {
        return QueueFigures{read_status_counts(db), read_oldest_pending(db)};
    });
}

}  // namespace vokter::store
