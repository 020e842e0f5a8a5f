#include "store/migrations.hpp"

#include <doctest/doctest.h>

#include "store/sqlite/sqlite_connection.hpp"
#include "support/test_database.hpp"
#include "support/test_support.hpp"

using namespace vokter::store;

TEST_CASE("a new database gets every migration, and applying again does nothing") {
    const auto owner = vokter::test::fresh_connection();
    Connection& db = *owner;
    CHECK(schema_version(db) == 0);
    const int applied = migrate(db);
    // PostgreSQL's first file makes the schema of SQLite's version 10 at once.
    CHECK(applied == (db.dialect() == Dialect::sqlite ? latest_schema_version()
                                                      : latest_schema_version() - 9));
    CHECK(schema_version(db) == latest_schema_version(db.dialect()));
    CHECK(latest_schema_version(Dialect::postgresql) == latest_schema_version(Dialect::sqlite));
    CHECK(migrate(db) == 0);
    // The core tables exist, and start empty.
    for (const char* table : {"threads", "comments", "rule_hits", "moderators", "moderation_log",
                              "classifier_totals", "import_keys", "rate_buckets"}) {
        CAPTURE(table);
        db.exec(std::string("SELECT count(*) FROM ") + table);
    }
}

TEST_CASE("a database from a newer Vokter is refused with a clear message") {
    vokter::test::TempDir dir;
    const std::string path = vokter::test::location(dir / "newer.db");
    {
        const auto db = open_connection(path, Durability::normal);
        migrate(*db);
        db->exec(db->dialect() == Dialect::sqlite ? "PRAGMA user_version = 9999"
                                                  : "UPDATE schema_version SET version = 9999");
    }
    const auto db = open_connection(path, Durability::normal);
    CHECK_THROWS_WITH_AS(migrate(*db), doctest::Contains("newer Vokter"), SchemaTooNew);
    CHECK(schema_version(*db) == 9999);
}

TEST_CASE("the thread page and queue queries use their indexes" * doctest::test_suite("sqlite")) {
    SqliteConnection db(":memory:", Durability::normal);
    migrate(db);
    const auto plan = [&](const char* sql) {
        std::string text;
        auto& stmt = db.prepare(sql);
        while (stmt.step())
            text += stmt.text(3) + "\n";
        return text;
    };
    // The public roots of a thread: its comments in time order, from the cursor on.
    {
        const std::string roots = plan(
            "EXPLAIN QUERY PLAN SELECT id FROM comments c WHERE thread_id = 1 AND parent_id IS "
            "NULL AND (created, id) > (0, 0) AND (status = 'approved' OR EXISTS (SELECT 1 FROM "
            "comments r WHERE r.root_id = c.id AND +r.status = 'approved')) ORDER BY created, "
            "id LIMIT 10");
        CHECK(roots.find("comments_thread_created (thread_id=? AND created>?)") !=
              std::string::npos);
        CHECK(roots.find("TEMP B-TREE") == std::string::npos);
    }
    // A thread's queue by time: through comments_thread, not a whole status across threads.
    CHECK(plan("EXPLAIN QUERY PLAN SELECT id FROM comments c WHERE +c.status = 'pending' AND "
               "c.thread_id = 1 AND (c.created, c.id) < (9, 9) ORDER BY c.created DESC, c.id "
               "DESC LIMIT 51")
              .find("comments_thread_created (thread_id=? AND created<?)") != std::string::npos);
    // Replies are probed through comments_root, never by walking every approved comment (which
    // SQLite picks without statistics when the status term may use an index).
    CHECK(plan("EXPLAIN QUERY PLAN SELECT id FROM comments c WHERE thread_id = 1 AND status IN "
               "('pending', 'spam') AND parent_id IS NULL AND EXISTS (SELECT 1 FROM comments r "
               "WHERE r.root_id = c.id AND +r.status = 'approved')")
              .find("SEARCH r USING INDEX comments_root") != std::string::npos);
    // … an index of replies only: a top-level comment (root_id NULL) writes no entry in it.
    {
        auto& sql = db.prepare("SELECT sql FROM sqlite_master WHERE name = 'comments_root'");
        REQUIRE(sql.step());
        CHECK(sql.text(0).find("WHERE root_id IS NOT NULL") != std::string::npos);
    }
    CHECK(plan("EXPLAIN QUERY PLAN SELECT id, body FROM comments WHERE root_id IN (SELECT value "
               "FROM json_each('[1,2]')) ORDER BY created, id")
              .find("SEARCH comments USING INDEX comments_root (root_id=?)") != std::string::npos);
    // A thread's queue by score uses the partial index when the query names its condition.
    {
        const std::string by_score = plan(
            "EXPLAIN QUERY PLAN SELECT id FROM comments WHERE status = 'pending' AND status <> "
            "'approved' AND thread_id = 1 ORDER BY score DESC, id DESC LIMIT 10");
        CHECK(by_score.find("comments_thread_queue_score") != std::string::npos);
        CHECK(by_score.find("TEMP B-TREE") == std::string::npos);
    }
    // Approved comments of a thread by score: through the thread's index, never by walking
    // every approved comment in score order (what SQLite picks without the unary pluses).
    CHECK(plan("EXPLAIN QUERY PLAN SELECT id FROM comments c WHERE +c.status = 'approved' AND "
               "c.thread_id = 1 AND (+c.score, c.id) < (5.0, 9) ORDER BY +c.score DESC, c.id "
               "DESC LIMIT 51")
              .find("comments_thread_created (thread_id=?)") != std::string::npos);
    // Both facts about an author come from one index, without a sort or a table scan.
    CHECK(plan("EXPLAIN QUERY PLAN SELECT 1 FROM comments WHERE email = 'a' AND email <> '' AND "
               "status IN ('approved', 'pending', 'spam', 'rejected', 'deleted') AND created >= 5")
              .find("COVERING INDEX comments_email") != std::string::npos);
    CHECK(plan("EXPLAIN QUERY PLAN SELECT 1 FROM comments WHERE email = 'a' AND email <> '' AND "
               "status = 'approved'")
              .find("COVERING INDEX comments_email") != std::string::npos);
    // The resubmission check on every post: by the body's fingerprint, not the thread's comments.
    CHECK(plan("EXPLAIN QUERY PLAN SELECT EXISTS (SELECT 1 FROM comments c JOIN threads t ON t.id "
               "= +c.thread_id WHERE c.body_fingerprint = 1 AND c.created >= 2 AND t.uri = 'x' "
               "AND (c.ip = 'i' OR c.email = 'e'))")
              .find("comments_fingerprint (body_fingerprint=? AND created>?)") !=
          std::string::npos);
    CHECK(plan("EXPLAIN QUERY PLAN SELECT count(*) FROM comments WHERE ip = '1' AND created >= 5")
              .find("comments_ip_created") != std::string::npos);
    CHECK(
        plan(
            "EXPLAIN QUERY PLAN SELECT 1 FROM comments WHERE body_fingerprint = 1 AND created >= 5")
            .find("comments_fingerprint") != std::string::npos);
}
