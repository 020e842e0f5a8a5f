// Fills a database for bench/retention_bench.sh: N comments from 300 to 61 days old, in the order
// they came (ids grow with the time), every
// one past the default retention periods (store/retention.hpp) — 70% spam or rejected (to be
// deleted, each with two or three rule hits), the rest approved or held (their addresses to be
// cut) — over 2,000 threads, with IPv4 and IPv6 addresses and a browser's user agent.
// Usage: retention_seed --db PATH [--comments N]    (default 1,000,000; PATH must not exist)

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <random>
#include <string>
#include <thread>

#include "store/comment_repository.hpp"
#include "store/moderation_stats.hpp"
#include "store/store.hpp"

namespace {

using namespace vokter;

constexpr std::int64_t kDay = 86'400'000;
constexpr int kBatch = 20'000;

store::NewComment make_comment(std::mt19937_64& rng, std::int64_t index, std::int64_t total,
                               std::int64_t now) {
    std::uniform_int_distribution<int> percent(0, 99);
    store::NewComment c;
    core::Submission& s = c.submission;
    s.thread = "/blogg/innlegg-" + std::to_string(rng() % 2000);
    s.name = "Leser " + std::to_string(rng() % 50000);
    s.email = percent(rng) < 60 ? "leser" + std::to_string(rng() % 50000) + "@example.no" : "";
    s.body = "Kommentar nummer " + std::to_string(index) +
             " – takk for et godt innlegg om blåbær, vafler og æøå. Billige klokker her!";
    s.ip = percent(rng) < 80
               ? "10." + std::to_string(rng() % 256) + "." + std::to_string(rng() % 256) + "." +
                     std::to_string(rng() % 256)
               : "2001:db8:" + std::to_string(rng() % 9000) + ":1::" + std::to_string(rng() % 9000);
    s.user_agent = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/131.0";
    const int kind = percent(rng);
    c.status = kind < 60   ? store::kSpam
               : kind < 70 ? store::kRejected
               : kind < 90 ? store::kApproved
                           : store::kPending;
    const bool purged = c.status == store::kSpam || c.status == store::kRejected;
    c.verdict.score = purged ? 12 : 1;
    for (int h = 0; h < (purged ? 2 + percent(rng) % 2 : 0); ++h)
        c.verdict.hits.push_back({"LINK_ANY", 4.0, "body", "klokker"});
    c.verdict.ruleset_version = "2026-12-02.1";
    // In the order they came, as a blog's comments are: the oldest first, the newest 61 days ago.
    c.created = now - 300 * kDay + index * (239 * kDay) / total;
    c.updated = c.created;
    return c;
}

}  // namespace

int main(int argc, char** argv) {
    std::string path;
    std::int64_t comments = 1'000'000;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string flag = argv[i];
        if (flag == "--db") {
            path = argv[i + 1];
        } else if (flag == "--comments") {
            comments = std::stoll(argv[i + 1]);
        }
    }
    if (path.empty() || std::filesystem::exists(path)) {
        std::cerr << "usage: retention_seed --db PATH [--comments N]   (PATH must not exist)\n";
        return 2;
    }
    store::StoreOptions options{path, store::Durability::normal};
    options.classifier = false;
    store::Store store(options);
    const std::int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                                 std::chrono::system_clock::now().time_since_epoch())
                                 .count();
    std::mt19937_64 rng(61);
    const auto started = std::chrono::steady_clock::now();
    for (std::int64_t done = 0; done < comments;) {
        const std::int64_t batch = std::min<std::int64_t>(kBatch, comments - done);
        store.writer().run_exclusive([&](store::Connection& db) {
            store::Transaction tx(db);
            for (std::int64_t i = 0; i < batch; ++i)
                store::insert_comment(db, make_comment(rng, done + i, comments, now));
            tx.commit();
        });
        done += batch;
        const double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        std::fprintf(stderr, "\r%lld comments (%.0f rows/s)", static_cast<long long>(done),
                     static_cast<double>(done) / seconds);
    }
    std::fprintf(stderr, "\n");
    // Counted into the moderation statistics before the service starts, as in steady state.
    for (;;) {
        {
            auto db = store.read();
            if (!store::moderation_counts_behind(*db)) break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return 0;
}
