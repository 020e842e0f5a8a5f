#pragma once
// API keys of the Akismet-compatible API: a name, the SHA-256 of the key and the blog URL it was
// made for. The key itself is never stored; whoever creates one shows it once. Writers run
// inside Writer::run(); readers take a connection from Store::read().

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/database.hpp"

namespace vokter::store {

struct ApiKey {
    std::int64_t id = 0;
    std::string name;
    std::string key_hash;  // 32 raw bytes
    std::string blog;
    std::int64_t created = 0;
};

// Adds a key; returns false (and changes nothing) when the name is taken.
bool add_api_key(Connection& db, const std::string& name, const std::string& key_hash,
                 const std::string& blog, std::int64_t now_ms);

// Removes the key called `name`; returns false when there is none. The key stops working with
// the next request (look-ups read the table every time).
bool remove_api_key(Connection& db, const std::string& name);

// Every key, by name.
std::vector<ApiKey> list_api_keys(Connection& db);

// The key whose hash is `key_hash`, or empty.
std::optional<ApiKey> find_api_key_by_hash(Connection& db, const std::string& key_hash);

}  // namespace vokter::store
