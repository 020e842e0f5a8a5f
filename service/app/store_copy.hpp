#pragma once
// `vokter store copy --from A --to B`: everything one database holds into another, across the
// backends (a SQLite file to PostgreSQL, and back). One transaction on the target: it holds all
// of the source or nothing. Derived data is rebuilt rather than copied: a thread's approved
// count by the target's own triggers, the moderation statistics by the store's folder (the
// target starts with nothing counted, and the statistics read the uncounted rows meanwhile).
// Afterwards every table's rows and every thread's approved count are compared. Neither
// database may be in use by a running service while it copies.

#include <ostream>
#include <string>

namespace vokter::app {

struct StoreCopyOptions {
    std::string from;      // a SQLite file or a PostgreSQL connection string
    std::string to;        // the same
    bool replace = false;  // empty a target that holds data first (refused otherwise)
};

// Returns the exit code: 0 copied and checked, 1 refused or failed (why, on `err`), 3 when
// either database was written by a newer Vokter.
int copy_store(const StoreCopyOptions& options, std::ostream& out, std::ostream& err);

}  // namespace vokter::app
