// The moderation statistics kept in schema/sqlite/0007_moderation_counts.sql (counts folded in
// arrears, kept right by triggers, plus the comments not yet folded) against the same figures
// computed from every comment, hit and log entry, after random sequences of the store's own writes:
// posts, decisions, edits scored again, deletions, and folds between them.

#include <doctest/doctest.h>

#include <chrono>
#include <random>
#include <thread>

#include "store/comment_repository.hpp"
#include "store/migrations.hpp"
#include "store/moderation_repository.hpp"
#include "store/moderation_stats.hpp"
#include "store/sqlite/sqlite_connection.hpp"
#include "store/store.hpp"
#include "support/test_database.hpp"
#include "support/test_support.hpp"

using namespace vokter;
using namespace vokter::store;

namespace {

constexpr std::int64_t kDay = 86'400'000;
constexpr std::int64_t kNow = 20'000 * kDay + 13 * 3'600'000;  // 13:00 UTC on day 20,000

// The figures of moderation_stats() computed from the rows themselves, as the definitions in
// store/moderation_stats.hpp read.
ModerationStats computed_stats(Connection& db, int days, int top_rules) {
    ModerationStats stats;
    for (const char* status : {kPending, kSpam, kApproved, kRejected, kDeleted})
        stats.by_status.emplace_back(status, 0);
    auto& counts = db.prepare("SELECT status, count(*) FROM comments GROUP BY status");
    while (counts.step()) {
        for (auto& [status, count] : stats.by_status)
            if (counts.text_view(0) == status) count = counts.int64(1);
    }
    const std::int64_t since = (kNow / kDay - (days - 1)) * kDay;
    for (int i = 0; i < days; ++i)
        stats.days.push_back(DayStats{since + i * kDay});
    auto& per_day = db.prepare(
        "WITH v AS (SELECT c.created / 86400000 AS day, c.status AS status, "
        "COALESCE((SELECT l.old_status FROM moderation_log l WHERE l.comment_id = c.id "
        "ORDER BY l.id LIMIT 1), c.status) AS verdict FROM comments c WHERE c.created >= ?1) "
        "SELECT day, count(*), sum(CASE WHEN status = 'approved' THEN 1 ELSE 0 END), "
        "sum(CASE WHEN verdict = 'approved' THEN 1 ELSE 0 END), "
        "sum(CASE WHEN verdict = 'pending' THEN 1 ELSE 0 END), "
        "sum(CASE WHEN verdict = 'spam' THEN 1 ELSE 0 END) FROM v GROUP BY day");
    per_day.bind(1, since);
    while (per_day.step()) {
        const std::int64_t index = per_day.int64(0) - since / kDay;
        if (index >= days) continue;
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
        "WITH d AS (SELECT h.rule AS rule, h.score AS score, "
        "(SELECT l.new_status FROM moderation_log l WHERE l.comment_id = c.id "
        "AND l.action IN ('approve', 'reject', 'spam') ORDER BY l.id DESC LIMIT 1) AS decision "
        "FROM comments c JOIN rule_hits h ON h.comment_id = c.id WHERE c.created >= ?1) "
        "SELECT rule, count(*), "
        "sum(CASE WHEN (score > 0 AND decision IN ('spam', 'rejected')) OR "
        "(score < 0 AND decision = 'approved') THEN 1 ELSE 0 END), "
        "sum(CASE WHEN (score > 0 AND decision = 'approved') OR "
        "(score < 0 AND decision IN ('spam', 'rejected')) THEN 1 ELSE 0 END) "
        "FROM d GROUP BY rule ORDER BY count(*) DESC, rule LIMIT ?2");
    rules.bind(1, since).bind(2, top_rules);
    while (rules.step()) {
        stats.top_rules.push_back(
            RuleAgreement{rules.text(0), rules.int64(1), rules.int64(2), rules.int64(3)});
    }
    return stats;
}

void check_same(const ModerationStats& kept, const ModerationStats& computed) {
    CHECK(kept.by_status == computed.by_status);
    REQUIRE(kept.days.size() == computed.days.size());
    for (std::size_t i = 0; i < kept.days.size(); ++i) {
        const DayStats& a = kept.days[i];
        const DayStats& b = computed.days[i];
        INFO("day " << i);
        CHECK(a.day_start == b.day_start);
        CHECK(a.submitted == b.submitted);
        CHECK(a.approved == b.approved);
        CHECK(a.auto_approved == b.auto_approved);
        CHECK(a.held == b.held);
        CHECK(a.spam == b.spam);
    }
    CHECK(kept.oldest_pending_created == computed.oldest_pending_created);
    REQUIRE(kept.top_rules.size() == computed.top_rules.size());
    for (std::size_t i = 0; i < kept.top_rules.size(); ++i) {
        INFO("rule " << computed.top_rules[i].rule);
        CHECK(kept.top_rules[i].rule == computed.top_rules[i].rule);
        CHECK(kept.top_rules[i].hits == computed.top_rules[i].hits);
        CHECK(kept.top_rules[i].agreed == computed.top_rules[i].agreed);
        CHECK(kept.top_rules[i].disagreed == computed.top_rules[i].disagreed);
    }
}

// Random rule hits: rules of either sign, sometimes the same rule twice.
core::Verdict random_verdict(std::mt19937& random) {
    static const std::vector<core::Hit> kinds = {{"LINKS", 2.0, "body", "3 links"},
                                                 {"PHARMA", 4.0, "body", "viagra"},
                                                 {"KNOWN_AUTHOR", -2.0, "", "2 approved"},
                                                 {"SHOUTING", 0.5, "body", "71%"},
                                                 {"LINKS", 1.0, "website", "1 link"}};
    core::Verdict verdict;
    verdict.ruleset_version = "test";
    const int count = std::uniform_int_distribution<int>(0, 3)(random);
    for (int i = 0; i < count; ++i) {
        verdict.hits.push_back(
            kinds[std::uniform_int_distribution<std::size_t>(0, kinds.size() - 1)(random)]);
        verdict.score += verdict.hits.back().score;
    }
    return verdict;
}

std::string random_status(std::mt19937& random) {
    static const char* statuses[] = {kApproved, kPending, kSpam};
    return statuses[std::uniform_int_distribution<int>(0, 2)(random)];
}

}  // namespace

