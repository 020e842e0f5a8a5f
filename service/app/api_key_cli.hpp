#pragma once
// `vokter apikey add NAME --blog URL | list | remove NAME`: keys for the Akismet-compatible API.
// Each command's work is a function over an open store and output streams that returns the
// process exit code, so tests can call it without a process; cli.cpp wires them into CLI11.

#include <iosfwd>
#include <string>

#include "store/store.hpp"

namespace vokter::app {

// Creates key `name` for the blog at `blog` (an http(s) URL, stored normalised) with a new key
// of 192 random bits from the OS's CSPRNG as 48 lower-case hex digits (a valid host-name label,
// so clients can send it as KEY.host), stores only its SHA-256, and prints the key once to
// `out`. Returns 0, or 1 (message on `err`) when the name or the URL is invalid or the name is
// taken. Names follow the moderator-name rules.
int run_apikey_add(store::Store& store, const std::string& name, const std::string& blog,
                   std::ostream& out, std::ostream& err);

// Prints every key's name, blog and creation time (never the key). Returns 0.
int run_apikey_list(store::Store& store, std::ostream& out);

// Removes key `name`; it stops working with the next request. Returns 0, or 1 when there is no
// such key.
int run_apikey_remove(store::Store& store, const std::string& name, std::ostream& out,
                      std::ostream& err);

}  // namespace vokter::app
