// The store under real storage faults: a lock another connection holds, a full disk (a small
// tmpfs), a damaged file, a read-only file, an empty file. Faults are StoreErrors that say they
// are unavailable (the HTTP layer answers 503), the store reports that it cannot write until a
// write succeeds again, and no write that was reported committed is lost.
#include <doctest/doctest.h>

#include <atomic>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "store/comment_repository.hpp"
#include "store/sqlite/sqlite_connection.hpp"
#include "store/store.hpp"
#include "support/storage_faults.hpp"
#include "support/test_database.hpp"
#include "support/test_support.hpp"

using namespace vokter::store;
using vokter::test::TempDir;

namespace {

StoreOptions options_for(const std::filesystem::path& path) {
    StoreOptions options{path.string(), Durability::normal};
    options.busy_timeout_ms = 200;
    return options;
}

// Waits up to 10 s for write_health() to say writable (its probe runs in the background).
bool becomes_writable(Store& store) {
    for (int i = 0; i < 1000; ++i) {
        if (store.write_health().writable) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
}

// A database of about 100 pages, closed cleanly (no WAL left).
void make_database(const std::filesystem::path& path) {
    Store store(options_for(path));
    store.writer().run([](Connection& db) {
        for (int i = 0; i < 200; ++i)
            put_setting(db, "filler-" + std::to_string(i), std::string(1500, 'a' + i % 26));
    });
}

}  // namespace

TEST_CASE("a lock held by another connection: writes fail as unavailable, the store says so" *
          doctest::test_suite("sqlite")) {
    TempDir dir;
    Store store(options_for(dir / "s.db"));
    CHECK(store.write_health().writable);
    SqliteConnection other((dir / "s.db").string(), Durability::normal);
    other.exec("BEGIN IMMEDIATE");
    bool refused = false;
    try {
        store.writer().run([](Connection& db) { put_setting(db, "a", "1"); });
    } catch (const StoreError& e) {
        refused = true;
        CHECK(e.is_unavailable());
        CHECK(e.is_busy());
        CHECK(e.reason().find("locked") != std::string::npos);
    }
    CHECK(refused);
    const WriteHealth health = store.write_health();
    CHECK_FALSE(health.writable);
    CHECK(health.error.find("locked") != std::string::npos);
    {
        auto db = store.read();  // reads go on
        CHECK_FALSE(get_setting(*db, "a"));
    }
    other.exec("ROLLBACK");
    CHECK(becomes_writable(store));  // the probe found the lock gone, without a real write
    store.writer().run([](Connection& db) { put_setting(db, "a", "1"); });
    auto db = store.read();
    CHECK(get_setting(*db, "a") == "1");
}

TEST_CASE("a constraint failure is the job's own, not a storage fault") {
    TempDir dir;
    Store store(StoreOptions{vokter::test::location(dir / "s.db"), Durability::normal});
    CHECK_THROWS_AS(store.writer().run([](Connection& db) {
        db.exec("INSERT INTO settings (key, value) VALUES ('k', 'v')");
        db.exec("INSERT INTO settings (key, value) VALUES ('k', 'v')");
    }),
                    StoreError);
    CHECK(store.write_health().writable);
}

TEST_CASE("a full disk: writes fail as unavailable, none reported committed is lost" *
          doctest::test_suite("sqlite")) {
    TempDir dir;
    vokter::test::TmpfsMount disk(dir / "disk", 3u << 20);
    if (!disk.mounted()) {
        MESSAGE("SKIPPED: the full-disk test needs a tmpfs: " << disk.why());
        return;
    }
    const auto path = disk.path() / "s.db";
    std::set<std::string> committed;
    {
        Store store(options_for(path));
        store.writer().run([](Connection& db) { put_setting(db, "before", "1"); });
        vokter::test::fill_disk(disk.path() / "filler");
        // Concurrent writers, so that batches of several jobs meet the full disk.
        std::mutex mutex;
        std::atomic<int> failures{0};
        std::vector<std::thread> threads;
        for (int t = 0; t < 8; ++t) {
            threads.emplace_back([&, t] {
                for (int i = 0; i < 400 && failures.load() < 40; ++i) {
                    const std::string key = std::to_string(t) + "-" + std::to_string(i);
                    try {
                        store.writer().run(
                            [&](Connection& db) { put_setting(db, key, std::string(3000, 'v')); });
                        std::lock_guard lock(mutex);
                        committed.insert(key);
                    } catch (const StoreError& e) {
                        CHECK_MESSAGE(e.is_unavailable(), e.what());
                        ++failures;
                    }
                }
            });
        }
        for (auto& thread : threads)
            thread.join();
        REQUIRE(failures.load() > 0);
        const WriteHealth health = store.write_health();
        CHECK_FALSE(health.writable);
        CHECK(health.error == "the disk is full");

        std::filesystem::remove(disk.path() / "filler");
        CHECK(becomes_writable(store));
        store.writer().run([](Connection& db) { put_setting(db, "after", "1"); });
    }
    Store reopened(options_for(path));  // what is durable, not what a cache remembers
    auto db = reopened.read();
    CHECK(get_setting(*db, "before") == "1");
    CHECK(get_setting(*db, "after") == "1");
    std::size_t lost = 0;
    for (const std::string& key : committed)
        lost += get_setting(*db, key) ? 0 : 1;
    CHECK_MESSAGE(lost == 0, lost << " of " << committed.size() << " committed writes were lost");
}

TEST_CASE("verify_on_open refuses a damaged file, naming the damage" *
          doctest::test_suite("sqlite")) {
    TempDir dir;
    const auto path = dir / "s.db";
    make_database(path);
    vokter::test::damage_pages(path, 5, 8);
    StoreOptions options = options_for(path);
    options.verify_on_open = true;
    bool refused = false;
    try {
        Store store(options);
    } catch (const StoreError& e) {
        refused = true;
        CHECK(e.is_damaged());
        CHECK(e.is_unavailable());
        CHECK(std::string(e.what()).find("quick_check") != std::string::npos);
        CHECK(std::string(e.what()).find("Page") != std::string::npos);
    }
    CHECK(refused);
}

TEST_CASE("verify_on_open passes a sound file and refuses one it can only read" *
          doctest::test_suite("sqlite")) {
    TempDir dir;
    const auto path = dir / "s.db";
    make_database(path);
    StoreOptions options = options_for(path);
    options.verify_on_open = true;
    { Store sound(options); }
    vokter::test::ReadOnlyFile read_only(path);
    if (!read_only.done()) {
        MESSAGE("SKIPPED: the file could not be made read-only: " << read_only.why());
        return;
    }
    bool refused = false;
    try {
        Store store(options);
    } catch (const StoreError& e) {
        refused = true;
        CHECK(e.is_read_only());
        CHECK(std::string(e.what()).find("can only be read") != std::string::npos);
    }
    CHECK(refused);
}

TEST_CASE("a 0-byte file becomes a new database, and the store says so" *
          doctest::test_suite("sqlite")) {
    TempDir dir;
    const auto path = dir / "s.db";
    vokter::test::write_file(path, "");
    Store store(options_for(path));
    REQUIRE(store.open_notes().size() == 1);
    CHECK(store.open_notes().front().find("is empty (0 bytes)") != std::string::npos);
    Store again(options_for(dir / "other.db"));  // a missing file is no news
    CHECK(again.open_notes().empty());
}
