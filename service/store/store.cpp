#include "store/store.hpp"

#include "store/migrations.hpp"

namespace vokter::store {

Store::Store(StoreOptions options)
    : options_(std::move(options)),
      writer_(std::make_unique<Writer>(options_.path, options_.durability)) {
    writer_->run_exclusive([](Connection& db) { migrate(db); });
}

Store::Lease Store::read() {
    {
        std::lock_guard lock(pool_mutex_);
        if (!idle_.empty()) {
            auto db = std::move(idle_.back());
            idle_.pop_back();
            return Lease(*this, std::move(db));
        }
    }
    return Lease(*this, std::make_unique<Connection>(options_.path, options_.durability));
}

Store::Lease::~Lease() {
    if (!db_) return;
    db_->reset_statements();
    std::lock_guard lock(store_->pool_mutex_);
    store_->idle_.push_back(std::move(db_));
}

}  // namespace vokter::store
