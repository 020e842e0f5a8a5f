#include "store/migrations.hpp"

#include <doctest/doctest.h>

#include "support/test_support.hpp"

using namespace vokter::store;

TEST_CASE("a new database gets every migration, and applying again does nothing") {
    Connection db(":memory:", Durability::normal);
    CHECK(schema_version(db) == 0);
    const int applied = migrate(db);
    CHECK(applied == latest_schema_version());
    CHECK(schema_version(db) == latest_schema_version());
    CHECK(migrate(db) == 0);
    // The core tables exist.
    for (const char* table : {"threads", "comments", "rule_hits", "moderators", "moderation_log"}) {
        auto& stmt =
            db.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?1");
        stmt.bind(1, table);
        REQUIRE(stmt.step());
        CHECK_MESSAGE(stmt.int64(0) == 1, table);
    }
}

TEST_CASE("a database from a newer Vokter is refused with a clear message") {
    vokter::test::TempDir dir;
    const std::string path = (dir / "newer.db").string();
    {
        Connection db(path, Durability::normal);
        db.exec("PRAGMA user_version = 9999");
    }
    Connection db(path, Durability::normal);
    CHECK_THROWS_WITH_AS(migrate(db), doctest::Contains("newer Vokter"), SchemaTooNew);
    CHECK(schema_version(db) == 9999);
}

TEST_CASE("the thread page and queue queries use their indexes") {
    Connection db(":memory:", Durability::normal);
    migrate(db);
    const auto plan = [&](const char* sql) {
        std::string text;
        auto& stmt = db.prepare(sql);
        while (stmt.step())
            text += stmt.text(3) + "\n";
        return text;
    };
    CHECK(plan("EXPLAIN QUERY PLAN SELECT id FROM comments WHERE thread_id = 1 AND parent_id IS "
               "NULL AND (created, id) > (0, 0) ORDER BY created, id LIMIT 10")
              .find("comments_thread_roots") != std::string::npos);
    CHECK(plan("EXPLAIN QUERY PLAN SELECT count(*) FROM comments WHERE ip = '1' AND created >= 5")
              .find("comments_ip_created") != std::string::npos);
    CHECK(
        plan(
            "EXPLAIN QUERY PLAN SELECT 1 FROM comments WHERE body_fingerprint = 1 AND created >= 5")
            .find("comments_fingerprint") != std::string::npos);
}
