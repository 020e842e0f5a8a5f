// The retention pass (store/retention.hpp) on both stores: what it cuts, deletes and keeps, that
// its dry run counts what it then does, that the moderation counts stay right, and the task
// that runs it in the service.

#include "store/retention.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

#include "store/comment_repository.hpp"
#include "store/moderation_repository.hpp"
#include "store/moderation_stats.hpp"
#include "store/store.hpp"
#include "support/test_database.hpp"
#include "support/test_support.hpp"

using namespace vokter;
using namespace vokter::store;

namespace {

constexpr std::int64_t kDay = 86'400'000;
constexpr std::int64_t kNow = 20'000 * kDay + 13 * 3'600'000;
const RetentionPolicy kPolicy{30, 60};

StoreOptions options_for(const test::TempDir& dir) {
    StoreOptions options{test::location(dir / "retention.db"), Durability::normal};
    options.classifier = false;
    options.fold_counts_ms = 0;  // folded by the test, when it wants
    return options;
}

struct Posted {
    std::string status;
    std::int64_t age_days;
    std::string ip = "192.0.2.77";
    std::optional<std::int64_t> parent;
    std::int64_t now = kNow;  // what age_days counts back from
    bool rewind = false;      // stored as an import stores it (retention_rewind)
};

std::int64_t post(Store& store, const Posted& p) {
    return store.writer().run([&](Connection& db) {
        NewComment c;
        c.submission.thread = "/blogg/personvern";
        c.submission.name = "Åse Ødegård";
        c.submission.email = "ase@example.no";
        c.submission.body = "Kommentar fra " + p.ip + " for " + std::to_string(p.age_days) +
                            " dager siden – blåbær 🫐";
        c.submission.ip = p.ip;
        c.submission.user_agent = "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0";
        c.submission.parent = p.parent;
        if (p.parent) {
            c.root_id = p.parent;
            c.depth = 1;
        }
        c.status = p.status;
        c.verdict.score = p.status == kSpam ? 12 : 1;
        c.verdict.hits.push_back({"lenker", 3.0, "body", "https://x.example"});
        c.verdict.hits.push_back({"nett", 1.0, "ip", p.ip});  // quotes the address
        c.created = p.now - p.age_days * kDay;
        c.updated = c.created;
        const std::int64_t id = insert_comment(db, c);
        if (p.rewind) retention_rewind(db, c.created);
        return id;
    });
}

struct Row {
    std::string status, ip, user_agent, body, name, email;
};

std::optional<Row> row(Store& store, std::int64_t id) {
    auto db = store.read();
    auto& stmt =
        db->prepare("SELECT status, ip, user_agent, body, name, email FROM comments WHERE id = ?1");
    stmt.bind(1, id);
    if (!stmt.step()) return std::nullopt;
    Row r{stmt.text(0), stmt.text(1), stmt.text(2), stmt.text(3), stmt.text(4), stmt.text(5)};
    stmt.reset();
    return r;
}

std::int64_t count(Store& store, const char* sql, std::int64_t id) {
    auto db = store.read();
    auto& stmt = db->prepare(sql);
    stmt.bind(1, id);
    REQUIRE(stmt.step());
    const std::int64_t n = stmt.int64(0);
    stmt.reset();
    return n;
}

std::int64_t report_from(Store& store, const std::string& ip, std::int64_t age_days) {
    return store.writer().run([&](Connection& db) {
        db.prepare(
              "INSERT INTO akismet_labels (api_key, label, body, ip, user_agent, created) "
              "VALUES ('blogg', 'spam', 'Kjøp billige klokker', ?1, 'curl/8.0', ?2)")
            .bind(1, ip)
            .bind(2, kNow - age_days * kDay)
            .run();
        auto& id = db.prepare("SELECT max(id) FROM akismet_labels");
        id.step();
        const std::int64_t last = id.int64(0);
        id.reset();
        return last;
    });
}

}  // namespace

