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
    auto shared = std::make_shared<const std::string>(std::move(body));
    std::lock_guard lock(mutex_);
    // Entries of older generations are dead weight; drop everything when the cache is full.
    if (entries_.size() >= max_entries_) entries_.clear();
    entries_[key] = Entry{generation, std::move(shared)};
}

}  // namespace vokter::http
