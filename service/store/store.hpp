#pragma once
// The store: one SQLite file, one Writer (all changes, group-committed) and a pool of read
// connections (WAL lets readers run while the writer commits). Opening it applies migrations.

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/classifier/model.hpp"
#include "store/classifier/trainer.hpp"
#include "store/database.hpp"
#include "store/writer.hpp"

namespace vokter::store {

struct StoreOptions {
    std::string path = "vokter.db";
    Durability durability = Durability::full;
    // Read connections kept open at most; a reader waits when all are lent out. Few warm
    // connections serve better than one per request thread, each with a cold page cache.
    std::size_t max_readers = 8;
    // Load the classifier's counts and run the trainer (store/classifier/trainer.hpp). Off for
    // commands that never score or learn (moderator, apikey, backup, …).
    bool classifier = true;
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
    // StoreError when that is impossible.
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
    Lease read();  // thread-safe; waits while max_readers connections are lent out
    const StoreOptions& options() const { return options_; }

  private:
    StoreOptions options_;
    std::unique_ptr<Writer> writer_;
    core::LiveModel classifier_;
    std::unique_ptr<Trainer> trainer_;  // stopped before the writer it uses
    std::mutex pool_mutex_;
    std::condition_variable pool_returned_;
    std::vector<std::unique_ptr<Connection>> idle_;
    std::size_t open_readers_ = 0;
};

}  // namespace vokter::store
