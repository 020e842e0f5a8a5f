#pragma once
// `vokter rules check | test | backtest`: the rule maintainer's tools, like spamassassin --lint,
// a one-comment dry run, and mass-check with hit frequencies on a labelled corpus.
//
// Each command's work is a function that takes its options and output streams and returns the
// process exit code, so tests can call it without a process; add_rules_commands() wires them
// into CLI11. FILE omitted or "-" means the embedded default rules.

#include <CLI/CLI.hpp>
#include <cstdint>
#include <filesystem>
#include <iosfwd>
#include <string>
#include <vector>

#include "app/labelled_csv.hpp"
#include "core/context.hpp"
#include "core/rule_set.hpp"
#include "core/submission.hpp"

namespace vokter::app {

// Registers the `rules` command and its subcommands on `app`. A subcommand that fails throws
// CLI::RuntimeError(exit_code) after printing its own message, so main's usual
// `catch (const CLI::ParseError& e) { return app.exit(e); }` returns the code silently.
void add_rules_commands(CLI::App& app);

// Reads list files named by a rule file from `folder` (the rule file's folder). Names must be
// relative and stay inside the folder ("lists/x.txt" is fine, "/etc/x" and "../x" are refused).
core::ListReader folder_list_reader(std::filesystem::path folder);

// Loads a rule file from disk with folder_list_reader(its folder); errors name it as `path` was
// given. An empty path or "-" loads the embedded default rules instead. Never throws.
Result<core::RulesetPtr> load_rules_file(const std::string& path);

// `rules check FILE`: prints a summary to `out` and returns 0, or prints every error to `err`
// (one per line: "where: message [code]") and returns 1.
int run_rules_check(const std::string& path, std::ostream& out, std::ostream& err);

// `rules test FILE`: evaluates one comment and prints the verdict with each hit and its reason.
// Returns 0, or 1 when the rules do not load.
int run_rules_test(const std::string& path, const core::Submission& submission,
                   const core::Context& context, std::int64_t now, std::ostream& out,
                   std::ostream& err);

// Reads a comment for `rules test` from JSON text: {"body","name","email","website","thread",
// "title","ip","user_agent","honeypot", "context": {"same_ip_recent","same_email_recent",
// "duplicate_body","author_approved","form_age_seconds"}}; every key optional. `now` is used to
// turn form_age_seconds into Context::form_rendered_at. Errors name the offending key.
Result<std::pair<core::Submission, core::Context>> parse_test_comment(const std::string& json,
                                                                      std::int64_t now);

struct BacktestOptions {
    std::vector<std::string> csv_files;
    LabelledCsvOptions csv;    // how every file is read: columns, labels (see labelled_csv.hpp)
    bool show_misses = false;  // also list spam approved and ham held or filed, with file:line
};

// `rules backtest FILE --csv X.csv …`: runs every labelled comment through the rules (empty
// context, a form token shown an hour earlier) and prints a confusion table — spam filed as spam,
// spam held, ham held, ham filed as spam — and per-rule hit frequencies (hits on spam, on ham,
// precision). Returns 0, or 1 when the rules or a CSV file cannot be read (every error of the
// first bad file is printed as "file:line: message [code]").
int run_rules_backtest(const std::string& path, const BacktestOptions& options, std::ostream& out,
                       std::ostream& err);

}  // namespace vokter::app
