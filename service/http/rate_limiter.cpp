#include "http/rate_limiter.hpp"

#include <algorithm>
#include <cmath>

namespace vokter::http {

int RateLimiter::acquire(const std::string& key, std::int64_t now_ms) {
    if (per_minute_ <= 0) return 0;
    const double capacity = per_minute_;
    const double per_ms = capacity / 60000.0;
    std::lock_guard lock(mutex_);
    if (buckets_.size() > 100000) {  // forget clients whose buckets are full again
        std::erase_if(buckets_, [&](const auto& entry) {
            return entry.second.tokens + (now_ms - entry.second.updated_ms) * per_ms >= capacity;
        });
    }
    auto [it, fresh] = buckets_.try_emplace(key, Bucket{capacity, now_ms});
    Bucket& bucket = it->second;
    if (!fresh) {
        bucket.tokens =
            std::min(capacity, bucket.tokens +
                                   std::max<std::int64_t>(0, now_ms - bucket.updated_ms) * per_ms);
        bucket.updated_ms = now_ms;
    }
    if (bucket.tokens >= 1.0) {
        bucket.tokens -= 1.0;
        return 0;
    }
    return std::max(1, static_cast<int>(std::ceil((1.0 - bucket.tokens) / per_ms / 1000.0)));
}

}  // namespace vokter::http
