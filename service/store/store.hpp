#pragma once
// The store: one database (a SQLite file, or a PostgreSQL database), one Writer (all changes,
// group-committed) and a bounded pool of read connections (SQLite's WAL lets readers run while
// the writer commits; PostgreSQL's MVCC the same). Opening it applies migrations.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/classifier/model.hpp"
#include "store/classifier/trainer.hpp"
#include "store/database.hpp"
#include "store/notifications.hpp"
#include "store/writer.hpp"

namespace vokter::store {

class PgListener;
class SqliteConnection;

struct StoreOptions {
    // The database: a SQLite file (created if missing), or a PostgreSQL connection string
    // (is_postgresql_location: postgresql://… or libpq's key=value form).
    std::string path = "vokter.db";
    Durability durability = Durability::full;
    // Read connections kept open at most; a reader waits when all are lent out. Few warm
    // connections serve better than one per request thread, each with a cold page cache.
    std::size_t max_readers = 8;
    // Load the classifier's counts and run the trainer (store/classifier/trainer.hpp). Off for
    // commands that never score or learn (moderator, apikey, backup, …).
    bool classifier = true;
    // How long a write or read waits for a lock another connection holds (SQLITE_BUSY after).
    int busy_timeout_ms = 5000;
    // For the service: before migrating, refuse a file SQLite can only read (StoreError with
    // is_read_only()) and run PRAGMA quick_check, stopped after quick_check_ms (a large file is
    // then checked only in part, and open_notes() says so); damage throws a StoreError with
    // is_damaged() naming the first problems found.
    bool verify_on_open = false;
    int quick_check_ms = 2000;
    // How often new comments are folded into the moderation counts (fold_moderation_counts in
    // store/moderation_stats.hpp), a bounded span at a time, as a job of the writer; 0: never.
    // -1: 25 ms on SQLite; 500 ms on PostgreSQL, where a fold holds every replica's inserts
    // off while it runs (Store::fold_some) and the stats read the rest (a second's comments at
    // most) row by row.
    int fold_counts_ms = -1;
    // Which notification events the comment services record (store/notifications.hpp).
    EventPolicy events{};
};

// Whether the store can write, as /healthz reports it.
struct WriteHealth {
    bool writable = true;
    std::string error;  // the storage fault's reason when not writable ("the disk is full")
};

class Store {
  public:
    // A read connection lent to the caller; returned to the pool when the lease ends.
    class Lease {
      public:
        Lease(Store& store, std::unique_ptr<Connection> db) : store_(&store), db_(std::move(db)) {}
        Lease(Lease&&) = default;
        ~Lease();
        Connection& operator*() const { return *db_; }
        Connection* operator->() const { return db_.get(); }

      private:
        Store* store_;
        std::unique_ptr<Connection> db_;
    };

    // Opens or creates the database and brings its schema up to date. Throws SchemaTooNew or
    // StoreError when that is impossible (and for verify_on_open's refusals).
    explicit Store(StoreOptions options);
    ~Store();

    Writer& writer() { return *writer_; }

    // The classifier's model in force (empty when StoreOptions::classifier is off).
    core::LiveModel& classifier() { return classifier_; }
    // Training was enqueued by a committed transaction: have the trainer apply it now (it
    // would within its poll interval anyway). Thread-safe; a no-op without the trainer.
    void training_enqueued();
    // Waits until every training job committed so far is applied to the model in force.
    // Returns at once without the trainer.
    void wait_for_training();
    // Writer transactions the trainer committed (0 without it): Writer::commits() minus these
    // are the commits of everything else.
    std::uint64_t training_commits() const;
    Lease read();  // thread-safe; waits while max_readers connections are lent out
    const StoreOptions& options() const { return options_; }

    // What opening found that an operator should read in the log: a 0-byte file that became a
    // new database, a quick check cut short.
    const std::vector<std::string>& open_notes() const { return notes_; }

    // Writable unless the last write transaction met a storage fault (Writer::fault()). While
    // faulted, each call (at most one a second) also starts one small write in the background,
    // so that a freed disk or a released lock shows here without waiting for the next comment.
    // Never waits for the database. Thread-safe.
    WriteHealth write_health();

    // Memory in the page caches of the read connections now in the pool (lent ones are not
    // counted). Thread-safe.
    std::size_t reader_page_cache_bytes();

    // SQLite: the sizes of the database file and of its WAL now (a WAL that keeps growing is a
    // checkpoint that cannot finish: a reader held open). Empty on PostgreSQL, whose server
    // reports its own. Thread-safe.
    struct FileSizes {
        std::uint64_t database = 0;
        std::uint64_t wal = 0;
    };
    std::optional<FileSizes> file_sizes() const;

    // True on PostgreSQL, where other replicas may share the database: limits and the rules
    // then live in it (store/shared_limits.hpp, app/rule_file.hpp).
    bool shared() const { return shared_; }

    // What a public answer was read at: the writer's commits plus the changes other replicas
    // announced (PostgreSQL's notifications, a few milliseconds after their commits). Read it
    // before reading the database to label what you read: while it stays the same, nothing
    // committed since. Thread-safe.
    std::uint64_t generation() const {
        return writer_->commits() + foreign_changes_.load(std::memory_order_acquire);
    }

    // PostgreSQL: `callback(kind)` runs on the listener's thread whenever another replica
    // announces `kind` (announce()), and with kind "gap" after the listener lost its session
    // for a while (anything may have changed). One callback; set it before relying on it.
    void on_announcement(std::function<void(const std::string& kind)> callback);
    // PostgreSQL: tells every other replica `kind` ("rules"); a no-op on SQLite. Throws
    // StoreError when the database cannot be reached.
    void announce(const std::string& kind);

  private:
    void open_checks(SqliteConnection& db);  // verify_on_open (SQLite), on the writer thread
    void fold_loop();                        // the counts folder's thread
    std::int64_t fold_some();                // one bounded span as a writer job: how many counted
    bool fold_stopping_requested();
    int fold_interval_ms() const;  // StoreOptions::fold_counts_ms, its default resolved

    StoreOptions options_;
    bool shared_;  // PostgreSQL
    std::vector<std::string> notes_;
    std::unique_ptr<Writer> writer_;
    core::LiveModel classifier_;
    std::unique_ptr<Trainer> trainer_;  // stopped before the writer it uses
    std::mutex pool_mutex_;
    std::condition_variable pool_returned_;
    std::vector<std::unique_ptr<Connection>> idle_;
    std::size_t open_readers_ = 0;
    std::mutex probe_mutex_;
    std::thread probe_;                 // the write_health() probe, joined before the next one
    std::atomic<bool> probing_{false};  // probe_ runs
    std::chrono::steady_clock::time_point last_probe_{};
    std::mutex fold_mutex_;
    std::condition_variable fold_wake_;
    bool fold_stopping_ = false;  // guarded by fold_mutex_
    std::thread folder_;          // joined before the writer it uses goes
    std::atomic<std::uint64_t> foreign_changes_{0};
    std::mutex announcement_mutex_;
    std::function<void(const std::string&)> on_announcement_;  // guarded by announcement_mutex_
    std::unique_ptr<PgListener> listener_;                     // PostgreSQL only; stopped first
};

}  // namespace vokter::store
