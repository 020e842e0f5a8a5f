// The notification outbox (store/notifications.hpp) on both stores: events recorded with the
// comments they tell of, deliveries made per receiver from the events after the last it was
// given, claims that keep two senders apart, acknowledgements, retries and abandonment.

#include "store/notifications.hpp"

#include <doctest/doctest.h>

#include "store/comment_repository.hpp"
#include "support/test_database.hpp"

using namespace vokter;
using namespace vokter::store;

namespace {

constexpr std::int64_t kNow = 1'795'000'000'000;
constexpr std::int64_t kMinute = 60'000;
const std::vector<std::string> kAll = {kEventHeld, kEventSpam, kEventSpamBurst, kEventRulesFailed};

std::int64_t comment(Connection& db, const char* status, std::int64_t created) {
    NewComment c;
    c.submission.thread = "/blogg/varsler";
    c.submission.name = "Kari";
    c.submission.body = "Kommentar " + std::to_string(created);
    c.status = status;
    c.created = created;
    return insert_comment(db, c);
}

std::int64_t count(Connection& db, const char* sql) {
    auto& stmt = db.prepare(sql);
    const std::int64_t n = stmt.step() ? stmt.int64(0) : -1;
    stmt.reset();
    return n;
}

}  // namespace

TEST_CASE("held and spam comments record their events; approved ones and a policy off none") {
    test::TestConnection t;
    EventPolicy policy{true, 3, 10};
    const std::int64_t held = comment(t.db, kPending, kNow);
    record_comment_events(t.db, policy, held, kPending, kNow);
    const std::int64_t ok = comment(t.db, kApproved, kNow);
    record_comment_events(t.db, policy, ok, kApproved, kNow);
    const std::int64_t off = comment(t.db, kPending, kNow);
    record_comment_events(t.db, EventPolicy{}, off, kPending, kNow);
    CHECK(count(t.db, "SELECT count(*) FROM notification_events") == 1);
    CHECK(count(t.db, "SELECT comment_id FROM notification_events WHERE kind = 'comment.held'") ==
          held);
}

TEST_CASE("a burst of spam is one event per window") {
    test::TestConnection t;
    EventPolicy policy{true, 3, 10};
    for (int i = 0; i < 7; ++i) {  // one a minute
        const std::int64_t at = kNow + i * kMinute;
        record_comment_events(t.db, policy, comment(t.db, kSpam, at), kSpam, at);
    }
    CHECK(count(t.db, "SELECT count(*) FROM notification_events WHERE kind = 'comment.spam'") == 7);
    // The third makes 3 within 10 minutes: a burst, and none again within that window.
    CHECK(count(t.db, "SELECT count(*) FROM notification_events WHERE kind = 'spam.burst'") == 1);
    CHECK(count(t.db, "SELECT created FROM notification_events WHERE kind = 'spam.burst'") ==
          kNow + 2 * kMinute);
    // Eleven minutes on, three more make another.
    for (int i = 0; i < 3; ++i) {
        const std::int64_t at = kNow + (20 + i) * kMinute;
        record_comment_events(t.db, policy, comment(t.db, kSpam, at), kSpam, at);
    }
    CHECK(count(t.db, "SELECT count(*) FROM notification_events WHERE kind = 'spam.burst'") == 2);
}

