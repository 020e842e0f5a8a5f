#pragma once
// The service's log: one line per event on standard error, prefixed with the UTC time.
// Thread-safe; lines from different threads never interleave.

#include <string>
#include <string_view>

namespace vokter::http {

void log_line(std::string_view message);

// The wall clock as Unix milliseconds: the one clock of the service (the core takes time as an
// argument and never reads a clock).
long long now_ms();

// "2026-11-26T19:38:55Z" for a Unix time in milliseconds.
std::string iso_time(long long unix_ms);

}  // namespace vokter::http