TEST_CASE("the kept moderation counts equal the counts computed from the rows") {
    for (const unsigned seed : {1u, 2u, 3u, 4u, 5u, 6u, 7u, 8u}) {
        INFO("seed " << seed);
        vokter::test::TestConnection test;
        Connection& db = test.db;
        std::mt19937 random(seed);
        std::vector<std::int64_t> ids;
        std::int64_t folded = 0;
        for (int step = 0; step < 400; ++step) {
            const int op = std::uniform_int_distribution<int>(0, 10)(random);
            if (op == 10) {  // the store's periodic fold, at a random moment, of a random span
                folded += fold_moderation_counts(
                    db, std::uniform_int_distribution<std::int64_t>(1, 40)(random));
                continue;
            }
            if (op < 4 || ids.empty()) {
                NewComment c;
                c.submission.thread = "/blogg/innlegg-" + std::to_string(step % 3);
                c.submission.name = "Kari";
                c.submission.body = "Takk for innlegget " + std::to_string(step);
                c.status = random_status(random);
                c.verdict = random_verdict(random);
                // From 12 days ago (outside a 10-day window) to 2 days ahead (a skewed clock).
                c.created = kNow + std::uniform_int_distribution<std::int64_t>(-12 * kDay,
                                                                               2 * kDay)(random);
                ids.push_back(insert_comment(db, c));
                continue;
            }
            const std::int64_t id =
                ids[std::uniform_int_distribution<std::size_t>(0, ids.size() - 1)(random)];
            if (op < 8) {
                static const Decision decisions[] = {Decision::approve, Decision::reject,
                                                     Decision::spam, Decision::remove};
                apply_decision(db, id, decisions[std::uniform_int_distribution<int>(0, 3)(random)],
                               "ola", "", kNow);
            } else if (op == 8) {
                core::Submission edited;
                edited.name = "Kari";
                edited.body = "Rettet: takk for innlegget " + std::to_string(step);
                update_comment(db, id, edited, random_verdict(random), random_status(random), kNow);
            } else {
                // A comment row deleted outright (Vokter keeps tombstones; counts follow anyway).
                // Only rows nothing else refers to can go.
                db.prepare(
                      "DELETE FROM comments WHERE id = ?1 AND NOT EXISTS "
                      "(SELECT 1 FROM moderation_log WHERE comment_id = ?1) AND NOT EXISTS "
                      "(SELECT 1 FROM comments WHERE parent_id = ?1 OR root_id = ?1) AND NOT "
                      "EXISTS (SELECT 1 FROM akismet_labels WHERE comment_id = ?1)")
                    .bind(1, id)
                    .run();
            }
            if (step % 50 == 49)
                check_same(moderation_stats(db, kNow, 10, 100), computed_stats(db, 10, 100));
        }
        check_same(moderation_stats(db, kNow, 10, 100), computed_stats(db, 10, 100));
        folded += fold_moderation_counts(db, 1'000'000);
        check_same(moderation_stats(db, kNow, 10, 100), computed_stats(db, 10, 100));
        CHECK(folded > 100);  // most comments were counted by a fold, not read row by row
        CHECK(fold_moderation_counts(db) == 0);
    }
}

