#pragma once
// The store: one SQLite file, one Writer (all changes, group-committed) and a pool of read
// connections (WAL lets readers run while the writer commits). Opening it applies migrations.

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "store/database.hpp"
#include "store/writer.hpp"

namespace vokter::store {

struct StoreOptions {
    std::string path = "vokter.db";
    Durability durability = Durability::full;
    // Read connections kept open at most; a reader waits when all are lent out. Few warm
    // connections serve better than one per request thread, each with a cold page cache.
    std::size_t max_readers = 8;
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

    Writer& writer() { return *writer_; }
    Lease read();  // thread-safe; waits while max_readers connections are lent out
    const StoreOptions& options() const { return options_; }

  private:
    StoreOptions options_;
    std::unique_ptr<Writer> writer_;
    std::mutex pool_mutex_;
    std::condition_variable pool_returned_;
    std::vector<std::unique_ptr<Connection>> idle_;
    std::size_t open_readers_ = 0;
};

}  // namespace vokter::store
