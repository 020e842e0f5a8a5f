#pragma once
// The single writer. Every change to the database goes through one Writer, which owns the one
// write connection and a thread. Jobs that arrive while a transaction is being committed are
// committed together in the next one (group commit); a job that throws is undone alone and the
// others still commit. run() returns only after the transaction holding the job is durable: that
// is what lets the HTTP layer acknowledge a comment.
// A batch runs without savepoints first; only when one of its jobs throws is it rolled back and
// run again with a savepoint per job. So a job may run twice: it must change nothing but the
// database and what it returns.
//
// With Durability::full the fsync that makes a batch durable runs apart from the writer, on a
// syncer thread, so that the next batch's statements run while the previous batch syncs: the
// write connection commits with synchronous=NORMAL (the WAL frames are written, not synced),
// and the syncer fdatasync()s the WAL file, then answers every batch committed before that sync
// began. A job's run() still returns only once its transaction is durable. Readers may see a
// commit a sync's time (a fraction of a millisecond) before it is durable, never an
// acknowledged one that is not. Exclusive jobs sync before they are answered.
//
// Checkpoints (copying the WAL back into the database file, with its own fsync) run on a second
// thread with its own connection, so a commit never waits behind one: the writer's WAL hook wakes
// the checkpointer once the WAL holds CheckpointPolicy::background_pages pages. Under steady load
// a checkpoint running beside the writer never catches up with it, and SQLite starts the WAL
// afresh only after a complete one: so once the WAL reaches inline_pages the writer finishes the
// checkpoint itself, between two batches and after answering the one that filled the WAL (the
// background one has copied most pages by then). That bounds the WAL file, and no commit's answer
// waits for a checkpoint.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

#include "store/database.hpp"
#include "store/histogram.hpp"

struct sqlite3;

namespace vokter::store {

// Where the writer's time goes, summed since it started (microseconds; all only grow). A job's
// life: it waits in the queue until a batch takes it (queue_wait), runs with the batch's other
// jobs (statements: all of a batch's job runs, BEGIN included), waits for the batch's COMMIT
// (commit) and, with Durability::full, for the WAL's fsync on the syncer thread (sync), and is
// answered. Read with Writer::timings(); /metrics shows them.
struct WriterTimings {
    std::uint64_t batches = 0;        // transactions the batches ran in (exclusive jobs too)
    std::uint64_t jobs = 0;           // jobs those batches held
    std::uint64_t queue_wait_us = 0;  // summed over jobs
    std::uint64_t statements_us = 0;  // summed over batches
    std::uint64_t commit_us = 0;      // summed over batches (the fsync apart, see below)
    std::uint64_t syncs = 0;          // fdatasync() calls on the WAL by the syncer
    std::uint64_t sync_us = 0;        // their time, on the syncer thread
    std::uint64_t checkpoint_us = 0;  // the writer's own checkpoints, between batches
    std::uint64_t busy_us = 0;        // the writer thread's time in batches and checkpoints
    std::uint64_t conflicts = 0;      // batches run again after a deadlock or a serialization
                                      // failure with another session (PostgreSQL)
};

struct CheckpointPolicy {
    int background_pages = 1000;  // SQLite's own automatic checkpoint threshold
    int inline_pages = 16000;     // ~64 MB of 4 KiB pages
};

class Writer {
  public:
    // How many times a batch runs again after a conflict (StoreError::is_conflict) before its
    // jobs fail with it.
    static constexpr int kConflictRetries = 3;

    // Opens the write connection to `location` (open_connection). `max_batch` caps how many jobs
    // share a transaction. On PostgreSQL there is no WAL of Vokter's to sync or checkpoint: the
    // server makes each COMMIT durable before it answers, and the syncer and the checkpointer
    // do not run.
    Writer(const std::string& location, Durability durability, std::size_t max_batch = 128,
           CheckpointPolicy checkpoints = {});
    // Finishes every job already queued, then stops the thread and closes the connection.
    ~Writer();
    Writer(const Writer&) = delete;
    Writer& operator=(const Writer&) = delete;

    // Runs `job(connection)` on the writer thread and waits until its transaction is committed.
    // Returns what the job returned; rethrows what the job threw (its changes rolled back) or a
    // StoreError when the commit itself failed. Callable from any thread except the writer's.
    template <class Job>
    auto run(Job&& job) -> std::invoke_result_t<Job, Connection&> {
        using R = std::invoke_result_t<Job, Connection&>;
        if constexpr (std::is_void_v<R>) {
            submit([&](Connection& db) { job(db); });
        } else {
            std::optional<R> result;
            submit([&](Connection& db) { result.emplace(job(db)); });  // a rerun replaces it
            return std::move(*result);
        }
    }

    // Runs `job` on the write connection outside any batch, e.g. for migrations at start-up.
    // Waits for it; the job manages its own transactions.
    void run_exclusive(const std::function<void(Connection&)>& job);

    // Transactions committed so far. It only grows, and grows after the data of a commit is
    // visible to readers: read it before reading the database to label what you read.
    std::uint64_t commits() const { return commits_.load(std::memory_order_acquire); }
    // The writer connection's page cache after its last batch (Connection::page_cache_bytes).
    std::size_t page_cache_bytes() const {
        return page_cache_bytes_.load(std::memory_order_relaxed);
    }

