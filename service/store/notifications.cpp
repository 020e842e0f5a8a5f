#include "store/notifications.hpp"

#include <algorithm>

#include "store/comment_repository.hpp"

namespace vokter::store {

namespace {

constexpr std::int64_t kMinuteMs = 60'000;
// How far below a receiver's mark PostgreSQL's late commits are looked for: the events of 16
// replicas' transactions in flight at once, each of a full batch (128 jobs) of two events.
constexpr std::int64_t kLateEventIds = 4096;

// Spam comments created at or after `since_ms`, counted up to `limit`.
std::int64_t recent_spam(Connection& db, std::int64_t since_ms, std::int64_t limit) {
    auto& stmt = db.prepare(
        "SELECT count(*) FROM (SELECT 1 FROM comments WHERE status = 'spam' AND created >= ?1 "
        "LIMIT ?2) AS recent");
    stmt.bind(1, since_ms).bind(2, limit);
    const std::int64_t n = stmt.step() ? stmt.int64(0) : 0;
    stmt.reset();
    return n;
}

bool burst_recorded_since(Connection& db, std::int64_t since_ms) {
    auto& stmt = db.prepare(
        "SELECT 1 FROM notification_events WHERE kind = 'spam.burst' AND created >= ?1 LIMIT 1");
    stmt.bind(1, since_ms);
    const bool found = stmt.step();
    stmt.reset();
    return found;
}

}  // namespace

std::int64_t record_event(Connection& db, std::string_view kind,
                          std::optional<std::int64_t> comment_id, std::string_view detail,
                          std::int64_t now_ms) {
    auto& stmt = db.prepare(
        "INSERT INTO notification_events (kind, comment_id, detail, created) "
        "VALUES (?1, ?2, ?3, ?4) RETURNING id");
    stmt.bind(1, kind);
    if (comment_id) {
        stmt.bind(2, *comment_id);
    } else {
        stmt.bind_null(2);
    }
    stmt.bind(3, detail).bind(4, now_ms);
    const std::int64_t id = stmt.step() ? stmt.int64(0) : 0;
    stmt.reset();
    return id;
}

void record_comment_events(Connection& db, const EventPolicy& policy, std::int64_t id,
                           std::string_view status, std::int64_t now_ms) {
    if (!policy.enabled) return;
    if (status == kPending) {
        record_event(db, kEventHeld, id, "", now_ms);
        return;
    }
    if (status != kSpam) return;
    record_event(db, kEventSpam, id, "", now_ms);
    if (policy.burst_count <= 0) return;
    const std::int64_t since = now_ms - policy.burst_minutes * kMinuteMs;
    const std::int64_t count = recent_spam(db, since, policy.burst_count);
    if (count >= policy.burst_count && !burst_recorded_since(db, since)) {
        record_event(db, kEventSpamBurst, std::nullopt, std::to_string(count), now_ms);
    }
}

int enqueue_deliveries(Connection& db, const std::string& receiver,
                       const std::vector<std::string>& kinds, std::int64_t delay_ms) {
    const std::string seen_key = "notify.seen." + receiver;
    const std::string start_key = "notify.start." + receiver;  // where the receiver began
    const std::int64_t newest = newest_event_id(db);
    const auto seen = get_setting(db, seen_key);
    const auto start = get_setting(db, start_key);
    db.reset_statements();
    put_setting(db, seen_key, std::to_string(newest));
    // A new receiver starts from now on; so does one whose mark is above every event (a
    // database copied with its settings but not its outbox).
    if (!seen || std::stoll(*seen) > newest) {
        put_setting(db, start_key, std::to_string(newest));
        return 0;
    }
    // On SQLite one writer commits every transaction in turn, so no event below the mark can
    // commit after it was set. Replicas on PostgreSQL commit side by side: an event whose id was
    // drawn before the mark's may commit after it (each replica's writer has one transaction in
    // flight at a time, of at most a batch of jobs), so the events just below the mark are
    // looked at again, and those given already are left out.
    const std::int64_t lookback = db.dialect() == Dialect::postgresql ? kLateEventIds : 0;
    const std::int64_t after =
        std::max<std::int64_t>(start ? std::stoll(*start) : 0, std::stoll(*seen) - lookback);
    int made = 0;
    for (const std::string& kind : kinds) {
        db.prepare(
              "INSERT INTO notification_deliveries (event_id, receiver, next_attempt) "
              "SELECT id, ?1, CASE WHEN ?2 > 0 THEN (created / ?2 + 1) * ?2 ELSE created END "
              "FROM notification_events e "
              "WHERE id > ?3 AND id <= ?4 AND kind = ?5 AND NOT EXISTS (SELECT 1 FROM "
              "notification_deliveries d WHERE d.event_id = e.id AND d.receiver = ?1) "
              "ON CONFLICT (event_id, receiver) DO NOTHING")
            .bind(1, receiver)
            .bind(2, delay_ms)
            .bind(3, after)
            .bind(4, newest)
            .bind(5, kind)
            .run();
        made += db.changes();
    }
    return made;
}

std::int64_t newest_event_id(Connection& db) {
    auto& stmt = db.prepare("SELECT coalesce(max(id), 0) FROM notification_events");
    const std::int64_t id = stmt.step() ? stmt.int64(0) : 0;
    stmt.reset();
    return id;
}

bool deliveries_due(Connection& db, const std::string& receiver, std::int64_t now_ms) {
    auto& stmt = db.prepare(
        "SELECT 1 FROM notification_deliveries WHERE receiver = ?1 AND delivered IS NULL AND "
        "abandoned IS NULL AND next_attempt <= ?2 LIMIT 1");
    stmt.bind(1, receiver).bind(2, now_ms);
    const bool due = stmt.step();
    stmt.reset();
    return due;
}

std::vector<Delivery> claim_deliveries(Connection& db, const std::string& receiver,
                                       std::int64_t now_ms, int limit, std::int64_t lease_ms) {
    auto& due = db.prepare(
        "SELECT d.event_id, e.kind, e.comment_id, e.detail, e.created, d.attempts "
        "FROM notification_deliveries d JOIN notification_events e ON e.id = d.event_id "
        "WHERE d.receiver = ?1 AND d.delivered IS NULL AND d.abandoned IS NULL "
        "AND d.next_attempt <= ?2 ORDER BY d.attempts, d.event_id LIMIT ?3");
    due.bind(1, receiver).bind(2, now_ms).bind(3, limit);
    std::vector<Delivery> claimed;
    while (due.step()) {
        Delivery d;
        d.event_id = due.int64(0);
        d.receiver = receiver;
        d.kind = due.text(1);
        if (!due.is_null(2)) d.comment_id = due.int64(2);
        d.detail = due.text(3);
        d.created = due.int64(4);
        d.attempts = static_cast<int>(due.int64(5));
        claimed.push_back(std::move(d));
    }
    due.reset();
    // Each claim takes the row only while it is still due: another replica's sender that read
    // it too and claimed it first (PostgreSQL's read committed re-checks the condition on the
    // row it waited for) leaves it to that one.
    std::vector<Delivery> taken;
    for (Delivery& d : claimed) {
        db.prepare(
              "UPDATE notification_deliveries SET attempts = attempts + 1, next_attempt = ?3 "
              "WHERE event_id = ?1 AND receiver = ?2 AND delivered IS NULL AND abandoned IS NULL "
              "AND next_attempt <= ?4")
            .bind(1, d.event_id)
            .bind(2, receiver)
            .bind(3, now_ms + lease_ms)
            .bind(4, now_ms)
            .run();
        if (db.changes() == 1) taken.push_back(std::move(d));
    }
    return taken;
}

void mark_delivered(Connection& db, std::int64_t event_id, const std::string& receiver,
                    std::int64_t now_ms) {
    db.prepare(
          "UPDATE notification_deliveries SET delivered = ?3, last_error = '' "
          "WHERE event_id = ?1 AND receiver = ?2")
        .bind(1, event_id)
        .bind(2, receiver)
        .bind(3, now_ms)
        .run();
}

void release_delivery(Connection& db, const Delivery& delivery, std::int64_t now_ms) {
    db.prepare(
          "UPDATE notification_deliveries SET attempts = ?3, next_attempt = ?4 "
          "WHERE event_id = ?1 AND receiver = ?2 AND delivered IS NULL")
        .bind(1, delivery.event_id)
        .bind(2, delivery.receiver)
        .bind(3, delivery.attempts)
        .bind(4, now_ms)
        .run();
}

bool mark_failed(Connection& db, const Delivery& delivery, const std::string& error,
                 std::int64_t next_attempt_ms, std::int64_t now_ms) {
    const bool abandon = next_attempt_ms >= delivery.created + kGiveUpMs;
    auto& stmt = db.prepare(
        "UPDATE notification_deliveries SET last_error = ?3, next_attempt = ?4, abandoned = ?5 "
        "WHERE event_id = ?1 AND receiver = ?2 AND delivered IS NULL");
    stmt.bind(1, delivery.event_id).bind(2, delivery.receiver).bind(3, error.substr(0, 500));
    stmt.bind(4, next_attempt_ms);
    if (abandon) {
        stmt.bind(5, now_ms);
    } else {
        stmt.bind_null(5);
    }
    stmt.run();
    return abandon;
}

int delete_finished_events(Connection& db, std::int64_t before_ms) {
    db.prepare(
          "DELETE FROM notification_events WHERE created < ?1 AND NOT EXISTS (SELECT 1 FROM "
          "notification_deliveries d WHERE d.event_id = notification_events.id AND "
          "d.delivered IS NULL AND d.abandoned IS NULL)")
        .bind(1, before_ms)
        .run();
    return db.changes();
}

int abandon_stale_deliveries(Connection& db, std::int64_t now_ms) {
    db.prepare(
          "UPDATE notification_deliveries SET abandoned = ?1, last_error = 'no sender attempted "
          "it for 24 hours (a receiver no longer configured)' WHERE delivered IS NULL AND "
          "abandoned IS NULL AND event_id IN (SELECT id FROM notification_events WHERE "
          "created < ?2)")
        .bind(1, now_ms)
        .bind(2, now_ms - kGiveUpMs)
        .run();
    return db.changes();
}

OutboxFigures outbox_figures(Connection& db) {
    auto& stmt = db.prepare(
        "SELECT count(*), coalesce(sum(CASE WHEN d.attempts > 0 THEN 1 ELSE 0 END), 0), "
        "min(e.created) FROM notification_deliveries d JOIN notification_events e "
        "ON e.id = d.event_id WHERE d.delivered IS NULL AND d.abandoned IS NULL");
    OutboxFigures figures;
    if (stmt.step()) {
        figures.pending = stmt.int64(0);
        figures.failing = stmt.int64(1);
        if (!stmt.is_null(2)) figures.oldest_pending_created = stmt.int64(2);
    }
    stmt.reset();
    auto& abandoned =
        db.prepare("SELECT count(*) FROM notification_deliveries WHERE abandoned IS NOT NULL");
    if (abandoned.step()) figures.abandoned = abandoned.int64(0);
    abandoned.reset();
    return figures;
}

std::vector<std::string> comment_rules(Connection& db, std::int64_t id) {
    auto& stmt = db.prepare("SELECT rule FROM rule_hits WHERE comment_id = ?1 ORDER BY seq");
    stmt.bind(1, id);
    std::vector<std::string> rules;
    while (stmt.step())
        rules.push_back(stmt.text(0));
    stmt.reset();
    return rules;
}

}  // namespace vokter::store
