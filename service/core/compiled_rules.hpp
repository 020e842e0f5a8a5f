#pragma once
// The compiled, immutable form of a rule file that evaluate() runs: one RE2 per rule, one RE2::Set
// per field over the enabled rules that look at it, and the configured heuristics. Built once by
// load_ruleset(); read concurrently afterwards (RE2 and RE2::Set matching is thread-safe).

#include <re2/re2.h>
#include <re2/set.h>

#include <array>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/field.hpp"
#include "core/heuristics.hpp"
#include "core/verdict.hpp"

namespace vokter::core {

// Memory RE2 may use for one rule's program; a pattern needing more is refused at load.
inline constexpr std::int64_t kRuleMaxMem = 1 << 20;
// Memory for one field's RE2::Set (program and DFA cache).
inline constexpr std::int64_t kSetMaxMem = 64 << 20;

struct CompiledRule {
    std::string id;
    std::vector<Field> fields;
    double score = 0.0;
    std::optional<Action> action;
    bool enabled = true;
    bool from_words = false;  // excerpt from the first non-empty group, not the whole match
    std::unique_ptr<RE2> re;
};

struct FieldMatcher {
    std::unique_ptr<RE2::Set> set;     // null when no enabled rule looks at the field
    std::vector<std::size_t> rule_of;  // set index -> index into CompiledRules::rules
};

struct CompiledRules {
    std::vector<CompiledRule> rules;
    std::array<FieldMatcher, kFieldCount> fields;
    std::vector<Heuristic> heuristics;  // enabled ones only
    bool needs_links = false;           // a rule on `links` or a heuristic reads the body's links
};

// The text `rule` matched in `text` (for a words rule, the words without their boundary
// characters), a view into `text`; nullopt when it does not match. Thread-safe.
std::optional<std::string_view> match_rule(const CompiledRule& rule, std::string_view text);

}  // namespace vokter::core