TEST_CASE("a pass cuts the addresses and drops the user agents of old rows, and only theirs") {
    test::TempDir dir;
    Store store(options_for(dir));
    const std::int64_t old_v4 = post(store, {kApproved, 31, "192.0.2.77"});
    const std::int64_t old_v6 = post(store, {kPending, 45, "2001:db8:4a:1::7"});
    const std::int64_t recent = post(store, {kApproved, 29, "198.51.100.9"});
    const std::int64_t old_report = report_from(store, "203.0.113.5", 40);
    const std::int64_t recent_report = report_from(store, "203.0.113.6", 2);

    RetentionReport due;
    {
        auto db = store.read();
        due = retention_due(*db, kPolicy, kNow);
    }
    CHECK(due.addresses == 2);
    CHECK(due.reports == 1);
    CHECK(due.deleted == 0);

    const RetentionReport done =
        apply_retention(store, kPolicy, kNow, std::chrono::milliseconds(0));
    CHECK(done.addresses == 2);
    CHECK(done.reports == 1);
    CHECK(done.error.empty());

    CHECK(row(store, old_v4)->ip == "192.0.2.0");
    CHECK(row(store, old_v4)->user_agent.empty());
    CHECK(row(store, old_v6)->ip == "2001:db8:4a::");
    CHECK(row(store, old_v6)->user_agent.empty());
    // The rest of an old comment stays: it is published, its author known.
    CHECK(row(store, old_v4)->name == "Åse Ødegård");
    CHECK(row(store, old_v4)->body.find("blåbær 🫐") != std::string::npos);
    CHECK(row(store, recent)->ip == "198.51.100.9");
    CHECK(row(store, recent)->user_agent == "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0");
    // A hit on the address quoted it: its detail goes; the others stay.
    const char* kHitDetails =
        "SELECT count(*) FROM rule_hits WHERE comment_id = ?1 AND detail <> ''";
    CHECK(count(store, kHitDetails, old_v4) == 1);
    CHECK(count(store, kHitDetails, recent) == 2);
    CHECK(count(store,
                "SELECT count(*) FROM akismet_labels WHERE id = ?1 AND ip = '203.0.113.0' "
                "AND user_agent = ''",
                old_report) == 1);
    CHECK(count(store,
                "SELECT count(*) FROM akismet_labels WHERE id = ?1 AND ip = '203.0.113.6' "
                "AND user_agent = 'curl/8.0'",
                recent_report) == 1);

    // Nothing is left to do, and a second pass reads only what aged since the first.
    {
        auto db = store.read();
        CHECK(retention_due(*db, kPolicy, kNow).empty());
    }
    CHECK(apply_retention(store, kPolicy, kNow, std::chrono::milliseconds(0)).empty());

    // A day later the comment of 29 days ago is past the period too.
    const RetentionReport next =
        apply_retention(store, kPolicy, kNow + 2 * kDay, std::chrono::milliseconds(0));
    CHECK(next.addresses == 1);
    CHECK(row(store, recent)->ip == "198.51.100.0");
}

TEST_CASE("more old rows than a batch holds are all cut, status by status") {
    test::TempDir dir;
    Store store(options_for(dir));
    const int n = static_cast<int>(kRetentionBatch) * 2 + 7;
    store.writer().run_exclusive([&](Connection& db) {
        Transaction tx(db);
        for (int i = 0; i < n; ++i) {
            NewComment c;
            c.submission.thread = "/blogg/mange";
            c.submission.body = "Kommentar " + std::to_string(i);
            c.submission.ip = "10.0." + std::to_string(i % 256) + "." + std::to_string(i % 200 + 1);
            c.status = i % 3 == 0 ? kApproved : kPending;
            c.created = kNow - 40 * kDay + (i % 5) * 1000;  // ties in created: the id breaks them
            c.updated = c.created;
            insert_comment(db, c);
        }
        tx.commit();
    });
    const RetentionReport done =
        apply_retention(store, kPolicy, kNow, std::chrono::milliseconds(0));
    CHECK(done.addresses == n);
    CHECK(count(store, "SELECT count(*) FROM comments WHERE ip NOT LIKE '%.0' AND id > ?1", 0) ==
          0);
}

TEST_CASE("a pass stopped half-way says so, and the next one finishes the work") {
    test::TempDir dir;
    Store store(options_for(dir));
    const int n = static_cast<int>(kRetentionBatch) * 2 + 50;  // three batches to read
    for (int i = 0; i < n; ++i)
        post(store, {kSpam, 70 + i % 7});
    int asked = 0;  // stops at the second rest: after two batches of addresses
    const RetentionReport first = apply_retention(
        store, kPolicy, kNow, std::chrono::milliseconds(0), [&] { return ++asked > 1; });
    CHECK_FALSE(first.complete);
    CHECK(first.addresses > 0);
    CHECK(first.addresses < n);
    CHECK(first.deleted == 0);
    const RetentionReport second =
        apply_retention(store, kPolicy, kNow, std::chrono::milliseconds(0));
    CHECK(second.complete);
    CHECK(first.addresses + second.addresses == n);
    CHECK(second.deleted == n);
    CHECK(count(store, "SELECT count(*) FROM comments WHERE id > ?1", 0) == 0);
}