TEST_CASE("a comment that takes the id of a deleted, counted one is counted, once" *
          doctest::test_suite("sqlite")) {
    SqliteConnection db(":memory:", Durability::normal);
    migrate(db);
    NewComment c;
    c.submission.thread = "/blogg/innlegg";
    c.submission.name = "Kari";
    c.status = kPending;
    c.created = kNow;
    std::int64_t last = 0;
    for (int i = 0; i < 3; ++i) {
        c.submission.body = "Kommentar " + std::to_string(i);
        last = insert_comment(db, c);
    }
    CHECK(fold_moderation_counts(db) == 3);
    db.prepare("DELETE FROM comments WHERE id = ?1").bind(1, last).run();
    c.submission.body = "Ny kommentar";
    c.status = kSpam;
    const std::int64_t id = insert_comment(db, c);
    if (db.dialect() == Dialect::sqlite) CHECK(id == last);  // SQLite gives the freed id out again
    check_same(moderation_stats(db, kNow, 10, 100), computed_stats(db, 10, 100));
    CHECK(fold_moderation_counts(db) == 1);
    const ModerationStats kept = moderation_stats(db, kNow, 10, 100);
    check_same(kept, computed_stats(db, 10, 100));
    CHECK(kept.days.back().submitted == 3);
    CHECK(kept.days.back().spam == 1);
}

TEST_CASE(
    "comments that keep their ids in an emptied database are counted; later ones take free ids") {
    vokter::test::TestConnection test;
    Connection& db = test.db;
    NewComment c;
    c.submission.thread = "/blogg/innlegg";
    c.submission.name = "Kari";
    c.status = kPending;
    c.created = kNow;
    for (int i = 0; i < 3; ++i) {
        c.submission.body = "Kommentar " + std::to_string(i);
        insert_comment(db, c);
    }
    fold_moderation_counts(db);
    db.exec("DELETE FROM comments");
    // An import of a Vokter export into the now empty database keeps the export's ids, at or
    // below those the deleted rows had.
    c.submission.body = "Importert 2";
    c.status = kSpam;
    c.id = 2;
    CHECK(insert_comment(db, c) == 2);
    c.submission.body = "Importert 1";
    c.status = kApproved;
    c.id = 1;
    CHECK(insert_comment(db, c) == 1);
    c.id.reset();
    c.submission.body = "Ny";
    c.status = kPending;
    CHECK(insert_comment(db, c) > 2);
    check_same(moderation_stats(db, kNow, 10, 100), computed_stats(db, 10, 100));
    fold_moderation_counts(db);
    const ModerationStats kept = moderation_stats(db, kNow, 10, 100);
    check_same(kept, computed_stats(db, 10, 100));
    CHECK(kept.days.back().submitted == 3);
    CHECK(kept.days.back().spam == 1);
}

TEST_CASE("a comment posted after one that kept its id takes a free id") {
    vokter::test::TestConnection test;
    Connection& db = test.db;
    NewComment c;
    c.submission.thread = "/blogg/innlegg";
    c.submission.name = "Kari";
    c.submission.body = "Importert";
    c.status = kApproved;
    c.created = kNow;
    c.id = 5;
    CHECK(insert_comment(db, c) == 5);
    c.id.reset();
    c.submission.body = "Ny";
    CHECK(insert_comment(db, c) == 6);
    // Ids reserved for comments still to come (an import's) are not given out; SQLite gives the
    // largest id plus one, so they are reserved already.
    reserve_comment_ids(db, 1000);
    c.submission.body = "Nyere";
    CHECK(insert_comment(db, c) == (db.dialect() == Dialect::postgresql ? 1001 : 7));
}

