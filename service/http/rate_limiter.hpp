#pragma once
// Per-client rate limit for posting: a token bucket per IP that holds `per_minute` tokens and
// refills continuously. In memory: a restart forgets it, which is fine for flood control.

#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

namespace vokter::http {

class RateLimiter {
  public:
    // per_minute == 0 turns the limit off.
    explicit RateLimiter(int per_minute) : per_minute_(per_minute) {}

    // Takes one token for `key` at `now_ms`. Returns 0 when allowed, otherwise the number of
    // seconds (at least 1) until the next token: the Retry-After value. Thread-safe.
    int acquire(const std::string& key, std::int64_t now_ms);

  private:
    struct Bucket {
        double tokens = 0;
        std::int64_t updated_ms = 0;
    };

    int per_minute_;
    std::mutex mutex_;
    std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace vokter::http
