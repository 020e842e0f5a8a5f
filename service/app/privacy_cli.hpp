#pragma once
// Privacy commands. `vokter purge [--dry-run]`: the retention pass of store/retention.hpp, now
// rather than at the service's next hourly pass; safe while the service runs (its batches take
// turns with the service's writes). `vokter privacy export|erase --email ADDRESS`: a reader's
// rights (store/personal_data.hpp). Each command's work is a function over an open store and
// output streams that returns the exit code, as in moderator_cli.hpp.

#include <cstdint>
#include <iosfwd>
#include <string>

#include "store/retention.hpp"
#include "store/store.hpp"

namespace vokter::app {

// "4 addresses cut (3 comments, 1 Akismet report), 7 spam and rejected comments deleted, 1 kept
// as a tombstone"; "nothing past its retention period" when there was nothing to do.
std::string describe(const store::RetentionReport& report);

// With `dry_run`, prints what a pass at `now_ms` would do and changes nothing; else runs it and
// prints what it did. Returns 0, or 1 when the database failed (what was done stays done).
int run_purge(store::Store& store, const store::RetentionPolicy& policy, bool dry_run,
              std::int64_t now_ms, std::ostream& out, std::ostream& err);

// Prints everything stored with `email` as JSON (http::personal_data_json) and logs the export.
// Returns 0, or 1 when nothing holds the address (then it says so and logs nothing).
int run_privacy_export(store::Store& store, const std::string& email, std::int64_t now_ms,
                       std::ostream& out, std::ostream& err);

// Erases what is stored with `email` (with `bodies`, the comments' text too) and prints what.
// Returns 0, or 1 when nothing holds the address.
int run_privacy_erase(store::Store& store, const std::string& email, bool bodies,
                      std::int64_t now_ms, std::ostream& out, std::ostream& err);

}  // namespace vokter::app
