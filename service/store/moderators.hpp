#pragma once
// Moderator accounts: a name and the SHA-256 of its bearer token, with the token's optional
// expiry and the account's last use. The token itself is never stored; whoever creates an
// account or rotates its token shows the token once. Writers run inside Writer::run(); readers
// take a connection from Store::read().

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
    std::optional<std::int64_t> expires{};    // the token stops working then; empty: never
    std::optional<std::int64_t> last_used{};  // the last authenticated request (to a minute)
    std::int64_t token_created = 0;           // when the token in force was issued

    bool expired(std::int64_t now_ms) const { return expires && now_ms >= *expires; }
};

// Adds a moderator whose token expires at `expires` (empty: never); returns false (and changes
// nothing) when the name is taken.
bool add_moderator(Connection& db, const std::string& name, const std::string& token_hash,
                   std::int64_t now_ms, std::optional<std::int64_t> expires = std::nullopt);

// Gives moderator `name` the token `token_hash`, issued now and expiring at `expires` (empty:
// never): the old token stops working with the next request. False when there is no such
// moderator.
bool rotate_moderator_token(Connection& db, const std::string& name, const std::string& token_hash,
                            std::int64_t now_ms, std::optional<std::int64_t> expires);

// Records that moderator `id` was authenticated at `now_ms`.
void note_moderator_use(Connection& db, std::int64_t id, std::int64_t now_ms);

// Removes the moderator called `name`; returns false when there is none. Its token stops
// working with the next request (lookups read the table every time).
bool remove_moderator(Connection& db, const std::string& name);

// Every moderator, by name.
std::vector<Moderator> list_moderators(Connection& db);

// The moderator called `name`, or empty.
std::optional<Moderator> find_moderator(Connection& db, const std::string& name);

// The moderator whose token hash is `token_hash`, or empty (expired tokens included: the
// caller tells an expired token from an unknown one).
std::optional<Moderator> find_moderator_by_token_hash(Connection& db,
                                                      const std::string& token_hash);

}  // namespace vokter::store
