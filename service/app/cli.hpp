#pragma once
// The `vokter` command line: serve, migrate, backup, thread, rules, … Returns the exit code.

namespace vokter::app {

int run_cli(int argc, char** argv);

}  // namespace vokter::app
