#pragma once
// The trainer turns the training outbox into counts. It runs on its own thread: it reads
// pending jobs on its own read connection, computes their features there (so the writer never
// waits for tokenising), and then, in one writer transaction per pass, takes the jobs out of the
// outbox and adds their deltas to the durable counts. After the commit it publishes the new
// snapshot of the in-memory model. A job is applied exactly once: a job another process took
// first (vokter learn beside vokter serve) is skipped, and when the counts' generation shows that
// someone else trained, the model is reloaded from the database. The outbox survives kill -9;
// whatever it holds at start-up is trained then.

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "core/classifier/model.hpp"
#include "store/database.hpp"
#include "store/writer.hpp"

namespace vokter::store {

class Trainer {
  public:
    // Loads the model from `path` into `model` and starts the thread. `poll_ms`: how often it
    // looks for jobs and foreign changes without being woken.
    Trainer(const std::string& path, Durability durability, Writer& writer, core::LiveModel& model,
            int poll_ms = 2000);
    // Stops the thread (jobs left in the outbox are trained at the next start).
    ~Trainer();
    Trainer(const Trainer&) = delete;
    Trainer& operator=(const Trainer&) = delete;

    // Jobs were enqueued: train them now. Callable from any thread.
    void wake();
    // Returns once a pass found the outbox empty after this call, i.e. every job committed
    // before the call has been applied and published. Callable from any thread but the trainer's.
    void drain();

    // Jobs applied since start, and the writer transactions that applied them (they count in
    // Writer::commits() too), for tests and metrics.
    std::uint64_t jobs_applied() const;
    std::uint64_t commits() const;

  private:
    void loop();
    bool pass();  // true when it applied jobs (more may be waiting)
    void reload();

    std::unique_ptr<Connection> db_;
    Writer& writer_;
    core::LiveModel& model_;
    int poll_ms_;
    std::int64_t generation_ = 0;

    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::condition_variable idle_;
    bool woken_ = false;
    bool stopping_ = false;
    std::uint64_t passes_started_ = 0;  // passes begun so far
    std::uint64_t last_idle_pass_ = 0;  // the number of the latest pass that found nothing
    std::uint64_t jobs_applied_ = 0;
    std::uint64_t commits_ = 0;
    std::thread thread_;
};

}  // namespace vokter::store
