#pragma once
// A Ruleset is a rule file parsed, validated and compiled once, then shared read-only between
// threads as RulesetPtr. Loading is all-or-nothing: either every rule is valid and every example
// passes, or the caller gets every error and no ruleset.

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/context.hpp"
#include "core/result.hpp"
#include "core/submission.hpp"
#include "core/verdict.hpp"

namespace vokter::core {

struct Thresholds {
    double hold = 5.0;   // score >= hold  -> the comment waits for a moderator
    double spam = 10.0;  // score >= spam  -> the comment is filed as spam
};

class Ruleset;
struct CompiledRules;
using RulesetPtr = std::shared_ptr<const Ruleset>;

// Gives the text of a list file a rule file names (block-listed domains, …), or an error.
// The core never opens files itself: the caller decides where lists come from.
using ListReader = std::function<Result<std::string>(std::string_view name)>;

// What a rule or heuristic is, for listings (CLI, GET /api/rules) and hit-frequency reports.
struct RuleSummary {
    std::string id;
    std::string kind;  // "regex" for a [[rule]], else the heuristic kind ("link_count", …)
    std::string description;
    double score = 0.0;
    std::optional<Action> action;  // the per-rule action override, if any
    bool enabled = true;
    std::vector<std::string> fields;  // regex rules: the fields it looks at
    std::string pattern;              // regex rules: the RE2 pattern (built from words = [...])
    std::vector<std::string> examples_match;     // regex rules: texts it must match
    std::vector<std::string> examples_no_match;  // regex rules: texts it must not match
    std::string where;                           // "file:line:col rule ID"
};

class Ruleset {
  public:
    const std::string& version() const { return version_; }
    const Thresholds& thresholds() const { return thresholds_; }
    // The languages the blog is written in, as the file's `languages` lists them ("nb", "en");
    // empty when the file has no such list.
    const std::vector<std::string>& languages() const { return languages_; }
    // Windows the store uses to count flood and duplicate facts, from the flood and
    // duplicate_body heuristics' window_seconds (FactWindows defaults when absent).
    const FactWindows& fact_windows() const { return windows_; }
    // Number of enabled regex rules and heuristics.
    std::size_t rule_count() const { return rule_count_; }
    // The source_name the ruleset was loaded with ("" for approve_all_ruleset()).
    const std::string& source_name() const { return source_name_; }
    // Every rule and heuristic of the file, enabled or not, in file order (rules first).
    const std::vector<RuleSummary>& rules() const { return summaries_; }

    // The compiled engine evaluate() runs; never null on a loaded ruleset. Internal.
    const CompiledRules& compiled() const { return *compiled_; }

  private:
    friend Result<RulesetPtr> load_ruleset(std::string_view, std::string_view, const ListReader&);
    friend RulesetPtr approve_all_ruleset();

    std::string version_;
    Thresholds thresholds_;
    std::vector<std::string> languages_;
    FactWindows windows_;
    std::size_t rule_count_ = 0;
    std::string source_name_;
    std::vector<RuleSummary> summaries_;
    std::shared_ptr<const CompiledRules> compiled_;
};

// Parses and validates a rule file. `source_name` names it in error locations ("rules.toml:3:1").
// All-or-nothing: parse, validate every rule and heuristic, compile every pattern (RE2, with a
// length and memory cap), build one RE2::Set per field, run every rule's examples. On failure
// returns every error found, each with `where` = "source:line:column rule ID" when it has one.
// List files named by heuristics (e.g. list = "blocked_domains.txt") are read with `read_list`.
// Thread-safe (pure); the result may be shared by any number of threads.
Result<RulesetPtr> load_ruleset(std::string_view toml_text, std::string_view source_name,
                                const ListReader& read_list);

// A ruleset with no rules that approves everything; its version is "approve-all".
RulesetPtr approve_all_ruleset();

}  // namespace vokter::core
