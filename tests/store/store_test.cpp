#include "store/store.hpp"

#include <doctest/doctest.h>

#include <atomic>
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
