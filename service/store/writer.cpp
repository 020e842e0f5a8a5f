#include "store/writer.hpp"

#include <fcntl.h>
#include <pthread.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <random>

#include "store/sqlite/sqlite_connection.hpp"

namespace vokter::store {

namespace {

using Clock = std::chrono::steady_clock;

std::uint64_t micros(Clock::duration d) {
    return static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::microseconds>(d).count());
}

double seconds(Clock::duration d) {
    return std::chrono::duration<double>(d).count();
}

// 64 random bits in hex: tells this writer's notifications from other replicas'.
std::string random_id() {
    std::random_device random;
    const std::uint64_t bits = (std::uint64_t{random()} << 32) | random();
    char text[17];
    std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(bits));
    return text;
}

sqlite3* sqlite_handle(Connection& db) {
    return static_cast<SqliteConnection&>(db).handle();
}

// The WAL's name as SQLite has it: the database's full path (symbolic links resolved) + "-wal".
std::string wal_name(Connection& db, const std::string& path) {
    if (db.dialect() != Dialect::sqlite) return {};
    const char* name = sqlite3_db_filename(sqlite_handle(db), "main");
    return name && *name ? std::string(sqlite3_filename_wal(name)) : path + "-wal";
}

}  // namespace

Writer::Writer(const std::string& path, Durability durability, std::size_t max_batch,
               CheckpointPolicy checkpoints)
    : path_(path),
      sqlite_(!is_postgresql_location(path)),
      sync_apart_(sqlite_ && durability == Durability::full && path != ":memory:" && !path.empty()),
      // Commits only write the WAL; the syncer's fdatasync makes them durable (sync_apart_).
      db_(open_connection(path, sync_apart_ ? Durability::normal : durability)),
      notify_id_(sqlite_ ? std::string() : random_id()),
      wal_path_(wal_name(*db_, path)),
      max_batch_(max_batch),
      checkpoints_(checkpoints),
      thread_([this] { loop(); }) {
    if (sqlite_) {
        checkpointer_ =
            std::thread([this, path, durability] { checkpoint_loop(path, durability); });
    }
    if (sync_apart_) syncer_ = std::thread([this] { sync_loop(); });
    if (!sqlite_) notifier_ = std::thread([this] { notify_loop(); });
}

Writer::~Writer() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_one();
    thread_.join();
    if (notifier_.joinable()) {  // after the writer: it sends what the last batches committed
        {
            std::lock_guard lock(notify_mutex_);
            notify_stopping_ = true;
        }
        notify_wake_.notify_one();
        notifier_.join();
    }
    if (syncer_.joinable()) {  // after the writer: it syncs and answers the last batches
        {
            std::lock_guard lock(sync_mutex_);
            sync_stopping_ = true;
        }
        sync_wake_.notify_one();
        syncer_.join();
    }
    if (wal_fd_ >= 0) ::close(wal_fd_);
    {
        std::lock_guard lock(checkpoint_mutex_);
        checkpoint_stopping_ = true;
    }
    checkpoint_wake_.notify_one();
    if (checkpointer_.joinable()) checkpointer_.join();
}

int Writer::on_wal_commit(void* self, sqlite3* db, const char* name, int pages) {
    auto& writer = *static_cast<Writer*>(self);
    (void)db;
    (void)name;
    if (pages >= writer.checkpoints_.inline_pages) {
        writer.inline_checkpoint_due_ = true;  // done by loop() once this batch is answered
        // No further pass of the checkpointer: it would make the writer's attempt give up
        // (SQLITE_BUSY) again and again while the WAL grows.
        std::lock_guard lock(writer.checkpoint_mutex_);
        writer.checkpoint_due_ = false;
    } else if (pages >= writer.checkpoints_.background_pages) {
        {
            std::lock_guard lock(writer.checkpoint_mutex_);
            writer.checkpoint_due_ = true;
        }
        writer.checkpoint_wake_.notify_one();
    }
    return SQLITE_OK;
}

void Writer::checkpoint_loop(const std::string& path, Durability durability) {
    pthread_setname_np(pthread_self(), "vokter-ckpt");
    std::unique_ptr<SqliteConnection> db;
    for (;;) {
        {
            std::unique_lock lock(checkpoint_mutex_);
            checkpoint_wake_.wait(lock, [this] { return checkpoint_stopping_ || checkpoint_due_; });
            if (checkpoint_stopping_) return;
            checkpoint_due_ = false;
        }
        try {
            if (!db) db = std::make_unique<SqliteConnection>(path, durability);
            // PASSIVE: copies what it can without waiting for readers or blocking the writer.
            sqlite3_wal_checkpoint_v2(db->handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr,
                                      nullptr);
        } catch (const StoreError&) {
            // The writer checkpoints itself if the WAL keeps growing; try again next time.
        }
    }
}

