#pragma once
// A Ruleset is a rule file parsed, validated and compiled once, then shared read-only between
// threads as RulesetPtr. Loading is all-or-nothing: either every rule is valid and every example
// passes, or the caller gets every error and no ruleset.

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "core/context.hpp"
#include "core/result.hpp"

namespace vokter::core {

struct Thresholds {
    double hold = 5.0;   // score >= hold  -> the comment waits for a moderator
    double spam = 10.0;  // score >= spam  -> the comment is filed as spam
};

class Ruleset;
using RulesetPtr = std::shared_ptr<const Ruleset>;

// Gives the text of a list file a rule file names (block-listed domains, …), or an error.
// The core never opens files itself: the caller decides where lists come from.
using ListReader = std::function<Result<std::string>(std::string_view name)>;

class Ruleset {
public:
    const std::string& version() const { return version_; }
    const Thresholds& thresholds() const { return thresholds_; }
    const FactWindows& fact_windows() const { return windows_; }
    std::size_t rule_count() const { return rule_count_; }

private:
    friend Result<RulesetPtr> load_ruleset(std::string_view, std::string_view, const ListReader&);
    friend RulesetPtr approve_all_ruleset();

    std::string version_;
    Thresholds thresholds_;
    FactWindows windows_;
    std::size_t rule_count_ = 0;
};

// Parses and validates a rule file. `source_name` names it in error locations ("rules.toml:3:1").
// On failure returns every error found, each with its line and rule id where it has one.
Result<RulesetPtr> load_ruleset(std::string_view toml_text, std::string_view source_name,
                                const ListReader& read_list);

// A ruleset with no rules that approves everything; its version is "approve-all".
RulesetPtr approve_all_ruleset();

}  // namespace vokter::core
