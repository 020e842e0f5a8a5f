#include "store/store.hpp"

#include <algorithm>

#include "store/migrations.hpp"

namespace vokter::store {

Store::Store(StoreOptions options)
    : options_(std::move(options)),
      writer_(std::make_unique<Writer>(options_.path, options_.durability)) {
    writer_->run_exclusive([](Connection& db) { migrate(db); });
    if (options_.classifier) {
        trainer_ =
            std::make_unique<Trainer>(options_.path, options_.durability, *writer_, classifier_);
    }
}

Store::~Store() {
    trainer_.reset();
}

void Store::training_enqueued() {
    if (trainer_) trainer_->wake();
}

void Store::wait_for_training() {
    if (trainer_) trainer_->drain();
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
        return Lease(*this, std::make_unique<Connection>(options_.path, options_.durability));
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
