#pragma once
#include <string>

#include "store/database.hpp"

namespace vokter::store {

// Writes a consistent, compacted copy of the database to `destination` (which must not exist)
// while the service keeps running (VACUUM INTO reads one snapshot). Throws StoreError, also for
// a PostgreSQL store (pg_dump backs those up).
void backup_to(Connection& db, const std::string& destination);

}  // namespace vokter::store