TEST_CASE("old spam and rejected comments are deleted; one that is pointed at stays a tombstone") {
    test::TempDir dir;
    Store store(options_for(dir));
    const std::int64_t old_spam = post(store, {kSpam, 61});
    const std::int64_t old_rejected = post(store, {kRejected, 90});
    const std::int64_t recent_spam = post(store, {kSpam, 59});
    const std::int64_t old_approved = post(store, {kApproved, 400});
    const std::int64_t old_pending = post(store, {kPending, 100});
    // A moderator filed this one as spam: the audit log points at it.
    const std::int64_t decided = post(store, {kApproved, 70});
    store.writer().run([&](Connection& db) {
        db.prepare("UPDATE comments SET status = 'spam' WHERE id = ?1").bind(1, decided).run();
        append_log(db, {0, decided, "kari", "spam", kApproved, kSpam, "", kNow - 69 * kDay});
    });
    // Approved once, replied to, then filed as spam: the reply keeps its place.
    const std::int64_t replied = post(store, {kApproved, 80});
    const std::int64_t reply = post(store, {kApproved, 79, "192.0.2.8", replied});
    store.writer().run([&](Connection& db) {
        db.prepare("UPDATE comments SET status = 'spam' WHERE id = ?1").bind(1, replied).run();
    });
    store.writer().run([](Connection& db) { fold_moderation_counts(db, 1000); });

    RetentionReport due;
    {
        auto db = store.read();
        due = retention_due(*db, kPolicy, kNow);
    }
    CHECK(due.deleted == 2);
    CHECK(due.tombstoned == 2);

    const RetentionReport done =
        apply_retention(store, kPolicy, kNow, std::chrono::milliseconds(0));
    CHECK(done.deleted == 2);
    CHECK(done.tombstoned == 2);
    CHECK_FALSE(row(store, old_spam));
    CHECK_FALSE(row(store, old_rejected));
    CHECK(count(store, "SELECT count(*) FROM rule_hits WHERE comment_id = ?1", old_spam) == 0);
    for (const std::int64_t kept : {decided, replied}) {
        const auto tomb = row(store, kept);
        REQUIRE(tomb);
        CHECK(tomb->status == kDeleted);
        CHECK(tomb->body.empty());
        CHECK(tomb->name.empty());
        CHECK(tomb->email.empty());
        CHECK(tomb->ip.empty());
        CHECK(count(store, "SELECT count(*) FROM rule_hits WHERE comment_id = ?1 AND detail <> ''",
                    kept) == 0);
    }
    CHECK(comment_history(*store.read(), decided).size() == 1);
    CHECK(row(store, reply)->status == kApproved);
    CHECK(row(store, recent_spam)->status == kSpam);
    CHECK(row(store, old_approved)->status == kApproved);
    CHECK(row(store, old_pending)->status == kPending);

    // The kept counts of the statistics lose what went, as the rows do.
    ModerationStats stats;
    {
        auto db = store.read();
        stats = moderation_stats(*db, kNow);
    }
    for (const auto& counted : stats.by_status) {  // no bindings: clang 14's doctest macros
        auto db = store.read();
        auto& rows = db->prepare("SELECT count(*) FROM comments WHERE status = ?1");
        rows.bind(1, counted.first).step();
        CHECK_MESSAGE(counted.second == rows.int64(0), counted.first);
        rows.reset();
    }
    CHECK(apply_retention(store, kPolicy, kNow, std::chrono::milliseconds(0)).deleted == 0);
}

TEST_CASE("old comments stored after a pass (an import) are cut by the next one") {
    test::TempDir dir;
    Store store(options_for(dir));
    post(store, {kApproved, 40});
    CHECK(apply_retention(store, kPolicy, kNow, std::chrono::milliseconds(0)).addresses == 1);
    // Older than where the pass got to: without the rewind the next pass would not read it.
    const std::int64_t imported = post(store, {kApproved, 3000, "198.51.100.200", {}, kNow, true});
    CHECK(apply_retention(store, kPolicy, kNow, std::chrono::milliseconds(0)).addresses == 1);
    CHECK(row(store, imported)->ip == "198.51.100.0");
}

TEST_CASE("the service's task runs a pass at start and reports it") {
    test::TempDir dir;
    Store store(options_for(dir));
    // Today's clock: the task reads the real time.
    const std::int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                                 std::chrono::system_clock::now().time_since_epoch())
                                 .count();
    const std::int64_t old = post(store, {kSpam, 100, "192.0.2.55", {}, now});
    std::mutex mutex;
    std::vector<RetentionReport> reports;
    {
        RetentionTask task(store, kPolicy, [&](const RetentionReport& r) {
            std::lock_guard lock(mutex);
            reports.push_back(r);
        });
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
        while (task.passes() == 0 && std::chrono::steady_clock::now() < deadline)
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        CHECK(task.passes() == 1);  // the next one is an hour away
    }
    CHECK_FALSE(row(store, old));
    std::lock_guard lock(mutex);
    REQUIRE(reports.size() == 1);
    CHECK(reports[0].addresses == 1);
    CHECK(reports[0].deleted == 1);
}
