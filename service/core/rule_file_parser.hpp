#pragma once
// Step one of loading a rule file: TOML text -> plain specs, with every structural error found
// (syntax with line:column, unknown keys, wrong types, missing scores, unknown fields and kinds,
// duplicate ids). Regexes are not compiled here; rule_set.cpp does that.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/field.hpp"
#include "core/heuristics.hpp"
#include "core/result.hpp"
#include "core/rule_set.hpp"
#include "core/verdict.hpp"

namespace vokter::core {

// Longest pattern (or words list, joined) a rule may have, in bytes.
inline constexpr std::size_t kMaxPatternBytes = 4096;

// One [[rule]] table.
struct RuleSpec {
    std::string id;
    std::string description;
    std::vector<Field> fields;  // default: body
    std::string pattern;        // as written, or built from `words`
    bool from_words = false;    // pattern was built by words_pattern()
    double score = 0.0;
    std::optional<Action> action;
    bool enabled = true;
    std::vector<std::string> examples_match;
    std::vector<std::string> examples_no_match;
    std::string where;          // "file:line:col rule ID" of the [[rule]] table
    std::string pattern_where;  // the same, at the pattern (or words) key
};

struct RuleFileSpec {
    std::string version;
    Thresholds thresholds;
    std::vector<std::string> languages;  // `languages`, as written (valid codes only)
    std::vector<RuleSpec> rules;
    std::vector<Heuristic> heuristics;         // list files already read and parsed
    std::vector<std::string> heuristic_where;  // parallel to heuristics
    std::vector<Error> errors;  // validation errors; the specs above hold what could be read
};

// Parses a rule file. `source_name` prefixes every error location. List files named by
// heuristics are read through `read_list`; a failing read is an error at that heuristic.
// Fails only on a file over the size or nesting limits (toml_limits.hpp: "too_large",
// "too_deep"; checked before parsing) or on a TOML syntax error (one error, with line:column).
// Otherwise returns the specs with every validation error in `errors`, so the caller can go on
// to compile the patterns that were read and report all problems of the file at once.
Result<RuleFileSpec> parse_rule_file(std::string_view toml_text, std::string_view source_name,
                                     const ListReader& read_list);

// The action a rule file names ("approve", "hold", "spam"), or nullopt.
std::optional<Action> parse_action(std::string_view name);

}  // namespace vokter::core
