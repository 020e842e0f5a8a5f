#include "store/writer.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <future>
#include <thread>
#include <vector>

#include "store/sqlite/sqlite_connection.hpp"
#include "support/test_database.hpp"
#include "support/test_support.hpp"

using namespace vokter::store;

namespace {
void create_table(Writer& writer) {
    writer.run_exclusive([](Connection& db) { db.exec("CREATE TABLE t (v INTEGER UNIQUE)"); });
}
std::int64_t count_rows(const std::string& path) {
    const auto db = open_connection(path, Durability::normal);
    auto& stmt = db->prepare("SELECT count(*) FROM t");
    stmt.step();
    return stmt.int64(0);
}
}  // namespace

TEST_CASE("concurrent jobs are committed, several to a transaction") {
    vokter::test::TempDir dir;
    const std::string path = vokter::test::location(dir / "w.db");
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
                        auto& insert = db.prepare("INSERT INTO t (v) VALUES (?1) RETURNING v");
                        insert.bind(1, t * 1000 + i).step();
                        return insert.int64(0) + 1;
                    });
                    if (id > 0) done.fetch_add(1);
                }
            });
        }
        for (auto& thread : threads)
            thread.join();
        CHECK(done.load() == 800);
        commits = writer.commits();
        // Where its time went: every job counted once, in as many batches as commits (and the
        // CREATE TABLE's exclusive one), each batch's time split into statements and COMMIT.
        const WriterTimings t = writer.timings();
        CHECK(t.jobs == 801);
        CHECK(t.batches == commits + 1);
        CHECK(t.commit_us > 0);
        CHECK(t.statements_us > 0);
        CHECK(t.queue_wait_us > 0);
        CHECK(t.busy_us >= t.statements_us + t.commit_us + t.checkpoint_us);
        // Durable: on SQLite the WAL was synced apart from the commits, once for one or more
        // batches (and once for the exclusive job); PostgreSQL's COMMIT is durable itself.
        if (vokter::test::testing_postgresql()) {
            CHECK(t.syncs == 0);
        } else {
            CHECK(t.syncs >= 1);
            CHECK(t.syncs <= t.batches);
            CHECK(t.sync_us > 0);
        }
    }
    CHECK(count_rows(path) == 800);
    // 800 jobs from 16 threads share transactions: fewer commits than jobs.
    CHECK(commits < 800);
}

TEST_CASE("a durable writer syncs the WAL of a database reached through a symbolic link" *
          doctest::test_suite("sqlite")) {
    vokter::test::TempDir dir;
    std::filesystem::create_directories(dir / "data");
    const std::string real = (dir / "data" / "w.db").string();
    { SqliteConnection create(real, Durability::normal); }
    std::filesystem::create_symlink(real, dir / "link.db");
    Writer writer((dir / "link.db").string(), Durability::full);
    create_table(writer);  // SQLite keeps the WAL beside the real file: data/w.db-wal
    for (int i = 0; i < 5; ++i)
        writer.run(
            [&](Connection& db) { db.prepare("INSERT INTO t (v) VALUES (?1)").bind(1, i).run(); });
    CHECK(writer.timings().syncs >= 2);
    CHECK(std::filesystem::exists(real + "-wal"));
    CHECK(count_rows(real) == 5);
}

TEST_CASE("with durability normal the writer never syncs the WAL itself" *
          doctest::test_suite("sqlite")) {
    vokter::test::TempDir dir;
    Writer writer((dir / "w.db").string(), Durability::normal);
    create_table(writer);
    for (int i = 0; i < 20; ++i)
        writer.run(
            [&](Connection& db) { db.prepare("INSERT INTO t (v) VALUES (?1)").bind(1, i).run(); });
    CHECK(writer.timings().syncs == 0);
    CHECK(count_rows((dir / "w.db").string()) == 20);
}

