#pragma once
// `vokter learn --csv FILE…`: teaches the classifier from labelled files (the formats
// `rules backtest` reads), e.g. a blog's own moderated comments exported from its old system.
// All-or-nothing per run: every file is read and checked first, and a malformed file, an unknown
// label or an empty file stops the run with the file and line before anything is learned.
// Training goes through the store's outbox and trainer like a moderator's decisions, so it is as
// durable, and a running `vokter serve` on the same database picks the counts up within seconds.
// Learned rows are not comments: they cannot be unlearned one by one.

#include <CLI/CLI.hpp>
#include <iosfwd>
#include <string>
#include <vector>

#include "app/labelled_csv.hpp"
#include "store/store.hpp"

namespace vokter::app {

struct LearnOptions {
    std::vector<std::string> csv_files;
    LabelledCsvOptions csv;
};

// Adds the options that say how a labelled file is read (--body-column …, --spam-label …).
void add_labelled_csv_flags(CLI::App& command, LabelledCsvOptions& csv);

// Returns 0 after printing what was learned, or 1 (errors on `err`, nothing learned).
int run_learn(store::Store& store, const LearnOptions& options, std::ostream& out,
              std::ostream& err);

}  // namespace vokter::app