    WriterTimings timings() const;  // thread-safe
    // Jobs per batch (bounds 1, 2, 4, … 128), one observation per transaction of jobs.
    HistogramSnapshot batch_sizes() const { return batch_sizes_.snapshot(); }
    // Seconds from a batch's COMMIT until its jobs are durable and answered: the COMMIT, and on
    // SQLite with Durability::full the wait for the syncer's fsync that covers it.
    HistogramSnapshot commit_latency() const { return commit_latency_.snapshot(); }

    // PostgreSQL: after a batch commits, the notification "data ID" goes out on the channel
    // `vokter` (kNotifyChannel), ID being this writer's random id: other replicas on the
    // database learn that it changed (Store::generation()). Empty on SQLite.
    // It is sent by a thread of its own, on its own session, at most once every kNotifyGap for
    // all the commits made meanwhile: not inside the batch's transaction, because PostgreSQL holds
    // one lock for the whole database from a notifying transaction's commit until its WAL flush is
    // done, so that notifying commits of all replicas would flush one after the other.
    const std::string& notify_id() const { return notify_id_; }
    static constexpr const char* kNotifyChannel = "vokter";
    static constexpr std::chrono::milliseconds kNotifyGap{20};  // between two notifications

    // Empty while writes succeed; after a transaction met a storage fault (a full disk, a lock
    // held past the busy timeout, a read-only or damaged file: StoreError::is_unavailable) the
    // fault's reason, until a transaction commits without one. Thread-safe.
    std::string fault() const;

  private:
    struct Pending {
        std::function<void(Connection&)> job;
        bool exclusive = false;
        std::promise<void> done;
        std::chrono::steady_clock::time_point queued;
    };

    // A committed batch waiting for the fsync that makes it durable, with each job's failure.
    struct Committed {
        std::deque<Pending> batch;
        std::vector<std::exception_ptr> failures;
        std::chrono::steady_clock::time_point commit_started;  // for commit_latency_
    };

    void submit(std::function<void(Connection&)> job, bool exclusive = false);
    void loop();
    // Runs a batch taken at `started` and answers its jobs, its time in timings_ first.
    void run_batch(std::deque<Pending>& batch, std::chrono::steady_clock::time_point started);
    void note_batch_time(std::chrono::steady_clock::time_point started, std::uint64_t committing);
    // Answers the jobs of a batch whose COMMIT began at `commit_started`: at once, or after the
    // syncer's next fsync (sync_apart_).
    void finish(std::deque<Pending>& batch, std::vector<std::exception_ptr> failures,
                std::chrono::steady_clock::time_point commit_started);
    static void answer(std::deque<Pending>& batch, const std::vector<std::exception_ptr>& failures);
    void sync_loop();
    std::string sync_wal();               // fdatasync() of the WAL; "" or what failed
    void note_fault(std::string reason);  // "" once a transaction commits without one
    void notify_commits();                // PostgreSQL: wakes notify_loop
    void notify_loop();                   // PostgreSQL: "data ID" on kNotifyChannel
    void checkpoint_loop(const std::string& path, Durability durability);
    static int on_wal_commit(void* self, sqlite3* db, const char* name, int pages);

    std::string path_;
    bool sqlite_;      // the SQLite backend: the checkpointer runs, and the syncer if sync_apart_
    bool sync_apart_;  // SQLite with Durability::full: the syncer makes commits durable
    std::unique_ptr<Connection> db_;
    std::string notify_id_;
    std::string wal_path_;  // read by the syncer
    std::size_t max_batch_;
    CheckpointPolicy checkpoints_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<Pending> queue_;
    bool stopping_ = false;
    std::string fault_;  // guarded by mutex_
    std::atomic<std::uint64_t> commits_{0};
    std::atomic<std::size_t> page_cache_bytes_{0};
    struct {
        std::atomic<std::uint64_t> batches{0}, jobs{0}, queue_wait_us{0}, statements_us{0},
            commit_us{0}, syncs{0}, sync_us{0}, checkpoint_us{0}, busy_us{0}, conflicts{0};
    } timings_;
    static constexpr double kBatchSizeBounds[] = {1, 2, 4, 8, 16, 32, 64, 128};
    static constexpr double kCommitSecondsBounds[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                      0.05,   0.1,   0.25,   0.5,   1,    2.5};
    Histogram batch_sizes_{kBatchSizeBounds};
    Histogram commit_latency_{kCommitSecondsBounds};
    std::mutex sync_mutex_;
    std::condition_variable sync_wake_;
    std::deque<Committed> sync_queue_;  // guarded by sync_mutex_
    bool sync_stopping_ = false;        // guarded by sync_mutex_
    std::mutex wal_fd_mutex_;
    int wal_fd_ = -1;  // the WAL file, opened at the first sync; guarded by wal_fd_mutex_
    std::thread syncer_;
    std::mutex checkpoint_mutex_;
    std::condition_variable checkpoint_wake_;
    bool checkpoint_due_ = false;
    bool checkpoint_stopping_ = false;
    bool inline_checkpoint_due_ = false;  // the writer thread's own
    std::thread checkpointer_;
    std::mutex notify_mutex_;
    std::condition_variable notify_wake_;
    bool notify_due_ = false;       // guarded by notify_mutex_
    bool notify_stopping_ = false;  // guarded by notify_mutex_
    std::thread notifier_;
    std::thread thread_;
};

}  // namespace vokter::store
