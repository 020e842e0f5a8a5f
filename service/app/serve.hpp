#pragma once
#include "app/config.hpp"

namespace vokter::app {

// Runs the service until SIGTERM or SIGINT; SIGHUP reloads the rule file. Returns the process
// exit code: 0 after a clean stop, 1 for bad rules or an unusable database, 2 when the address
// cannot be bound, 3 for a database written by a newer Vokter.
int serve(const Config& config);

// glibc keeps, in every thread, a cache of up to 7 freed blocks of each size up to 1 KiB
// (tcache). With 64 worker threads these caches fill for many minutes after start, each thread
// as it meets new sizes: under bench/soak.sh memory in use grew 4-6 MB after warm-up that way,
// by itself more than the 5% a flat service may grow. Two blocks a size keep malloc's fast
// path (the same throughput in the same run) and a quarter of that bound. glibc takes the
// setting only from GLIBC_TUNABLES at start, so: unless a tcache count is already set there,
// sets glibc.malloc.tcache_count=2 and executes this program again with `argv` (same pid).
// Call before any thread starts. Returns when no new image was started (already set, or
// execv failed: then the service runs on glibc's default).
void limit_thread_caches(char** argv);

}  // namespace vokter::app
