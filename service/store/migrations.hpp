#pragma once
// Schema migrations: the numbered files schema/sqlite/NNNN_name.sql and
// schema/postgresql/NNNN_name.sql, embedded in the binary. Each is applied in one transaction
// together with its version (SQLite's `PRAGMA user_version`, PostgreSQL's schema_version table).
// PostgreSQL starts at the version the SQLite files had reached when it came (its first file
// makes that whole schema at once), so a version number means the same schema on both.

#include <stdexcept>

#include "store/database.hpp"

namespace vokter::store {

// Thrown when the database was written by a newer Vokter than this binary.
class SchemaTooNew : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// The newest schema version this binary knows for `dialect` (the highest NNNN embedded).
int latest_schema_version(Dialect dialect = Dialect::sqlite);

// The database's current schema version (0 for a new database).
int schema_version(Connection& db);

// Applies every embedded migration newer than the database's version, in order; returns how many
// were applied. Throws SchemaTooNew for a database newer than latest_schema_version(), and
// StoreError when a migration fails (that migration is rolled back; earlier ones stay).
int migrate(Connection& db);

}  // namespace vokter::store
