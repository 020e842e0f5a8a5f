#include "http/response_cache.hpp"

namespace vokter::http {

std::shared_ptr<const std::string> ResponseCache::get(const std::string& key,
                                                      std::uint64_t generation) {
    std::lock_guard lock(mutex_);
    auto found = entries_.find(key);
    if (found == entries_.end() || found->second.generation != generation) return nullptr;
    return found->second.body;
}

void ResponseCache::put(const std::string& key, std::uint64_t generation, std::string body) {
    const std::size_t size = key.size() + body.size();
    if (size > max_bytes_) return;
    auto shared = std::make_shared<const std::string>(std::move(body));
    std::lock_guard lock(mutex_);
    if (auto old = entries_.find(key); old != entries_.end()) {
        bytes_ -= key.size() + old->second.body->size();
        entries_.erase(old);
    }
    if (bytes_ + size > max_bytes_) {
        entries_.clear();
        bytes_ = 0;
    }
    entries_.emplace(key, Entry{generation, std::move(shared)});
    bytes_ += size;
}

}  // namespace vokter::http