void Writer::submit(std::function<void(Connection&)> job, bool exclusive) {
    Pending pending{std::move(job), exclusive, {}, Clock::now()};
    auto done = pending.done.get_future();
    {
        std::lock_guard lock(mutex_);
        queue_.push_back(std::move(pending));
    }
    wake_.notify_one();
    done.get();  // rethrows the job's or the commit's exception
}

void Writer::run_exclusive(const std::function<void(Connection&)>& job) {
    submit(job, true);
}

void Writer::loop() {
    pthread_setname_np(pthread_self(), "vokter-writer");
    if (sqlite_) {
        // Replaces SQLite's automatic checkpoint, which would run inside the writer's commits.
        sqlite3_wal_hook(sqlite_handle(*db_), &Writer::on_wal_commit, this);
        // The writer touches every index of every insert: give it a larger page cache (8 MiB)
        // than the readers' default, so a batch rarely reads a page back from the file.
        db_->exec("PRAGMA cache_size = -8192");
    }
    for (;;) {
        std::deque<Pending> batch;
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
            if (queue_.empty()) return;  // stopping, and every queued job is done
            // An exclusive job runs alone; otherwise take every waiting job up to the cap.
            if (queue_.front().exclusive) {
                batch.push_back(std::move(queue_.front()));
                queue_.pop_front();
            } else {
                while (!queue_.empty() && !queue_.front().exclusive && batch.size() < max_batch_) {
                    batch.push_back(std::move(queue_.front()));
                    queue_.pop_front();
                }
            }
        }
        const auto started = Clock::now();
        std::uint64_t waited = 0;
        for (const auto& pending : batch)
            waited += micros(started - pending.queued);
        timings_.queue_wait_us.fetch_add(waited, std::memory_order_relaxed);
        timings_.jobs.fetch_add(batch.size(), std::memory_order_relaxed);
        timings_.batches.fetch_add(1, std::memory_order_relaxed);
        if (!batch.front().exclusive) batch_sizes_.observe(static_cast<double>(batch.size()));
        run_batch(batch, started);
        page_cache_bytes_.store(db_->page_cache_bytes(), std::memory_order_relaxed);
        if (inline_checkpoint_due_) {
            // Between transactions, after the batch that filled the WAL has been answered (or
            // handed to the syncer, which answers it after its own fsync, not after this):
            // complete the checkpoint, so that the next transaction starts the WAL afresh.
            inline_checkpoint_due_ = false;
            const auto checkpoint = Clock::now();
            sqlite3_wal_checkpoint_v2(sqlite_handle(*db_), nullptr, SQLITE_CHECKPOINT_PASSIVE,
                                      nullptr, nullptr);
            const std::uint64_t spent = micros(Clock::now() - checkpoint);
            timings_.checkpoint_us.fetch_add(spent, std::memory_order_relaxed);
            timings_.busy_us.fetch_add(spent, std::memory_order_relaxed);
        }
    }
}

void Writer::notify_commits() {
    {
        std::lock_guard lock(notify_mutex_);
        notify_due_ = true;
    }
    notify_wake_.notify_one();
}

void Writer::notify_loop() {
    pthread_setname_np(pthread_self(), "vokter-notify");
    std::unique_ptr<Connection> db;
    for (;;) {
        {
            std::unique_lock lock(notify_mutex_);
            notify_wake_.wait(lock, [this] { return notify_stopping_ || notify_due_; });
            if (!notify_due_) return;  // stopping, and every commit is announced
            notify_due_ = false;
        }
        try {
            // A transaction that only notifies writes no WAL: it has nothing to flush.
            if (!db) db = open_connection(path_, Durability::normal);
            db->prepare("SELECT pg_notify('vokter', 'data ' || CAST(?1 AS TEXT))")
                .bind(1, notify_id_)
                .run();
        } catch (const StoreError&) {
            // Tried again after the gap (if the server is away, the other replicas' listeners
            // lose their sessions too, and take everything as changed when they are back).
            db.reset();
            std::lock_guard lock(notify_mutex_);
            notify_due_ = !notify_stopping_;
        }
        // Every notification wakes each replica's listener and its server session: at most
        // one every kNotifyGap (commits meanwhile share the next), which bounds what the
        // announcing costs under a stream of writes, and how much later another replica's
        // cache learns of a commit. (Sent for each batch, an idle second replica took a
        // quarter of a busy one's posts a second.)
        std::unique_lock lock(notify_mutex_);
        notify_wake_.wait_for(lock, kNotifyGap, [this] { return notify_stopping_; });
    }
}

