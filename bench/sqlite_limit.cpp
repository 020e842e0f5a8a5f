// What SQLite itself commits on this machine, durably: the physical limit that POST
// /api/comments and the stored comment-check are measured against (bench/run.sh prints them as
// shares of it). One thread and one connection with Vokter's settings (WAL, synchronous=FULL,
// the writer's 8 MiB page cache), no checkpoints while it runs, a fresh file in --dir
// (bench/run.sh gives the folder of the server's database: the same file system), transactions
// of --batch rows, for --seconds each:
//   bare:   a one-table baseline: a 600-byte row with two indexes;
//   vokter: the rows Vokter stores for a posted comment, written by store::insert_comment on
//           Vokter's own schema: the comment with all its indexes, its rule hits and the
//           thread's approved counter, for the comments of bench/post_mix.hpp with the
//           verdicts the default rules give them. No look-ups, no rules, no HTTP: only the rows.
// Usage: sqlite_limit [--seconds N] [--batch N] [--dir DIR]
// Prints: RESULT bare_rps=… vokter_rps=… batch=… seconds=…

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "core/active_ruleset.hpp"
#include "core/default_rules.hpp"
#include "core/evaluate.hpp"
#include "http/comment_service.hpp"
#include "post_mix.hpp"
#include "store/comment_repository.hpp"
#include "store/sqlite/sqlite_connection.hpp"
#include "store/store.hpp"

namespace {

using namespace vokter;
using Clock = std::chrono::steady_clock;

// Commits `row(db, n)` for n = 0, 1, … in transactions of `batch` rows for `seconds`; returns
// rows per second.
template <class Row>
double commit_rows(store::Connection& db, int batch, double seconds, Row row) {
    db.exec("PRAGMA cache_size = -8192");  // as the writer's connection
    // No checkpoint during the run: the commit path alone, an upper bound (Vokter's writer
    // leaves checkpoints to a thread of their own, and this run's WAL stays a few 100 MB).
    db.exec("PRAGMA wal_autocheckpoint = 0");
    std::int64_t n = 0;
    const auto started = Clock::now();
    const auto until = started + std::chrono::duration<double>(seconds);
    while (Clock::now() < until) {
        store::Transaction tx(db);
        for (int i = 0; i < batch; ++i)
            row(db, n++);
        db.reset_statements();
        tx.commit();
    }
    return static_cast<double>(n) / std::chrono::duration<double>(Clock::now() - started).count();
}

std::int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

}  // namespace

int main(int argc, char** argv) {
    double seconds = 10;
    int batch = 32;
    std::filesystem::path dir = std::filesystem::temp_directory_path();
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string flag = argv[i];
        if (flag == "--seconds") {
            seconds = std::stod(argv[i + 1]);
        } else if (flag == "--batch") {
            batch = std::max(1, std::stoi(argv[i + 1]));
        } else if (flag == "--dir") {
            dir = argv[i + 1];
        } else {
            std::cerr << "usage: sqlite_limit [--seconds N] [--batch N] [--dir DIR]\n";
            return 2;
        }
    }
    const auto folder = dir / ("vokter-sqlite-limit-" + std::to_string(::getpid()));
    std::filesystem::create_directories(folder);

    double bare = 0;
    {
        store::SqliteConnection db((folder / "bare.db").string(), store::Durability::full);
        db.exec(
            "CREATE TABLE rows (id INTEGER PRIMARY KEY, thread INTEGER NOT NULL, "
            "created INTEGER NOT NULL, body TEXT NOT NULL);"
            "CREATE INDEX rows_thread ON rows (thread, created);"
            "CREATE INDEX rows_created ON rows (created)");
        const std::string body(600, 'x');
        bare = commit_rows(db, batch, seconds, [&](store::Connection& c, std::int64_t n) {
            c.prepare("INSERT INTO rows (thread, created, body) VALUES (?1, ?2, ?3)")
                .bind(1, n % 200)
                .bind(2, now_ms())
                .bind(3, body)
                .run();
        });
    }

    double vokter = 0;
    {
        const std::string path = (folder / "vokter.db").string();
        {
            store::StoreOptions options{path};
            options.classifier = false;
            options.fold_counts_ms = 0;
            store::Store schema(options);  // creates the file and applies every migration
        }
        auto rules = core::load_default_ruleset();
        if (!rules) {
            std::cerr << "the embedded default rules did not load\n";
            return 1;
        }
        core::ActiveRuleset active(rules.value());
        std::vector<store::NewComment> mix;
        for (std::int64_t n = 0; n < static_cast<std::int64_t>(std::size(bench::kBodies)); ++n) {
            store::NewComment comment;
            comment.submission = bench::submission(0, n);
            comment.verdict = core::evaluate(*active.current(), comment.submission, {}, 0);
            comment.status = http::status_for(comment.verdict.action);
            comment.edit_token_hash = std::string(32, '\x5a');
            mix.push_back(std::move(comment));
        }
        store::SqliteConnection db(path, store::Durability::full);
        // The blog's 200 threads exist already, as the service finds them before writing.
        std::vector<std::int64_t> threads;
        for (int t = 0; t < 200; ++t)
            threads.push_back(
                store::ensure_thread(db, "/blogg/innlegg-" + std::to_string(t), "", 0).id);
        vokter = commit_rows(db, batch, seconds, [&](store::Connection& c, std::int64_t n) {
            store::NewComment comment = mix[static_cast<std::size_t>(n) % mix.size()];
            comment.submission = bench::submission(static_cast<int>(n % 32), n);
            comment.thread_id = threads[static_cast<std::size_t>(n % 200)];
            comment.created = now_ms();
            comment.edit_until = comment.created + 900'000;
            store::insert_comment(c, comment);
        });
    }
    std::filesystem::remove_all(folder);
    std::printf("RESULT bare_rps=%.0f vokter_rps=%.0f batch=%d seconds=%.0f\n", bare, vokter, batch,
                seconds);
    return 0;
}
