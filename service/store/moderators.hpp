#pragma once
// Moderator accounts: a name and the SHA-256 of its bearer token. The token itself is never
// stored; whoever creates an account shows the token once. Writers run inside Writer::run();
// readers take a connection from Store::read().

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/database.hpp"

namespace vokter::store {

struct Moderator {
    std::int64_t id = 0;
    std::string name;
    std::string token_hash;  // 32 raw bytes
    std::int64_t created = 0;
};

// Adds a moderator; returns false (and changes nothing) when the name is taken.
bool add_moderator(Connection& db, const std::string& name, const std::string& token_hash,
                   std::int64_t now_ms);

// Removes the moderator called `name`; returns false when there is none. Its token stops
// working with the next request (lookups read the table every time).
bool remove_moderator(Connection& db, const std::string& name);

// Every moderator, by name.
std::vector<Moderator> list_moderators(Connection& db);

// The moderator whose token hash is `token_hash`, or empty.
std::optional<Moderator> find_moderator_by_token_hash(Connection& db,
                                                      const std::string& token_hash);

}  // namespace vokter::store
