#include "store/writer.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "support/test_support.hpp"

using namespace vokter::store;

namespace {
void create_table(Writer& writer) {
    writer.run_exclusive([](Connection& db) { db.exec("CREATE TABLE t (v INTEGER UNIQUE)"); });
}
std::int64_t count_rows(const std::string& path) {
    Connection db(path, Durability::normal);
    auto& stmt = db.prepare("SELECT count(*) FROM t");
    stmt.step();
    return stmt.int64(0);
}
}  // namespace

TEST_CASE("concurrent jobs are committed, several to a transaction") {
    vokter::test::TempDir dir;
    const std::string path = (dir / "w.db").string();
    std::uint64_t commits = 0;
    {
        Writer writer(path, Durability::full);
        create_table(writer);
        std::vector<std::thread> threads;
        std::atomic<int> done{0};
        for (int t = 0; t < 16; ++t) {
            threads.emplace_back([&, t] {
                for (int i = 0; i < 50; ++i) {
                    const std::int64_t id = writer.run([&](Connection& db) {
                        db.prepare("INSERT INTO t (v) VALUES (?1)").bind(1, t * 1000 + i).run();
                        return db.last_insert_id();
                    });
                    if (id > 0) done.fetch_add(1);
                }
            });
        }
        for (auto& thread : threads)
            thread.join();
        CHECK(done.load() == 800);
        commits = writer.commits();
    }
    CHECK(count_rows(path) == 800);
    // 800 jobs from 16 threads share transactions: fewer commits than jobs.
    CHECK(commits < 800);
}

TEST_CASE("a failing job is undone alone; the others in its batch commit") {
    vokter::test::TempDir dir;
    const std::string path = (dir / "w.db").string();
    {
        Writer writer(path, Durability::normal);
        create_table(writer);
        writer.run([](Connection& db) { db.prepare("INSERT INTO t (v) VALUES (1)").run(); });
        std::vector<std::thread> threads;
        std::atomic<int> failures{0};
        for (int t = 0; t < 8; ++t) {
            threads.emplace_back([&, t] {
                try {
                    writer.run([&](Connection& db) {
                        db.prepare("INSERT INTO t (v) VALUES (?1)").bind(1, 100 + t).run();
                        // Every even job then breaks the UNIQUE constraint after its first insert.
                        if (t % 2 == 0) db.prepare("INSERT INTO t (v) VALUES (1)").run();
                    });
                } catch (const StoreError& e) {
                    if (e.is_constraint()) failures.fetch_add(1);
                }
            });
        }
        for (auto& thread : threads)
            thread.join();
        CHECK(failures.load() == 4);
    }
    CHECK(count_rows(path) == 1 + 4);  // the odd jobs only; the even ones left nothing behind
}

TEST_CASE("an exception of the job reaches the caller, and the writer goes on") {
    Writer writer(":memory:", Durability::normal);
    CHECK_THROWS_WITH(writer.run([](Connection&) -> int { throw std::runtime_error("boom"); }),
                      "boom");
    CHECK(writer.run([](Connection& db) {
        auto& stmt = db.prepare("SELECT 41 + 1");
        stmt.step();
        return stmt.int64(0);
    }) == 42);
}
