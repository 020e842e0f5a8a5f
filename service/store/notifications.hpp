#pragma once
// The notification outbox (schema/sqlite/0015_notifications.sql): events for moderators, written
// in the transaction of the change they tell of, and their delivery to each receiver, claimed,
// retried and acknowledged by the sender (app/notify/sender.hpp). Writers run inside
// Writer::run(); readers take Store::read().
//
// A delivery is claimed before it is attempted (its next_attempt moved `lease_ms` ahead), so two
// senders (replicas on one PostgreSQL database, or a sender restarted after kill -9 while an
// attempt was under way) never attempt it at once; a claim whose sender died lapses after the
// lease. A delivery ends when its receiver acknowledges it, or is abandoned 24 hours after the
// event. A receiver sees each acknowledged event once: an attempt whose acknowledgement is lost
// (the process killed between the receiver's 2xx and the commit that records it) is repeated
// with the same event id, by which the receiver can tell.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/database.hpp"

namespace vokter::store {

inline constexpr const char* kEventHeld = "comment.held";
inline constexpr const char* kEventSpam = "comment.spam";
inline constexpr const char* kEventSpamBurst = "spam.burst";
inline constexpr const char* kEventRulesFailed = "rules.failed";

// Which events the store records (StoreOptions::events).
struct EventPolicy {
    bool enabled = false;    // record events at all: off unless a receiver is configured
    int burst_count = 20;    // this many spam comments filed by the rules …
    int burst_minutes = 10;  // … within this many minutes make one spam.burst per window
};

// Records event `kind` and returns its id. Inside Writer::run.
std::int64_t record_event(Connection& db, std::string_view kind,
                          std::optional<std::int64_t> comment_id, std::string_view detail,
                          std::int64_t now_ms);

// After the rules stored comment `id` with `status`, in the same transaction: comment.held for
// pending, comment.spam for spam and, when that spam comment makes policy.burst_count within
// policy.burst_minutes and no spam.burst was recorded in that window, a spam.burst (detail: the
// count). Nothing when the policy is off or the comment approved. Two indexed look-ups at most,
// each bounded by burst_count rows.
void record_comment_events(Connection& db, const EventPolicy& policy, std::int64_t id,
                           std::string_view status, std::int64_t now_ms);

// A delivery to attempt, with its event.
struct Delivery {
    std::int64_t event_id = 0;
    std::string receiver;
    std::string kind;
    std::optional<std::int64_t> comment_id;
    std::string detail;
    std::int64_t created = 0;  // the event's time
    int attempts = 0;          // before this one
};

// Makes delivery rows for `receiver` (receiver_key) of the events of `kinds` recorded after the
// last it was given (a settings row per receiver), due at once, or with `delay_ms` (a digest's
// interval) at the end of the interval of the clock each event falls in, so that one digest
// takes them together. A receiver seen for the first time starts with the events recorded
// from now on. On PostgreSQL the events just below the mark are looked at again, for those
// another replica committed late. Returns how many rows it made. Inside Writer::run.
int enqueue_deliveries(Connection& db, const std::string& receiver,
                       const std::vector<std::string>& kinds, std::int64_t delay_ms);

// Read-only checks, so that a sender with nothing to do writes nothing: the newest event's id
// (0 when none), and whether `receiver` has a delivery due at `now_ms`.
std::int64_t newest_event_id(Connection& db);
bool deliveries_due(Connection& db, const std::string& receiver, std::int64_t now_ms);

// Claims up to `limit` of `receiver`'s deliveries due at `now_ms`, the least attempted and then
// the oldest first (one that keeps failing does not hold back the rest): each counts an
// attempt and is not due again until `now_ms + lease_ms`. Inside Writer::run.
std::vector<Delivery> claim_deliveries(Connection& db, const std::string& receiver,
                                       std::int64_t now_ms, int limit, std::int64_t lease_ms);

// The receiver acknowledged the delivery. Inside Writer::run.
void mark_delivered(Connection& db, std::int64_t event_id, const std::string& receiver,
                    std::int64_t now_ms);
// Gives back a claimed delivery that was not attempted: due at once, its attempt not counted.
// Inside Writer::run.
void release_delivery(Connection& db, const Delivery& delivery, std::int64_t now_ms);
// The attempt failed with `error`: due again at `next_attempt_ms`, or abandoned at `now_ms`
// when that is 24 hours or more after the event. Returns true when abandoned. Inside
// Writer::run.
bool mark_failed(Connection& db, const Delivery& delivery, const std::string& error,
                 std::int64_t next_attempt_ms, std::int64_t now_ms);
inline constexpr std::int64_t kGiveUpMs = 24 * 3600 * 1000LL;

// Deletes events recorded before `before_ms` that have no delivery left to make. Returns how
// many. Inside Writer::run.
int delete_finished_events(Connection& db, std::int64_t before_ms);

// Abandons the deliveries still pending 24 hours after their event, whatever their receiver:
// those of a receiver no longer configured, which no sender attempts. Returns how many. Inside
// Writer::run.
int abandon_stale_deliveries(Connection& db, std::int64_t now_ms);

// The outbox as /metrics shows it.
struct OutboxFigures {
    std::int64_t pending = 0;  // deliveries not yet acknowledged nor abandoned
    std::int64_t failing = 0;  // of those, ones that failed at least once
    std::int64_t abandoned = 0;
    std::optional<std::int64_t> oldest_pending_created;  // the oldest pending delivery's event
};
OutboxFigures outbox_figures(Connection& db);

// The rule ids that hit comment `id`, in order (for a notification's text).
std::vector<std::string> comment_rules(Connection& db, std::int64_t id);

}  // namespace vokter::store
