#pragma once
#include "app/config.hpp"

namespace vokter::app {

// Asks the service configured by `config` for /healthz (on 127.0.0.1 when it listens on all
// addresses). Returns 0 when it answers 200 within two seconds, 1 otherwise; for HEALTHCHECK.
int healthcheck(const Config& config);

}  // namespace vokter::app
