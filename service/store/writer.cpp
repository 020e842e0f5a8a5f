#include "store/writer.hpp"

namespace vokter::store {

Writer::Writer(const std::string& path, Durability durability, std::size_t max_batch)
    : db_(path, durability), max_batch_(max_batch), thread_([this] { loop(); }) {}

Writer::~Writer() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_one();
    thread_.join();
}

void Writer::submit(std::function<void(Connection&)> job, bool exclusive) {
    Pending pending{std::move(job), exclusive, {}};
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
    // The writer touches every index of every insert: give it a larger page cache (8 MiB) than
    // the readers' default, so a batch rarely reads a page back from the file.
    db_.exec("PRAGMA cache_size = -8192");
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
        run_batch(batch);
    }
}

void Writer::run_batch(std::deque<Pending>& batch) {
    if (batch.front().exclusive) {
        try {
            batch.front().job(db_);
            batch.front().done.set_value();
        } catch (...) {
            batch.front().done.set_exception(std::current_exception());
        }
        return;
    }
    std::vector<std::exception_ptr> failures(batch.size());
    try {
        Transaction tx(db_);
        for (std::size_t i = 0; i < batch.size(); ++i) {
            try {
                Savepoint savepoint(db_);
                batch[i].job(db_);
                db_.reset_statements();
                savepoint.release();
            } catch (...) {
                failures[i] = std::current_exception();
            }
        }
        tx.commit();
    } catch (...) {  // BEGIN or COMMIT failed: nothing of the batch is durable
        const auto failure = std::current_exception();
        for (auto& pending : batch)
            pending.done.set_exception(failure);
        return;
    }
    commits_.fetch_add(1, std::memory_order_release);
    for (std::size_t i = 0; i < batch.size(); ++i) {
        if (failures[i]) {
            batch[i].done.set_exception(failures[i]);
        } else {
            batch[i].done.set_value();
        }
    }
}

}  // namespace vokter::store
