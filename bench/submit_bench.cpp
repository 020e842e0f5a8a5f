// The POST path without HTTP, to tell what each layer costs (issue 6). Two runs, each on a fresh
// database with durable commits (synchronous=FULL) and 32 threads in a closed loop:
//   store:   insert_comment through the Writer (group commit), verdicts made beforehand;
//   service: CommentService::submit, as POST /api/comments calls it: thread and duplicate
//            look-ups, the facts for the rules, evaluate() with the default rules, the write;
//   learned: the same with a classifier that has learned 1,000,000 features, so the default
//            rules' classifier scores every comment (its cost on the POST path).
// bench/run.sh puts the figures beside the HTTP load run's, so POST /api/comments reads as a
// share of what its own service and store can do on this machine.
//
// Usage: submit_bench [--seconds N] [--threads N]

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "core/active_ruleset.hpp"
#include "core/classifier/features.hpp"
#include "core/default_rules.hpp"
#include "core/evaluate.hpp"
#include "http/comment_service.hpp"
#include "post_mix.hpp"
#include "store/comment_repository.hpp"
#include "store/store.hpp"

namespace {

using namespace vokter;
using Clock = std::chrono::steady_clock;

std::int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// Runs `work(thread, n)` on `threads` threads for `seconds`; returns completed calls per second.
template <class Work>
double closed_loop(int threads, double seconds, Work work) {
    std::atomic<bool> stop{false};
    std::atomic<std::int64_t> done{0};
    std::vector<std::thread> pool;
    const auto started = Clock::now();
    for (int t = 0; t < threads; ++t) {
        pool.emplace_back([&, t] {
            for (std::int64_t n = 0; !stop.load(std::memory_order_relaxed); ++n) {
                work(t, n * threads + t);
                done.fetch_add(1, std::memory_order_relaxed);
            }
        });
    }
    std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
    stop = true;
    for (auto& thread : pool)
        thread.join();
    const double elapsed = std::chrono::duration<double>(Clock::now() - started).count();
    return static_cast<double>(done.load()) / elapsed;
}

}  // namespace

int main(int argc, char** argv) {
    double seconds = 10;
    int threads = 32;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string flag = argv[i];
        if (flag == "--seconds") {
            seconds = std::stod(argv[i + 1]);
        } else if (flag == "--threads") {
            threads = std::stoi(argv[i + 1]);
        } else {
            std::cerr << "usage: submit_bench [--seconds N] [--threads N]\n";
            return 2;
        }
    }
    const auto folder = std::filesystem::temp_directory_path() /
                        ("vokter-submit-bench-" + std::to_string(::getpid()));
    std::filesystem::create_directories(folder);
    auto rules = core::load_default_ruleset();
    if (!rules) {
        std::cerr << "the embedded default rules did not load\n";
        return 1;
    }
    core::ActiveRuleset active(rules.value());

    double store_rate = 0;
    {
        store::Store store(store::StoreOptions{(folder / "store.db").string()});
        // Verdicts made beforehand, one per body: this run measures the write alone.
        std::vector<core::Verdict> verdicts;
        for (std::int64_t n = 0; n < static_cast<std::int64_t>(std::size(bench::kBodies)); ++n) {
            verdicts.push_back(core::evaluate(*active.current(), bench::submission(0, n), {}, 0));
        }
        store_rate = closed_loop(threads, seconds, [&](int thread, std::int64_t n) {
            store::NewComment comment;
            comment.submission = bench::submission(thread, n);
            comment.verdict = verdicts[n % verdicts.size()];
            comment.status = http::status_for(comment.verdict.action);
            comment.created = now_ms();
            store.writer().run(
                [&](store::Connection& db) { return store::insert_comment(db, comment); });
        });
    }
    double service_rate = 0;
    {
        store::Store store(store::StoreOptions{(folder / "service.db").string()});
        http::CommentService service(store, active, http::CommentPolicy{});
        service_rate = closed_loop(threads, seconds, [&](int thread, std::int64_t n) {
            service.submit(bench::submission(thread, n), std::nullopt, now_ms());
        });
    }
    // The same with a classifier that has learned: 1,000,000 features, the bench's own comments
    // among them, so the default rules' CLASSIFIER heuristic scores every submission.
    double learned_rate = 0;
    {
        store::Store store(store::StoreOptions{(folder / "learned.db").string()});
        core::TrainingDelta delta;
        for (std::int64_t n = 0; n < static_cast<std::int64_t>(std::size(bench::kBodies)); ++n) {
            const auto hashes = core::extract_features(bench::submission(0, n)).hashes();
            delta.add(hashes, n % 3 == 2 ? core::Label::spam : core::Label::ham, +1);
        }
        std::uint64_t h = 0x9E3779B97F4A7C15ull;
        std::vector<std::uint64_t> random;
        for (int i = 0; i < 1'000'000; ++i)
            random.push_back((h = h * 6364136223846793005ull + 1442695040888963407ull) | 1);
        delta.add(random, core::Label::ham, +1);
        delta.ham_messages += 100;
        delta.spam_messages += 100;
        store.classifier().apply(delta);
        http::CommentService service(store, active, http::CommentPolicy{});
        learned_rate = closed_loop(threads, seconds, [&](int thread, std::int64_t n) {
            service.submit(bench::submission(thread, n), std::nullopt, now_ms());
        });
    }
    std::filesystem::remove_all(folder);
    std::printf(
        "RESULT store_rps=%.0f service_rps=%.0f service_learned_rps=%.0f threads=%d seconds=%.0f\n",
        store_rate, service_rate, learned_rate, threads, seconds);
    return 0;
}