TEST_CASE("a failing job is undone alone; the others in its batch commit") {
    vokter::test::TempDir dir;
    const std::string path = vokter::test::location(dir / "w.db");
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

TEST_CASE("failing jobs queued behind a busy writer share a batch and are undone alone") {
    vokter::test::TempDir dir;
    const std::string path = vokter::test::location(dir / "w.db");
    {
        Writer writer(path, Durability::normal);
        create_table(writer);
        writer.run([](Connection& db) { db.prepare("INSERT INTO t (v) VALUES (1)").run(); });
        // Hold the writer inside a job until every other job is queued, so they form one batch.
        std::promise<void> release;
        std::shared_future<void> gate = release.get_future().share();
        std::atomic<bool> holding{false};
        std::thread holder([&] {
            writer.run([&](Connection&) {
                holding = true;
                gate.wait();
            });
        });
        while (!holding)
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        std::vector<std::thread> threads;
        std::vector<int> outcome(6, -1);  // 1 committed, 0 failed with a constraint error
        for (int t = 0; t < 6; ++t) {
            threads.emplace_back([&, t] {
                try {
                    writer.run([&](Connection& db) {
                        db.prepare("INSERT INTO t (v) VALUES (?1)").bind(1, 200 + t).run();
                        // Jobs 0, 3 and 5 (first, middle, last) break the UNIQUE constraint.
                        if (t % 3 == 0 || t == 5) {
                            db.prepare("INSERT INTO t (v) VALUES (1)").run();
                        }
                    });
                    outcome[t] = 1;
                } catch (const StoreError& e) {
                    outcome[t] = e.is_constraint() ? 0 : 2;
                }
            });
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        release.set_value();
        holder.join();
        for (auto& thread : threads)
            thread.join();
        CHECK(outcome == std::vector<int>{0, 1, 1, 0, 1, 0});
    }
    const auto db = open_connection(path, Durability::normal);
    auto& rows = db->prepare("SELECT v FROM t ORDER BY v");
    std::vector<std::int64_t> kept;
    while (rows.step())
        kept.push_back(rows.int64(0));
    CHECK(kept == std::vector<std::int64_t>{1, 201, 202, 204});
}

TEST_CASE("an exception of the job reaches the caller, and the writer goes on") {
    vokter::test::TempDir dir;
    Writer writer(vokter::test::location(dir / "w.db"), Durability::normal);
    CHECK_THROWS_WITH(writer.run([](Connection&) -> int { throw std::runtime_error("boom"); }),
                      "boom");
    CHECK(writer.run([](Connection& db) {
        auto& stmt = db.prepare("SELECT 41 + 1");
        stmt.step();
        return stmt.int64(0);
    }) == 42);
}

TEST_CASE("checkpoints copy the WAL into the database file beside the writer" *
          doctest::test_suite("sqlite")) {
    vokter::test::TempDir dir;
    const std::string path = (dir / "w.db").string();
    Writer writer(path, Durability::normal, 128, CheckpointPolicy{20, 1'000'000});
    writer.run_exclusive([](Connection& db) { db.exec("CREATE TABLE b (v BLOB)"); });
    const auto database_size = [&] { return std::filesystem::file_size(path); };
    const auto before = database_size();
    // About 50 pages of WAL, in 10 commits: past background_pages, far below inline_pages, so
    // only the checkpointer thread can have copied them into the database file.
    for (int i = 0; i < 10; ++i) {
        writer.run(
            [](Connection& db) { db.prepare("INSERT INTO b (v) VALUES (zeroblob(20000))").run(); });
    }
    for (int wait = 0; wait < 500 && database_size() < before + 150'000; ++wait)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    CHECK(database_size() >= before + 150'000);
}

TEST_CASE("under steady writes from many threads the WAL file stays bounded" *
          doctest::test_suite("sqlite")) {
    vokter::test::TempDir dir;
    const std::string path = (dir / "w.db").string();
    const CheckpointPolicy policy{20, 200};
    {
        Writer writer(path, Durability::normal, 128, policy);
        writer.run_exclusive([](Connection& db) { db.exec("CREATE TABLE b (v BLOB)"); });
        std::vector<std::thread> threads;
        for (int t = 0; t < 8; ++t) {
            threads.emplace_back([&] {
                for (int i = 0; i < 120; ++i) {
                    writer.run([](Connection& db) {
                        db.prepare("INSERT INTO b (v) VALUES (zeroblob(9000))").run();
                    });
                }
            });
        }
        for (auto& thread : threads)
            thread.join();
        // 960 rows of 3 pages each: ~3,000 pages went through a WAL that restarts once it holds
        // inline_pages; without that it would hold them all. The writer's checkpoint can find a
        // pass of the checkpointer running and try again after the next batch (on a loaded
        // machine, a few times), so allow four times inline_pages, plus one batch of 128 jobs.
        const auto frame = 4096 + 24;
        CHECK(std::filesystem::file_size(path + "-wal") <
              (4 * policy.inline_pages + 128 * 3) * frame);
    }
    SqliteConnection db(path, Durability::normal);
    auto& count = db.prepare("SELECT count(*) FROM b");
    count.step();
    CHECK(count.int64(0) == 960);
}
