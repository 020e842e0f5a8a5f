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
