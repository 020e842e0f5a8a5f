#include "store/store.hpp"

#include <pthread.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "store/migrations.hpp"
#include "store/moderation_stats.hpp"
#include "store/postgresql/pg_listener.hpp"
#include "store/sqlite/sqlite_connection.hpp"

namespace vokter::store {

namespace {

// Ids a fold of the moderation counts takes at most (fold_moderation_counts): a few
// milliseconds' work, so that a fold holds the writer (on PostgreSQL, inserts) off only briefly.
// PostgreSQL folds less often (Store::fold_interval_ms) and so takes more at a time: much of a
// fold's cost there is its own, whatever its span (the locks, planning the views).
constexpr std::int64_t fold_span(bool shared) {
    return shared ? 1024 : 128;
}

// What to log about the file before SQLite opens it: a 0-byte file becomes a new database.
std::vector<std::string> notes_before_open(const std::string& path) {
    std::error_code error;
    if (is_postgresql_location(path) || path.empty() || path == ":memory:" ||
        !std::filesystem::is_regular_file(path, error) ||
        std::filesystem::file_size(path, error) != 0 || error) {
        return {};
    }
    return {"the database file " + path +
            " is empty (0 bytes): it becomes a new, empty database. If it should hold "
            "comments, stop the service and restore a backup."};
}

// The write connection, for verify_on_open: a file SQLite cannot open because it or its folder
// cannot be written (a read-only mount: the -wal and -shm files cannot be made) is refused as
// read-only rather than as "unable to open database file".
std::unique_ptr<Writer> open_writer(const StoreOptions& options) {
    try {
        return std::make_unique<Writer>(options.path, options.durability);
    } catch (const StoreError& e) {
        if (!options.verify_on_open || is_postgresql_location(options.path) ||
            (e.code() & 0xFF) != SQLITE_CANTOPEN)
            throw;
        const std::filesystem::path path(options.path);
        const std::filesystem::path folder =
            path.parent_path().empty() ? std::filesystem::path(".") : path.parent_path();
        const bool writable = access(folder.c_str(), W_OK) == 0 &&
                              (access(path.c_str(), F_OK) != 0 || access(path.c_str(), W_OK) == 0);
        const int why = errno;
        if (writable) throw;
        throw StoreError("the database file " + options.path +
                             " or its folder (where SQLite keeps its -wal and -shm files) cannot "
                             "be written: " +
                             std::strerror(why),
                         SQLITE_READONLY);
    }
}

// PRAGMA quick_check (page structure, not index contents) for at most `budget_ms`: SQLite's
// progress handler interrupts it then. Returns the problems found (empty when none) and
// whether it finished.
std::pair<std::vector<std::string>, bool> quick_check(SqliteConnection& db, int budget_ms) {
    using Clock = std::chrono::steady_clock;
    Clock::time_point deadline = Clock::now() + std::chrono::milliseconds(budget_ms);
    sqlite3_progress_handler(
        db.handle(), 10000,
        [](void* end) { return Clock::now() > *static_cast<Clock::time_point*>(end) ? 1 : 0; },
        &deadline);
    std::vector<std::string> problems;
    bool finished = true;
    try {
        auto& stmt = db.prepare("PRAGMA quick_check(10)");
        while (stmt.step()) {
            std::string line = stmt.text(0);
            if (line != "ok") problems.push_back(std::move(line));
        }
    } catch (const StoreError& e) {
        if ((e.code() & 0xFF) == SQLITE_INTERRUPT) {
            finished = false;
        } else {
            problems.push_back(e.what());  // SQLITE_CORRUPT and its kin, met while checking
        }
    }
    sqlite3_progress_handler(db.handle(), 0, nullptr, nullptr);
    db.reset_statements();
    return {std::move(problems), finished};
}

// A write that leaves nothing behind but still commits pages: Store::write_health()'s probe.
void probe_write(Connection& db) {
    db.prepare(
          "INSERT INTO settings (key, value) VALUES ('write_probe', '') "
          "ON CONFLICT (key) DO NOTHING")
        .run();
    db.prepare("DELETE FROM settings WHERE key = 'write_probe'").run();
}

}  // namespace

Store::Store(StoreOptions options)
    : options_(std::move(options)),
      shared_(is_postgresql_location(options_.path)),
      notes_(notes_before_open(options_.path)),
      writer_(open_writer(options_)) {
    writer_->run_exclusive([this](Connection& db) {
        db.set_busy_timeout(options_.busy_timeout_ms);
        if (options_.verify_on_open && db.dialect() == Dialect::sqlite) {
            open_checks(static_cast<SqliteConnection&>(db));
        }
        migrate(db);
    });
    if (options_.classifier) {
        trainer_ =
            std::make_unique<Trainer>(options_.path, options_.durability, *writer_, classifier_);
    }
    if (fold_interval_ms() > 0) folder_ = std::thread([this] { fold_loop(); });
    if (shared_) {
        const std::string own = writer_->notify_id();
        listener_ = std::make_unique<PgListener>(
            options_.path, Writer::kNotifyChannel,
            [this, own](const std::string& payload) {
                // "KIND ID": a replica's own notifications come back to it too.
                const auto space = payload.find(' ');
                if (space == std::string::npos || payload.substr(space + 1) == own) return;
                const std::string kind = payload.substr(0, space);
                if (kind == "data") {
                    foreign_changes_.fetch_add(1, std::memory_order_acq_rel);
                    return;
                }
                std::lock_guard lock(announcement_mutex_);
                if (on_announcement_) on_announcement_(kind);
            },
            [this] {
                foreign_changes_.fetch_add(1, std::memory_order_acq_rel);
                std::lock_guard lock(announcement_mutex_);
                if (on_announcement_) on_announcement_("gap");
            });
    }
}

void Store::on_announcement(std::function<void(const std::string& kind)> callback) {
    std::lock_guard lock(announcement_mutex_);
    on_announcement_ = std::move(callback);
}

void Store::announce(const std::string& kind) {
    if (!shared_) return;
    auto db = read();
    db->prepare("SELECT pg_notify('vokter', CAST(?1 AS TEXT) || ' ' || CAST(?2 AS TEXT))")
        .bind(1, kind)
        .bind(2, writer_->notify_id())
        .run();
}

int Store::fold_interval_ms() const {
    if (options_.fold_counts_ms >= 0) return options_.fold_counts_ms;
    return shared_ ? 500 : 25;
}

bool Store::fold_stopping_requested() {
    std::lock_guard lock(fold_mutex_);
    return fold_stopping_;
}

std::int64_t Store::fold_some() {
    if (!shared()) {
        return writer_->run(
            [](Connection& db) { return fold_moderation_counts(db, fold_span(false)); });
    }
    // PostgreSQL, where replicas insert side by side: a comment of another replica's open
    // transaction may hold an id below the newest one visible, and a fold past it would never
    // count it. The SHARE lock waits for such transactions to end and holds new inserts off
    // until this one commits (a fold takes a millisecond or two); the row lock keeps two
    // replicas' folds from counting one span twice. Alone in its transaction, not in a batch
    // beside this replica's own inserts: two replicas' batches could then wait for each other.
    // While another replica folds, this one leaves it the work rather than queue for the
    // SHARE lock behind it (holding up inserts the longer). The commit does not wait for its
    // WAL flush, so that no flush happens under the lock: a fold lost to a crash loses its
    // counts and its counted_through alike, and the next fold counts those comments again.
    std::int64_t folded = 0;
    writer_->run_exclusive([&](Connection& db) {
        Transaction tx(db);
        auto& alone = db.prepare("SELECT pg_try_advisory_xact_lock(130220916237683)");
        const bool first = alone.step() && alone.int64(0) != 0;
        alone.reset();
        if (!first) return;
        db.exec("SET LOCAL synchronous_commit = off");
        db.exec("LOCK TABLE comments IN SHARE MODE");
        db.exec("SELECT 1 FROM moderation_counts_state FOR UPDATE");
        folded = fold_moderation_counts(db, fold_span(true));
        tx.commit();
    });
    return folded;
}

void Store::fold_loop() {
    pthread_setname_np(pthread_self(), "vokter-counts");
    const auto interval = std::chrono::milliseconds(fold_interval_ms());
    std::unique_lock lock(fold_mutex_);
    while (!fold_wake_.wait_for(lock, interval, [this] { return fold_stopping_; })) {
        lock.unlock();
        try {
            // Asked of a read connection first, so an idle store gives its writer no work.
            // Comments come in through run() and run_exclusive() alike (an import, a bench).
            bool behind = false;
            {
                auto db = read();
                behind = moderation_counts_behind(*db);
            }
            // A bounded span a job. Again at once only while a full span was folded (a backlog,
            // after an import or a burst): under a steady stream there is always something new
            // by the end of a fold, and folding back to back would take every other turn of
            // the writer (on PostgreSQL an exclusive one, which holds inserts off).
            while (behind && fold_some() >= fold_span(shared_) && !fold_stopping_requested()) {
            }
        } catch (const std::exception&) {
            // A storage fault (a full disk): the next round tries again, and the stats read
            // the comments not yet counted meanwhile.
        }
        lock.lock();
    }
}

void Store::open_checks(SqliteConnection& db) {
    if (db.is_read_only()) {
        throw StoreError("the database file " + options_.path +
                             " can only be read (its permissions, owner or file system); every "
                             "write would fail",
                         SQLITE_READONLY);
    }
    if (options_.quick_check_ms <= 0) return;
    const auto [problems, finished] = quick_check(db, options_.quick_check_ms);
    if (!problems.empty()) {
        std::string message =
            "the database file " + options_.path + " is damaged (PRAGMA quick_check):";
        for (std::string problem : problems) {
            for (auto at = problem.find('\n'); at != std::string::npos;
                 at = problem.find('\n', at + 3))
                problem.replace(at, 1, "\n  ");
            message += "\n  " + problem;
        }
        throw StoreError(message, SQLITE_CORRUPT);
    }
    if (!finished) {
        notes_.push_back("quick check of " + options_.path + " stopped after " +
                         std::to_string(options_.quick_check_ms) +
                         " ms: only part of the file was checked, and no damage found there");
    }
}

Store::~Store() {
    listener_.reset();
    if (folder_.joinable()) {
        {
            std::lock_guard lock(fold_mutex_);
            fold_stopping_ = true;
        }
        fold_wake_.notify_one();
        folder_.join();
    }
    {
        std::lock_guard lock(probe_mutex_);
        if (probe_.joinable()) probe_.join();
    }
    trainer_.reset();
}

WriteHealth Store::write_health() {
    std::string fault = writer_->fault();
    if (fault.empty()) return {};
    {
        std::lock_guard lock(probe_mutex_);
        const auto now = std::chrono::steady_clock::now();
        if (!probing_.load() && now - last_probe_ >= std::chrono::seconds(1)) {
            if (probe_.joinable()) probe_.join();  // done: probing_ is false
            last_probe_ = now;
            probing_ = true;
            probe_ = std::thread([this] {
                try {
                    writer_->run(probe_write);  // the writer notes how it went (fault())
                } catch (const std::exception&) {
                }
                probing_ = false;
            });
        }
    }
    return {false, std::move(fault)};
}

void Store::training_enqueued() {
    if (trainer_) trainer_->wake();
}

std::uint64_t Store::training_commits() const {
    return trainer_ ? trainer_->commits() : 0;
}

void Store::wait_for_training() {
    if (trainer_) trainer_->drain();
}

std::size_t Store::reader_page_cache_bytes() {
    std::lock_guard lock(pool_mutex_);
    std::size_t bytes = 0;
    for (const auto& db : idle_)
        bytes += db->page_cache_bytes();
    return bytes;
}

std::optional<Store::FileSizes> Store::file_sizes() const {
    if (shared_) return std::nullopt;
    const auto size_of = [](const std::string& path) -> std::uint64_t {
        std::error_code error;
        const auto size = std::filesystem::file_size(path, error);
        return error ? 0 : size;  // no WAL between a checkpoint's truncation and the next write
    };
    return FileSizes{size_of(options_.path), size_of(options_.path + "-wal")};
}

Store::Lease Store::read() {
    {
        std::unique_lock lock(pool_mutex_);
        pool_returned_.wait(lock, [this] {
            return !idle_.empty() || open_readers_ < std::max<std::size_t>(1, options_.max_readers);
        });
        if (!idle_.empty()) {
            auto db = std::move(idle_.back());
            idle_.pop_back();
            return Lease(*this, std::move(db));
        }
        ++open_readers_;
    }
    try {
        auto db = open_connection(options_.path, options_.durability);
        db->set_busy_timeout(options_.busy_timeout_ms);
        return Lease(*this, std::move(db));
    } catch (...) {
        std::lock_guard lock(pool_mutex_);
        --open_readers_;
        pool_returned_.notify_one();
        throw;
    }
}

Store::Lease::~Lease() {
    if (!db_) return;
    db_->reset_statements();
    {
        std::lock_guard lock(store_->pool_mutex_);
        store_->idle_.push_back(std::move(db_));
    }
    store_->pool_returned_.notify_one();
}

}  // namespace vokter::store