WriterTimings Writer::timings() const {
    WriterTimings t;
    t.batches = timings_.batches.load(std::memory_order_relaxed);
    t.jobs = timings_.jobs.load(std::memory_order_relaxed);
    t.queue_wait_us = timings_.queue_wait_us.load(std::memory_order_relaxed);
    t.statements_us = timings_.statements_us.load(std::memory_order_relaxed);
    t.commit_us = timings_.commit_us.load(std::memory_order_relaxed);
    t.syncs = timings_.syncs.load(std::memory_order_relaxed);
    t.sync_us = timings_.sync_us.load(std::memory_order_relaxed);
    t.checkpoint_us = timings_.checkpoint_us.load(std::memory_order_relaxed);
    t.busy_us = timings_.busy_us.load(std::memory_order_relaxed);
    t.conflicts = timings_.conflicts.load(std::memory_order_relaxed);
    return t;
}

std::string Writer::fault() const {
    std::lock_guard lock(mutex_);
    return fault_;
}

namespace {

// Whether `failure` holds a StoreError that is_conflict(): its transaction may run again.
bool is_conflict(const std::exception_ptr& failure) {
    try {
        std::rethrow_exception(failure);
    } catch (const StoreError& e) {
        return e.is_conflict();
    } catch (...) {
        return false;
    }
}

// The reason of the storage fault `failure` holds (StoreError::is_unavailable), or "".
std::string fault_reason(const std::exception_ptr& failure) {
    if (!failure) return {};
    try {
        std::rethrow_exception(failure);
    } catch (const StoreError& e) {
        return e.is_unavailable() ? e.reason() : std::string();
    } catch (...) {
        return {};
    }
}

}  // namespace

void Writer::note_fault(std::string reason) {
    std::lock_guard lock(mutex_);
    fault_ = std::move(reason);
}

void Writer::note_batch_time(Clock::time_point started, std::uint64_t committing) {
    const std::uint64_t spent = micros(Clock::now() - started);
    timings_.commit_us.fetch_add(committing, std::memory_order_relaxed);
    timings_.statements_us.fetch_add(spent - committing, std::memory_order_relaxed);
    timings_.busy_us.fetch_add(spent, std::memory_order_relaxed);
}

void Writer::run_batch(std::deque<Pending>& batch, Clock::time_point started) {
    if (batch.front().exclusive) {
        try {
            batch.front().job(*db_);
            // What the job committed itself. The first is the store's migrations, at start: a
            // replica killed between a commit and its notification announces on its return
            // what the others may have missed.
            if (!sqlite_) notify_commits();
            if (sync_apart_) {
                if (std::string failed = sync_wal(); !failed.empty())
                    throw StoreError(failed, SQLITE_IOERR_FSYNC);
            }
            note_batch_time(started, 0);
            batch.front().done.set_value();
        } catch (...) {
            note_batch_time(started, 0);
            batch.front().done.set_exception(std::current_exception());
        }
        return;
    }
    std::uint64_t committing = 0;
    Clock::time_point commit_started;
    const auto commit = [&](Transaction& tx) {
        const auto committed_from = Clock::now();
        commit_started = committed_from;
        tx.commit();
        committing += micros(Clock::now() - committed_from);
        if (!sqlite_) notify_commits();
    };
    std::vector<std::exception_ptr> failures(batch.size());
    bool committed = false;
    try {
        // First without savepoints, which cost every job statement-journal work: almost every
        // batch succeeds whole. If a job throws, the transaction is rolled back, and the batch
        // runs again with each job in its own savepoint so that the failing one is undone alone.
        // (A batch of one needs no second run: its job's failure is the batch's.)
        // A deadlock with another replica's transaction, or a serialization failure, makes
        // PostgreSQL abort one of the two: that batch runs again from its start, its locks
        // released by the rollback, before any of its jobs is failed for it.
        std::optional<std::size_t> failed;
        for (int attempt = 0;; ++attempt) {
            failed.reset();
            std::fill(failures.begin(), failures.end(), nullptr);
            try {
                Transaction tx(*db_);
                for (std::size_t i = 0; i < batch.size() && !failed; ++i) {
                    try {
                        batch[i].job(*db_);
                        db_->reset_statements();
                    } catch (...) {
                        failures[i] = std::current_exception();
                        failed = i;
                        db_->reset_statements();
                    }
                }
                if (!failed) {
                    commit(tx);
                    committed = true;
                }
            } catch (const StoreError& e) {  // BEGIN or COMMIT
                if (!e.is_conflict() || attempt == kConflictRetries) throw;
                timings_.conflicts.fetch_add(1, std::memory_order_relaxed);
                continue;
            }
            if (!failed || !is_conflict(failures[*failed]) || attempt == kConflictRetries) break;
            timings_.conflicts.fetch_add(1, std::memory_order_relaxed);
        }
        if (failed && batch.size() > 1) {
            Transaction tx(*db_);
            for (std::size_t i = 0; i < batch.size(); ++i) {
                try {
                    Savepoint savepoint(*db_);
                    batch[i].job(*db_);
                    db_->reset_statements();
                    savepoint.release();
                    failures[i] = nullptr;
                } catch (...) {
                    failures[i] = std::current_exception();
                    // A full disk or an I/O error can make SQLite roll back the whole
                    // transaction, the jobs before this one included: fail them all.
                    if (!db_->in_transaction()) throw;
                }
            }
            commit(tx);
            committed = true;
        }
        if (committed) commits_.fetch_add(1, std::memory_order_release);
    } catch (...) {  // BEGIN or COMMIT failed: nothing of the batch is durable
        const auto failure = std::current_exception();
        if (auto reason = fault_reason(failure); !reason.empty()) note_fault(std::move(reason));
        note_batch_time(started, committing);
        for (auto& pending : batch)
            pending.done.set_exception(failure);
        return;
    }
    std::string reason;  // committed: writable again, unless a job met a fault itself
    for (std::size_t i = 0; i < failures.size() && reason.empty(); ++i)
        reason = fault_reason(failures[i]);
    if (committed || !reason.empty()) note_fault(std::move(reason));
    note_batch_time(started, committing);  // before any job is answered, so /metrics has it
    if (committed) {
        finish(batch, std::move(failures), commit_started);
    } else {
        answer(batch, failures);  // every job failed: nothing to make durable
    }
}

