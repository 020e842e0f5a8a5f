#pragma once
// Measuring the rules together with the learned classifier on labelled files, as a blog would
// see them (`vokter rules backtest --learn FILE` and `--online`):
//
//   --learn FILE   first learn every comment of FILE (repeatable), then score the --csv files:
//                  "learn on one blog (or period), measure on another";
//   --online       score the --csv comments one at a time in date order and learn each one's
//                  label right after, as if a moderator corrected every verdict; the report
//                  gives the figures over all, after the first 100, and a learning curve.
//
// Both use an in-memory model (nothing is stored) and the same context as `rules backtest`
// (no stored facts, a form token shown an hour earlier).

#include <iosfwd>
#include <string>
#include <vector>

#include "app/labelled_csv.hpp"
#include "core/rule_set.hpp"

namespace vokter::app {

struct LearningBacktestOptions {
    std::vector<std::string> learn_files;  // learned before scoring
    std::vector<std::string> csv_files;    // scored
    bool online = false;                   // learn each scored comment's label after scoring it
    std::size_t warm_up = 100;             // the "after the first N" column
    std::size_t block = 50;                // comments per row of the learning curve
    bool show_misses = false;              // list spam approved and ham held or filed as spam
    LabelledCsvOptions csv;
};

// Runs the backtest and prints its report to `out`. Returns 0, or 1 (errors on `err`) when a
// file cannot be read or holds no comments.
int run_learning_backtest(const core::Ruleset& rules, const LearningBacktestOptions& options,
                          std::ostream& out, std::ostream& err);

}  // namespace vokter::app
