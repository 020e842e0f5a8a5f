#pragma once
#include "app/config.hpp"

namespace vokter::app {

// Runs the service until SIGTERM or SIGINT; SIGHUP reloads the rule file. Returns the process
// exit code: 0 after a clean stop, 1 for bad rules or an unusable database, 2 when the address
// cannot be bound, 3 for a database written by a newer Vokter.
int serve(const Config& config);

}  // namespace vokter::app