TEST_CASE("a receiver gets the events after the last it was given, and only its kinds") {
    test::TestConnection t;
    record_event(t.db, kEventHeld, std::nullopt, "", kNow);  // before the receiver was seen
    CHECK(enqueue_deliveries(t.db, "webhook:a", kAll, 0) == 0);
    const std::int64_t first = record_event(t.db, kEventHeld, std::nullopt, "", kNow);
    record_event(t.db, kEventSpam, std::nullopt, "", kNow);
    CHECK(enqueue_deliveries(t.db, "webhook:a", kAll, 0) == 2);
    CHECK(enqueue_deliveries(t.db, "webhook:a", kAll, 0) == 0);        // nothing new
    CHECK(enqueue_deliveries(t.db, "email:b", {kEventHeld}, 0) == 0);  // new: from now on
    record_event(t.db, kEventHeld, std::nullopt, "", kNow);
    record_event(t.db, kEventSpam, std::nullopt, "", kNow);
    CHECK(enqueue_deliveries(t.db, "email:b", {kEventHeld}, 0) == 1);
    const auto claimed = claim_deliveries(t.db, "webhook:a", kNow, 10, 60'000);
    REQUIRE(claimed.size() == 2);
    CHECK(claimed[0].event_id == first);
    CHECK(claimed[0].kind == kEventHeld);
    CHECK(claimed[0].attempts == 0);
}

TEST_CASE("a claim keeps a delivery from a second sender until its lease ends") {
    test::TestConnection t;
    enqueue_deliveries(t.db, "webhook:a", kAll, 0);
    record_event(t.db, kEventHeld, std::nullopt, "", kNow);
    enqueue_deliveries(t.db, "webhook:a", kAll, 0);
    CHECK(deliveries_due(t.db, "webhook:a", kNow));
    CHECK(claim_deliveries(t.db, "webhook:a", kNow, 10, 60'000).size() == 1);
    CHECK_FALSE(deliveries_due(t.db, "webhook:a", kNow + 1));
    CHECK(claim_deliveries(t.db, "webhook:a", kNow + 1, 10, 60'000).empty());
    // The first sender died: after the lease another takes it, its second attempt.
    const auto again = claim_deliveries(t.db, "webhook:a", kNow + 60'000, 10, 60'000);
    REQUIRE(again.size() == 1);
    CHECK(again[0].attempts == 1);
    mark_delivered(t.db, again[0].event_id, "webhook:a", kNow + 60'001);
    CHECK(claim_deliveries(t.db, "webhook:a", kNow + 10 * 60'000, 10, 60'000).empty());
    const OutboxFigures figures = outbox_figures(t.db);
    CHECK(figures.pending == 0);
    CHECK(figures.abandoned == 0);
}

TEST_CASE("a failed delivery is due again at its retry, and abandoned 24 hours after its event") {
    test::TestConnection t;
    enqueue_deliveries(t.db, "webhook:a", kAll, 0);
    record_event(t.db, kEventHeld, std::nullopt, "", kNow);
    enqueue_deliveries(t.db, "webhook:a", kAll, 0);
    auto claimed = claim_deliveries(t.db, "webhook:a", kNow, 10, 60'000);
    REQUIRE(claimed.size() == 1);
    CHECK_FALSE(mark_failed(t.db, claimed[0], "answered HTTP 500", kNow + 10'000, kNow));
    OutboxFigures figures = outbox_figures(t.db);
    CHECK(figures.pending == 1);
    CHECK(figures.failing == 1);
    CHECK(figures.oldest_pending_created == kNow);
    CHECK(claim_deliveries(t.db, "webhook:a", kNow + 9'999, 10, 60'000).empty());
    claimed = claim_deliveries(t.db, "webhook:a", kNow + 10'000, 10, 60'000);
    REQUIRE(claimed.size() == 1);
    CHECK(mark_failed(t.db, claimed[0], "timed out", kNow + kGiveUpMs, kNow + 10'001));
    figures = outbox_figures(t.db);
    CHECK(figures.pending == 0);
    CHECK(figures.abandoned == 1);
    CHECK(claim_deliveries(t.db, "webhook:a", kNow + kGiveUpMs, 10, 60'000).empty());
}

TEST_CASE("a digest's deliveries wait for the end of their interval; finished events go") {
    test::TestConnection t;
    constexpr std::int64_t kInterval = 15 * kMinute;
    const std::int64_t slot_end = (kNow / kInterval + 1) * kInterval;
    enqueue_deliveries(t.db, "email:b", kAll, 0);
    record_event(t.db, kEventHeld, std::nullopt, "", slot_end - kInterval + 1);
    record_event(t.db, kEventHeld, std::nullopt, "", slot_end - 1);
    record_event(t.db, kEventHeld, std::nullopt, "", slot_end);  // the next interval's
    enqueue_deliveries(t.db, "email:b", kAll, kInterval);
    CHECK(claim_deliveries(t.db, "email:b", slot_end - 1, 10, 60'000).empty());
    const auto due = claim_deliveries(t.db, "email:b", slot_end, 10, 60'000);
    REQUIRE(due.size() == 2);  // the first two together, however far apart
    for (const auto& d : due)
        mark_delivered(t.db, d.event_id, d.receiver, slot_end + 1000);
    CHECK(claim_deliveries(t.db, "email:b", slot_end + kInterval, 10, 60'000).size() == 1);
    CHECK(delete_finished_events(t.db, slot_end - kInterval) == 0);  // none is older
    CHECK(delete_finished_events(t.db, slot_end) == 2);              // the third is still claimed
    CHECK(count(t.db, "SELECT count(*) FROM notification_deliveries") == 1);  // cascaded
}

TEST_CASE("a delivery given back untried is due at once, and one that keeps failing goes last") {
    test::TestConnection t;
    enqueue_deliveries(t.db, "webhook:a", kAll, 0);
    const std::int64_t first = record_event(t.db, kEventHeld, std::nullopt, "", kNow);
    const std::int64_t second = record_event(t.db, kEventHeld, std::nullopt, "", kNow);
    enqueue_deliveries(t.db, "webhook:a", kAll, 0);
    auto claimed = claim_deliveries(t.db, "webhook:a", kNow, 10, 60'000);
    REQUIRE(claimed.size() == 2);
    mark_failed(t.db, claimed[0], "answered HTTP 403", kNow, kNow);  // due again at once too
    release_delivery(t.db, claimed[1], kNow);
    claimed = claim_deliveries(t.db, "webhook:a", kNow, 1, 60'000);
    REQUIRE(claimed.size() == 1);
    CHECK(claimed[0].event_id == second);  // attempted less often than `first`
    CHECK(claimed[0].attempts == 0);       // the untried claim did not count
    claimed = claim_deliveries(t.db, "webhook:a", kNow, 1, 60'000);
    REQUIRE(claimed.size() == 1);
    CHECK(claimed[0].event_id == first);
}

TEST_CASE("deliveries nobody attempts are abandoned a day after their event") {
    test::TestConnection t;
    enqueue_deliveries(t.db, "webhook:gone", kAll, 0);
    record_event(t.db, kEventHeld, std::nullopt, "", kNow);
    enqueue_deliveries(t.db, "webhook:gone", kAll, 0);
    CHECK(abandon_stale_deliveries(t.db, kNow + kGiveUpMs - 1) == 0);
    CHECK(abandon_stale_deliveries(t.db, kNow + kGiveUpMs + 1) == 1);
    CHECK(outbox_figures(t.db).pending == 0);
    CHECK(outbox_figures(t.db).abandoned == 1);
}

TEST_CASE("a mark above every event (a copied database) starts the receiver afresh") {
    test::TestConnection t;
    put_setting(t.db, "notify.seen.webhook:a", "5000");
    put_setting(t.db, "notify.start.webhook:a", "5000");
    CHECK(enqueue_deliveries(t.db, "webhook:a", kAll, 0) == 0);  // reset to the newest: 0
    record_event(t.db, kEventHeld, std::nullopt, "", kNow);
    CHECK(enqueue_deliveries(t.db, "webhook:a", kAll, 0) == 1);
}

TEST_CASE("on PostgreSQL an event committed late, below a receiver's mark, is still given to it") {
    test::TestConnection t;
    enqueue_deliveries(t.db, "webhook:a", kAll, 0);
    const std::int64_t first = record_event(t.db, kEventHeld, std::nullopt, "", kNow);
    const std::int64_t late = record_event(t.db, kEventHeld, std::nullopt, "", kNow);
    const std::int64_t third = record_event(t.db, kEventHeld, std::nullopt, "", kNow);
    // `late` was drawn by another replica whose transaction had not committed yet.
    t.db.prepare("DELETE FROM notification_events WHERE id = ?1").bind(1, late).run();
    CHECK(enqueue_deliveries(t.db, "webhook:a", kAll, 0) == 2);  // first, third; mark: third
    t.db.prepare(
            "INSERT INTO notification_events (id, kind, detail, created) "
            "VALUES (?1, 'comment.held', '', ?2)")
        .bind(1, late)
        .bind(2, kNow)
        .run();
    const int made = enqueue_deliveries(t.db, "webhook:a", kAll, 0);
    // SQLite's one writer commits transactions in turn: no event can commit below the mark.
    CHECK(made == (t.db.dialect() == Dialect::postgresql ? 1 : 0));
    const auto claimed = claim_deliveries(t.db, "webhook:a", kNow, 10, 60'000);
    CHECK(claimed.size() == (t.db.dialect() == Dialect::postgresql ? 3u : 2u));
    CHECK(claimed.front().event_id == first);
    CHECK(claimed.back().event_id == third);
    CHECK(enqueue_deliveries(t.db, "webhook:a", kAll, 0) == 0);  // none twice
}
