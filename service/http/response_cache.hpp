#pragma once
// A cache of public GET answers (thread pages, counts), labelled with the store's commit count
// when they were read. An answer is served from the cache only while no transaction has been
// committed since, so it is never staler than a fresh read. Thread-safe.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace vokter::http {

class ResponseCache {
  public:
    // Holds at most `max_bytes` of answers; when a new one would not fit, it starts over empty
    // (entries of older generations are dead weight anyway).
    explicit ResponseCache(std::size_t max_bytes = 8 << 20) : max_bytes_(max_bytes) {}

    // The body stored for `key` at `generation`, or null.
    std::shared_ptr<const std::string> get(const std::string& key, std::uint64_t generation);

    // Stores `body` for `key`, read at `generation` (read the generation before the database).
    void put(const std::string& key, std::uint64_t generation, std::string body);

  private:
    struct Entry {
        std::uint64_t generation = 0;
        std::shared_ptr<const std::string> body;
    };
    std::size_t max_bytes_;
    std::size_t bytes_ = 0;
    std::mutex mutex_;
    std::unordered_map<std::string, Entry> entries_;
};

}  // namespace vokter::http
