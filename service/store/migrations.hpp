#pragma once
// Schema migrations: the numbered files schema/NNNN_name.sql, embedded in the binary. Each is
// applied in one transaction together with its `PRAGMA user_version = NNNN`.

#include <stdexcept>

#include "store/database.hpp"

namespace vokter::store {

// Thrown when the database was written by a newer Vokter than this binary.
class SchemaTooNew : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// The newest schema version this binary knows (the highest NNNN embedded).
int latest_schema_version();

// The database's current user_version.
int schema_version(Connection& db);

// Applies every embedded migration newer than the database's version, in order; returns how many
// were applied. Throws SchemaTooNew for a database newer than latest_schema_version(), and
// StoreError when a migration fails (that migration is rolled back; earlier ones stay).
int migrate(Connection& db);

}  // namespace vokter::store
