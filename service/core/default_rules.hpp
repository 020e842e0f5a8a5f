#pragma once
// The rule file embedded in the binary (rules/default.toml and the lists next to it), used when no
// rule file is configured.

#include "core/rule_set.hpp"

namespace vokter::core {

// Name of the embedded default rule file among default_rule_files().
inline constexpr std::string_view kDefaultRuleFile = "default.toml";

// Reads list files from the embedded rules folder by relative name ("blocked_domains.txt");
// an unknown name is an error with code "list_not_found".
ListReader embedded_list_reader();

// Loads the embedded default.toml with embedded_list_reader(); source name "default.toml".
// Fails only if the shipped file is broken (a test guards against that).
Result<RulesetPtr> load_default_ruleset();

}  // namespace vokter::core
