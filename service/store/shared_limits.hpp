#pragma once
// Limits that replicas on one PostgreSQL database enforce together (schema
// postgresql/0011_shared_limits.sql). A SQLite store serves one process, which keeps its
// limits in memory instead (http/rate_limiter.hpp).

#include <string>

#include "store/database.hpp"

namespace vokter::store {

// Takes one token from the shared bucket of `key` (a client's address) holding `per_minute`
// tokens: 0 when taken, otherwise the seconds until the next token (Retry-After). PostgreSQL
// only; autocommit, on any connection. Throws StoreError.
int take_rate_token(Connection& db, const std::string& key, int per_minute);

}  // namespace vokter::store