TEST_CASE("migrating a database with comments fills the counts from its rows" *
          doctest::test_suite("sqlite")) {
    SqliteConnection db(":memory:", Durability::normal);
    migrate(db);
    std::mt19937 random(7);
    for (int i = 0; i < 60; ++i) {
        NewComment c;
        c.submission.thread = "/blogg/eldre-innlegg";
        c.submission.name = "Ola";
        c.submission.body = "Kommentar " + std::to_string(i);
        c.status = random_status(random);
        c.verdict = random_verdict(random);
        c.created = kNow - (i % 5) * kDay;
        const std::int64_t id = insert_comment(db, c);
        if (i % 3 == 0) apply_decision(db, id, Decision::spam, "ola", "", kNow);
        if (i % 4 == 0) apply_decision(db, id, Decision::approve, "ola", "", kNow);
    }
    fold_moderation_counts(db);
    const ModerationStats before = moderation_stats(db, kNow, 10, 100);
    db.reset_statements();  // a statement left stepping keeps the tables locked
    // As a database of schema version 6 had them: no counts, no triggers; then migrate again.
    db.exec("DROP VIEW uncounted_comment_counts; DROP VIEW uncounted_rule_counts");
    for (const char* trigger :
         {"comment_counts_update", "comment_counts_first_entry", "comment_counts_delete",
          "moderation_counts_newest_deleted", "rule_counts_rescored", "rule_counts_delete",
          "rule_counts_decision"})
        db.exec(std::string("DROP TRIGGER ") + trigger);
    db.exec(  // with what later migrations make, which they make again
        "DROP TABLE comment_counts; DROP TABLE rule_counts; DROP TABLE moderation_counts_state; "
        "DROP TABLE import_keys; DROP TABLE rate_buckets; DROP INDEX comments_parent; "
        "ALTER TABLE moderators DROP COLUMN expires; "
        "ALTER TABLE moderators DROP COLUMN last_used; "
        "ALTER TABLE moderators DROP COLUMN token_created; DROP TABLE notification_deliveries; "
        "DROP TABLE notification_events; PRAGMA user_version = 6");
    CHECK(migrate(db) == latest_schema_version() - 6);
    CHECK(fold_moderation_counts(db) == 0);  // the migration counted every comment
    check_same(moderation_stats(db, kNow, 10, 100), computed_stats(db, 10, 100));
    check_same(moderation_stats(db, kNow, 10, 100), before);
    std::int64_t comments = 0;
    for (const auto& [status, count] : before.by_status)
        comments += count;
    CHECK(comments == 60);
    CHECK(before.top_rules.size() >= 3);
}

TEST_CASE("the store folds new comments into the counts on its own") {
    test::TempDir dir;
    StoreOptions options{vokter::test::location(dir / "counts.db"), Durability::normal};
    options.classifier = false;
    options.fold_counts_ms = 20;
    Store store(options);
    const auto counted_through = [&] {
        auto db = store.read();
        auto& stmt = db->prepare("SELECT counted_through FROM moderation_counts_state");
        REQUIRE(stmt.step());
        return stmt.int64(0);
    };
    CHECK(counted_through() == 0);
    const auto comment = [](int i) {
        NewComment c;
        c.submission.thread = "/blogg/innlegg";
        c.submission.name = "Kari";
        c.submission.body = "Kommentar " + std::to_string(i);
        c.status = i % 3 ? kApproved : kPending;
        c.created = kNow;
        return c;
    };
    const auto wait_for = [&](std::int64_t id) {
        // Folded within a few intervals; a generous bound for a loaded machine.
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
        while (counted_through() < id && std::chrono::steady_clock::now() < deadline)
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        CHECK(counted_through() == id);
    };
    std::int64_t last = 0;
    for (int i = 0; i < 1200; ++i) {  // more than a fold's span: folded in several
        const NewComment c = comment(i);
        last = store.writer().run([&](Connection& db) { return insert_comment(db, c); });
    }
    wait_for(last);
    // Comments written by an exclusive job (an import), which counts no commit of the writer's.
    store.writer().run_exclusive([&](Connection& db) {
        Transaction tx(db);
        for (int i = 0; i < 300; ++i)
            last = insert_comment(db, comment(2000 + i));
        tx.commit();
    });
    wait_for(last);
    auto db = store.read();
    check_same(moderation_stats(*db, kNow, 10, 100), computed_stats(*db, 10, 100));
}
