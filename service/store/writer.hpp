#pragma once
// The single writer. Every change to the database goes through one Writer, which owns the one
// write connection and a thread. Jobs that arrive while a transaction is being committed are
// committed together in the next one (group commit); each job runs inside its own savepoint, so a
// job that throws is undone alone and the others still commit. run() returns only after the
// transaction holding the job is durable: that is what lets the HTTP layer acknowledge a comment.

#include <atomic>
#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <future>
#include <mutex>
#include <optional>
#include <thread>
#include <type_traits>

#include "store/database.hpp"

namespace vokter::store {

class Writer {
  public:
    // Opens the write connection to `path`. `max_batch` caps how many jobs share a transaction.
    Writer(const std::string& path, Durability durability, std::size_t max_batch = 128);
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
            submit([&](Connection& db) { result.emplace(job(db)); });
            return std::move(*result);
        }
    }

    // Runs `job` on the write connection outside any batch, e.g. for migrations at start-up.
    // Waits for it; the job manages its own transactions.
    void run_exclusive(const std::function<void(Connection&)>& job);

    // Transactions committed so far. It only grows, and grows after the data of a commit is
    // visible to readers: read it before reading the database to label what you read.
    std::uint64_t commits() const { return commits_.load(std::memory_order_acquire); }

  private:
    struct Pending {
        std::function<void(Connection&)> job;
        bool exclusive = false;
        std::promise<void> done;
    };

    void submit(std::function<void(Connection&)> job, bool exclusive = false);
    void loop();
    void run_batch(std::deque<Pending>& batch);

    Connection db_;
    std::size_t max_batch_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<Pending> queue_;
    bool stopping_ = false;
    std::atomic<std::uint64_t> commits_{0};
    std::thread thread_;
};

}  // namespace vokter::store
