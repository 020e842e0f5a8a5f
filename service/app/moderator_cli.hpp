#pragma once
// `vokter moderator add NAME [--expires-days N] | rotate NAME [--expires-days N | --no-expiry] |
// list | remove NAME`: moderator accounts and their tokens. Each command's work is a
// function over an open store and output streams that returns the process exit code, so tests
// can call it without a process; cli.cpp wires them into CLI11.

#include <iosfwd>
#include <optional>
#include <string>

#include "store/store.hpp"

namespace vokter::app {

// A moderator name: 1 to 64 of A-Z a-z 0-9 . _ @ -
bool valid_moderator_name(const std::string& name);

// How long a token may live: `--expires-days` takes 1 to this many days.
constexpr int kMaxTokenDays = 3650;

// What rotate does with the token's expiry.
struct TokenExpiry {
    std::optional<int> days;  // the new token expires this many days from now
    bool never = false;       // the new token never expires (--no-expiry)
};

// Creates moderator `name` with a new token of 256 random bits from the OS's CSPRNG, stores only
// its SHA-256, and prints the token once to `out`; the token expires after `expires_days` when
// given. Returns 0, or 1 (message on `err`) when the name is invalid or taken or the days out of
// range.
int run_moderator_add(store::Store& store, const std::string& name, std::ostream& out,
                      std::ostream& err, std::optional<int> expires_days = std::nullopt);

// Gives moderator `name` a new token, printed once; the old one stops working with the next
// request. The new token's lifetime is `expiry`'s, else the old token's (its issue to its
// expiry, counted from now), else none. Returns 0, or 1 when there is no such moderator or the
// days are out of range.
int run_moderator_rotate(store::Store& store, const std::string& name, TokenExpiry expiry,
                         std::ostream& out, std::ostream& err);

// Prints every moderator: when added, when their token expires (or "expired"), when last used
// (to a minute). Returns 0.
int run_moderator_list(store::Store& store, std::ostream& out);

// Removes moderator `name`; its token stops working with the next request. Returns 0, or 1 when
// there is no such moderator.
int run_moderator_remove(store::Store& store, const std::string& name, std::ostream& out,
                         std::ostream& err);

}  // namespace vokter::app
