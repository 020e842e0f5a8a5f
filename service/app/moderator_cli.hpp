#pragma once
// `vokter moderator add NAME | list | remove NAME`: moderator accounts. Each command's work is a
// function over an open store and output streams that returns the process exit code, so tests
// can call it without a process; cli.cpp wires them into CLI11.

#include <iosfwd>
#include <string>

#include "store/store.hpp"

namespace vokter::app {

// A moderator name: 1 to 64 of A-Z a-z 0-9 . _ @ -
bool valid_moderator_name(const std::string& name);

// Creates moderator `name` with a new token of 256 random bits from the OS's CSPRNG, stores only
// its SHA-256, and prints the token once to `out`. Returns 0, or 1 (message on `err`) when the
// name is invalid or taken.
int run_moderator_add(store::Store& store, const std::string& name, std::ostream& out,
                      std::ostream& err);

// Prints every moderator with the time it was added. Returns 0.
int run_moderator_list(store::Store& store, std::ostream& out);

// Removes moderator `name`; its token stops working with the next request. Returns 0, or 1 when
// there is no such moderator.
int run_moderator_remove(store::Store& store, const std::string& name, std::ostream& out,
                         std::ostream& err);

}  // namespace vokter::app