void Writer::answer(std::deque<Pending>& batch, const std::vector<std::exception_ptr>& failures) {
    for (std::size_t i = 0; i < batch.size(); ++i) {
        if (failures[i]) {
            batch[i].done.set_exception(failures[i]);
        } else {
            batch[i].done.set_value();
        }
    }
}

void Writer::finish(std::deque<Pending>& batch, std::vector<std::exception_ptr> failures,
                    Clock::time_point commit_started) {
    if (!sync_apart_) {
        commit_latency_.observe(seconds(Clock::now() - commit_started));
        answer(batch, failures);
        return;
    }
    {
        std::lock_guard lock(sync_mutex_);
        sync_queue_.push_back(Committed{std::move(batch), std::move(failures), commit_started});
    }
    sync_wake_.notify_one();
}

std::string Writer::sync_wal() {
    std::lock_guard lock(wal_fd_mutex_);
    if (wal_fd_ < 0) {
        // The WAL lives as long as the write connection is open, so one descriptor serves. Its
        // folder is synced once too: a new WAL file's name must survive a power loss as well.
        const std::string& wal = wal_path_;
        const int fd = ::open(wal.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) return "cannot open " + wal + " to sync it: " + std::strerror(errno);
        std::filesystem::path folder = std::filesystem::path(wal).parent_path();
        if (folder.empty()) folder = ".";
        const int dir = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        const bool synced = dir >= 0 && ::fsync(dir) == 0;
        const int why = errno;
        if (dir >= 0) ::close(dir);
        if (!synced) {
            ::close(fd);
            return "cannot sync the folder of " + wal + ": " + std::strerror(why);
        }
        wal_fd_ = fd;
    }
    const auto started = Clock::now();
    const int rc = ::fdatasync(wal_fd_);
    const int why = errno;
    timings_.syncs.fetch_add(1, std::memory_order_relaxed);
    timings_.sync_us.fetch_add(micros(Clock::now() - started), std::memory_order_relaxed);
    if (rc != 0) return "fdatasync of the WAL of " + path_ + " failed: " + std::strerror(why);
    return {};
}

void Writer::sync_loop() {
    pthread_setname_np(pthread_self(), "vokter-sync");
    for (;;) {
        std::deque<Committed> committed;
        {
            std::unique_lock lock(sync_mutex_);
            sync_wake_.wait(lock, [this] { return sync_stopping_ || !sync_queue_.empty(); });
            if (sync_queue_.empty()) return;  // stopping, and every batch is answered
            committed.swap(sync_queue_);
        }
        // Every batch taken here committed before this sync begins: it covers them all.
        const std::string failed = sync_wal();
        if (!failed.empty()) {
            // Their transactions are in the WAL but perhaps not on the disk: not acknowledged.
            const auto failure = std::make_exception_ptr(StoreError(failed, SQLITE_IOERR_FSYNC));
            note_fault(StoreError(failed, SQLITE_IOERR_FSYNC).reason());
            for (auto& done : committed) {
                for (auto& failure_i : done.failures)
                    if (!failure_i) failure_i = failure;
            }
        }
        const auto synced = Clock::now();
        for (auto& done : committed) {
            commit_latency_.observe(seconds(synced - done.commit_started));
            answer(done.batch, done.failures);
        }
    }
}

}  // namespace vokter::store
