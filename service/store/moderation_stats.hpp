#pragma once
// Figures for GET /api/moderation/stats, computed from the comments and the audit log.
//
// Definitions (days are UTC calendar days, by the comment's creation time):
//  - a comment's *verdict* is the status the rules gave it: the old status of its first audit
//    log entry when a moderator has decided on it since, else its current status;
//  - submitted:      comments created that day (deleted ones included);
//  - approved:       of those, the ones approved now, by the rules or by a moderator;
//  - auto_approved:  the ones the rules approved (verdict approved);
//  - held:           the ones the rules held for a moderator (verdict pending);
//  - spam:           the ones the rules filed as spam (verdict spam).
//  - A rule *agrees* with a moderator when the moderator's latest decision on a comment it hit
//    was spam or reject (approve for a rule with a negative score), and *disagrees* when it was
//    approve (spam or reject for a negative score): a held comment later approved counts against
//    every positive rule that hit it.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "store/database.hpp"

namespace vokter::store {

struct DayStats {
    std::int64_t day_start = 0;  // Unix ms of 00:00 UTC
    std::int64_t submitted = 0;
    std::int64_t approved = 0;
    std::int64_t auto_approved = 0;
    std::int64_t held = 0;
    std::int64_t spam = 0;
};

struct RuleAgreement {
    std::string rule;
    std::int64_t hits = 0;       // comments it hit within the window
    std::int64_t agreed = 0;     // of those, decided by a moderator in the rule's favour
    std::int64_t disagreed = 0;  // and against it
};

struct ModerationStats {
    std::vector<std::pair<std::string, std::int64_t>> by_status;  // every status, zeros too
    std::vector<DayStats> days;                                   // oldest first, `days` entries
    std::optional<std::int64_t> oldest_pending_created;           // empty when nothing waits
    std::vector<RuleAgreement> top_rules;                         // most hits first
};

// Statistics as of `now_ms` over the last `days` UTC days (today included) and the `top_rules`
// rules that hit most in that window, read in one snapshot: the counts kept in
// schema/sqlite/0007_moderation_counts.sql plus the comments not yet folded into them.
ModerationStats moderation_stats(Connection& db, std::int64_t now_ms, int days = 30,
                                 int top_rules = 20);

// The figures /metrics shows of the queue, in one snapshot: every status with its count (as in
// ModerationStats) and the creation time of the oldest pending comment. Two indexed reads.
struct QueueFigures {
    std::vector<std::pair<std::string, std::int64_t>> by_status;
    std::optional<std::int64_t> oldest_pending_created;  // empty when nothing waits
};
QueueFigures queue_figures(Connection& db);

// Adds comments not yet counted (ids above moderation_counts_state.counted_through), at most
// `max_ids` ids of them, to the kept counts, in the caller's write transaction; returns how many
// ids it moved past (0 when there were none). The bound keeps each fold's share of a write
// batch small (under a millisecond for 128 comments on SQLite; PostgreSQL folds 1,024 at a time
// in about 6 ms, Store::fold_some). The store runs it every
// StoreOptions::fold_counts_ms, again at once while a full span was folded, so that
// moderation_stats() reads a few hundred comments at most row by row.
std::int64_t fold_moderation_counts(Connection& db, std::int64_t max_ids = 128);

// Whether some comments are not yet counted (a fold would find work).
bool moderation_counts_behind(Connection& db);

}  // namespace vokter::store
