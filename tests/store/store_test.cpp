#include "store/store.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <latch>
#include <memory>
#include <thread>
#include <vector>

#include "store/comment_repository.hpp"
#include "support/test_database.hpp"
#include "support/test_support.hpp"

using namespace vokter::store;

TEST_CASE("readers wait for a connection instead of opening more than max_readers") {
    vokter::test::TempDir dir;
    Store store(StoreOptions{vokter::test::location(dir / "s.db"), Durability::normal, 2});
    std::atomic<int> inside{0};
    std::atomic<int> most{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < 8; ++i) {
        threads.emplace_back([&] {
            for (int k = 0; k < 20; ++k) {
                auto db = store.read();
                const int now = ++inside;
                int seen = most.load();
                while (now > seen && !most.compare_exchange_weak(seen, now)) {
                }
                CHECK(find_thread(*db, "/none") == std::nullopt);
                std::this_thread::sleep_for(std::chrono::microseconds(200));
                --inside;
            }
        });
    }
    for (auto& t : threads)
        t.join();
    CHECK(most.load() <= 2);
    CHECK(most.load() >= 1);
}

TEST_CASE("a reader sees what the writer committed before it was lent") {
    vokter::test::TempDir dir;
    Store store(StoreOptions{vokter::test::location(dir / "s.db"), Durability::normal, 1});
    {
        auto db = store.read();  // warm the only connection with a read
        CHECK_FALSE(find_thread(*db, "/a"));
    }
    store.writer().run([](Connection& db) { ensure_thread(db, "/a", "", 1); });
    auto db = store.read();
    CHECK(find_thread(*db, "/a"));
}

TEST_CASE("a session the server ended is opened again for the next statement, not failed" *
          doctest::test_suite("postgresql")) {
    REQUIRE(vokter::test::testing_postgresql());
    vokter::test::TempDir dir;
    Store store(StoreOptions{vokter::test::location(dir / "s.db"), Durability::normal, 1});
    const auto pid_of = [](Connection& db) {
        auto& stmt = db.prepare("SELECT pg_backend_pid()");
        stmt.step();
        const std::int64_t pid = stmt.int64(0);
        stmt.reset();
        return pid;
    };
    const auto terminate = [&](std::int64_t pid) {
        auto other = open_connection(store.options().path, Durability::normal);
        auto& stmt = other->prepare("SELECT pg_terminate_backend(CAST(?1 AS INTEGER), 5000)");
        stmt.bind(1, pid).step();
        CHECK(stmt.int64(0) == 1);
    };
    // A pooled reader: its next read runs on a new session.
    std::int64_t reader = 0;
    {
        auto db = store.read();
        reader = pid_of(*db);
    }
    terminate(reader);
    {
        auto db = store.read();
        CHECK(pid_of(*db) != reader);
        CHECK(get_setting(*db, "nothing") == std::nullopt);
    }
    // The writer: the BEGIN of its next batch runs on a new session.
    const std::int64_t writer = store.writer().run([&](Connection& db) { return pid_of(db); });
    terminate(writer);
    store.writer().run([](Connection& db) { put_setting(db, "after", "ja"); });
    CHECK(store.writer().run([&](Connection& db) { return pid_of(db); }) != writer);
    CHECK(get_setting(*store.read(), "after") == "ja");
}

namespace {

// Options for two Stores on one PostgreSQL database, as two replicas: with neither the
// classifier's trainer nor the counts folder, whose own jobs would commit beside the test's.
StoreOptions replica_options(const vokter::test::TempDir& dir) {
    StoreOptions options{vokter::test::location(dir / "s.db"), Durability::normal};
    options.classifier = false;
    options.fold_counts_ms = 0;
    return options;
}

}  // namespace

TEST_CASE("a batch that deadlocks with another replica's runs again instead of failing" *
          doctest::test_suite("postgresql")) {
    REQUIRE(vokter::test::testing_postgresql());
    vokter::test::TempDir dir;
    const StoreOptions options = replica_options(dir);
    Store one(options);
    Store two(options);  // a second replica on the same database
    // Each replica's job makes one thread, waits until the other has made its own, then makes
    // the other's: each then waits for the other's transaction, and the server aborts one.
    std::latch both_started(2);
    const auto job = [&](const char* first, const char* second) {
        return [&, first, second, runs = std::make_shared<int>(0)](Connection& db) {
            ensure_thread(db, first, "", 1);
            if ((*runs)++ == 0) both_started.arrive_and_wait();
            ensure_thread(db, second, "", 1);
        };
    };
    std::exception_ptr failed_one, failed_two;
    std::thread a([&] {
        try {
            one.writer().run(job("/a", "/b"));
        } catch (...) {
            failed_one = std::current_exception();
        }
    });
    std::thread b([&] {
        try {
            two.writer().run(job("/b", "/a"));
        } catch (...) {
            failed_two = std::current_exception();
        }
    });
    a.join();
    b.join();
    CHECK_FALSE(failed_one);
    CHECK_FALSE(failed_two);
    CHECK(one.writer().timings().conflicts + two.writer().timings().conflicts >= 1);
    auto db = one.read();
    CHECK(find_thread(*db, "/a"));
    CHECK(find_thread(*db, "/b"));
}

TEST_CASE("a replica's commits reach the others' generation, at most one notification a gap" *
          doctest::test_suite("postgresql")) {
    REQUIRE(vokter::test::testing_postgresql());
    vokter::test::TempDir dir;
    const StoreOptions options = replica_options(dir);
    Store one(options);
    Store two(options);
    const auto commit = [&](int i) {
        one.writer().run([i](Connection& db) { put_setting(db, "n", std::to_string(i)); });
    };
    // Until two's listener has its session: the first notification it gets.
    const std::uint64_t before = two.generation();
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    for (int i = 0; two.generation() == before && std::chrono::steady_clock::now() < deadline;
         ++i) {
        commit(i);
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    REQUIRE(two.generation() > before);
    std::this_thread::sleep_for(Writer::kNotifyGap * 5);  // what is on its way arrives

    const std::uint64_t start = two.generation();
    const auto started = std::chrono::steady_clock::now();
    const int commits = 300;
    for (int i = 0; i < commits; ++i)
        commit(i);
    const auto elapsed = std::chrono::steady_clock::now() - started;
    std::this_thread::sleep_for(Writer::kNotifyGap * 10);  // the last notification too
    const std::uint64_t received = two.generation() - start;
    CHECK(received >= 1);  // the last commit is announced, late by a gap at most
    // One notification a gap, for every commit made meanwhile, plus the one under way at each
    // end.
    CHECK(received <= static_cast<std::uint64_t>(elapsed / Writer::kNotifyGap) + 2);
    CHECK(get_setting(*two.read(), "n") == std::to_string(commits - 1));
}
