#include "core/rule_set.hpp"

#include <algorithm>
#include <array>
#include <cstdlib>

#include "core/compiled_rules.hpp"
#include "core/rule_file_parser.hpp"

namespace vokter::core {

namespace {

RE2::Options rule_options(std::int64_t max_mem) {
    RE2::Options options;  // UTF-8, case-sensitive unless the pattern says (?i)
    options.set_log_errors(false);
    options.set_max_mem(max_mem);
    return options;
}

std::string quoted(std::string_view text) {
    std::string out = "\"";
    out += text.substr(0, 60);
    if (text.size() > 60) out += "…";
    out += '"';
    return out;
}

// Compiles every rule; reports RE2's message for each pattern that fails.
std::vector<CompiledRule> compile_rules(const std::vector<RuleSpec>& specs,
                                        std::vector<Error>& errors) {
    std::vector<CompiledRule> rules;
    rules.reserve(specs.size());
    for (const RuleSpec& spec : specs) {
        CompiledRule rule;
        rule.id = spec.id;
        rule.fields = spec.fields;
        rule.score = spec.score;
        rule.action = spec.action;
        rule.enabled = spec.enabled;
        rule.from_words = spec.from_words;
        if (spec.pattern.empty()) {  // already reported by the parser
            rules.push_back(std::move(rule));
            continue;
        }
        rule.re = std::make_unique<RE2>(spec.pattern, rule_options(kRuleMaxMem));
        if (!rule.re->ok()) {
            if (rule.re->error_code() == RE2::ErrorPatternTooLarge) {
                errors.push_back({"pattern_too_large",
                                  "pattern needs more than RE2's " +
                                      std::to_string(kRuleMaxMem >> 10) + " KiB program limit (" +
                                      rule.re->error() + ")",
                                  spec.pattern_where});
            } else {
                errors.push_back({"invalid_regex", rule.re->error(), spec.pattern_where});
            }
            rule.re.reset();
        }
        rules.push_back(std::move(rule));
    }
    return rules;
}

void run_examples(const std::vector<RuleSpec>& specs, const std::vector<CompiledRule>& rules,
                  std::vector<Error>& errors) {
    for (std::size_t i = 0; i < specs.size(); ++i) {
        if (!rules[i].re) continue;
        for (const std::string& text : specs[i].examples_match) {
            if (!match_rule(rules[i], text)) {
                errors.push_back({"example_failed",
                                  "example " + quoted(text) + " should match but does not",
                                  specs[i].where});
            }
        }
        for (const std::string& text : specs[i].examples_no_match) {
            if (auto m = match_rule(rules[i], text)) {
                errors.push_back(
                    {"example_failed",
                     "example " + quoted(text) + " should not match but matches " + quoted(*m),
                     specs[i].where});
            }
        }
    }
}

// One RE2::Set per field over the enabled rules that look at it.
void build_sets(CompiledRules& compiled, const std::vector<RuleSpec>& specs,
                std::string_view source_name, std::vector<Error>& errors) {
    for (std::size_t f = 0; f < kFieldCount; ++f) {
        FieldMatcher& matcher = compiled.fields[f];
        for (std::size_t i = 0; i < compiled.rules.size(); ++i) {
            const CompiledRule& rule = compiled.rules[i];
            if (!rule.enabled || !rule.re) continue;
            bool wanted = false;
            for (const Field field : rule.fields)
                wanted = wanted || static_cast<std::size_t>(field) == f;
            if (!wanted) continue;
            if (!matcher.set) {
                matcher.set = std::make_unique<RE2::Set>(rule_options(kSetMaxMem), RE2::UNANCHORED);
            }
            std::string error;
            if (matcher.set->Add(specs[i].pattern, &error) < 0) {
                errors.push_back({"invalid_regex", error, specs[i].pattern_where});
                continue;
            }
            matcher.rule_of.push_back(i);
        }
        if (matcher.set && !matcher.set->Compile()) {
            errors.push_back({"set_too_large",
                              "the rules on field '" + std::string(kFieldNames[f]) +
                                  "' do not fit RE2's memory limit together (" +
                                  std::to_string(kSetMaxMem >> 20) + " MiB)",
                              std::string(source_name)});
            matcher.set.reset();
        }
    }
}

// Fact windows from the flood and duplicate_body heuristics; they must agree per kind.
FactWindows fact_windows(const RuleFileSpec& spec, std::vector<Error>& errors) {
    FactWindows windows;
    std::optional<std::int64_t> flood;
    std::optional<std::int64_t> duplicate;
    std::int64_t count_limit = 1;
    for (std::size_t i = 0; i < spec.heuristics.size(); ++i) {
        const Heuristic& h = spec.heuristics[i];
        if (!h.enabled) continue;
        if (h.kind == HeuristicKind::flood) count_limit = std::max(count_limit, h.max + 1);
        if (h.kind == HeuristicKind::known_author) {
            count_limit = std::max(count_limit, h.min_approved);
        }
        std::optional<std::int64_t>* slot = h.kind == HeuristicKind::flood            ? &flood
                                            : h.kind == HeuristicKind::duplicate_body ? &duplicate
                                                                                      : nullptr;
        if (!slot) continue;
        if (*slot && **slot != h.window_seconds) {
            errors.push_back({"conflicting_window",
                              "every enabled " + std::string(to_string(h.kind)) +
                                  " heuristic must use the same window_seconds (the store counts "
                                  "over one window)",
                              spec.heuristic_where[i]});
        }
        *slot = h.window_seconds;
    }
    if (flood) windows.flood_seconds = *flood;
    if (duplicate) windows.duplicate_seconds = *duplicate;
    windows.count_limit = static_cast<int>(std::min<std::int64_t>(count_limit, 1'000'000));
    return windows;
}

std::vector<RuleSummary> summarise(const RuleFileSpec& spec) {
    std::vector<RuleSummary> out;
    for (const RuleSpec& rule : spec.rules) {
        RuleSummary s;
        s.id = rule.id;
        s.kind = "regex";
        s.description = rule.description;
        s.score = rule.score;
        s.action = rule.action;
        s.enabled = rule.enabled;
        for (const Field field : rule.fields)
            s.fields.emplace_back(to_string(field));
        s.pattern = rule.pattern;
        s.examples_match = rule.examples_match;
        s.examples_no_match = rule.examples_no_match;
        s.where = rule.where;
        out.push_back(std::move(s));
    }
    for (std::size_t i = 0; i < spec.heuristics.size(); ++i) {
        const Heuristic& h = spec.heuristics[i];
        RuleSummary s;
        s.id = h.id;
        s.kind = std::string(to_string(h.kind));
        s.description = h.description;
        s.score = h.score;
        s.action = h.action;
        s.enabled = h.enabled;
        s.where = spec.heuristic_where[i];
        out.push_back(std::move(s));
    }
    return out;
}

// The line of an error location "source:line:column …", or 0 when it has none.
long error_line(const Error& error, std::string_view source_name) {
    const std::string_view where = error.where;
    if (where.size() <= source_name.size() || where.substr(0, source_name.size()) != source_name ||
        where[source_name.size()] != ':')
        return 0;
    return std::strtol(where.data() + source_name.size() + 1, nullptr, 10);
}

// Orders errors by line so a person reads them top to bottom; stable for errors on one line.
std::vector<Error> by_line(std::vector<Error> errors, std::string_view source_name) {
    std::stable_sort(errors.begin(), errors.end(), [&](const Error& a, const Error& b) {
        return error_line(a, source_name) < error_line(b, source_name);
    });
    return errors;
}

}  // namespace

std::optional<std::string_view> match_rule(const CompiledRule& rule, std::string_view text) {
    if (!rule.re) return std::nullopt;
    // Words patterns have at most two groups; other rules only need the whole match.
    std::array<re2::StringPiece, 3> sub;
    const int groups = rule.from_words ? std::min(rule.re->NumberOfCapturingGroups(), 2) : 0;
    if (!rule.re->Match(re2::StringPiece(text.data(), text.size()), 0, text.size(), RE2::UNANCHORED,
                        sub.data(), groups + 1)) {
        return std::nullopt;
    }
    re2::StringPiece match = sub[0];
    for (int g = 1; g <= groups; ++g) {
        if (sub[g].data() != nullptr) {
            match = sub[g];
            break;
        }
    }
    return std::string_view(match.data() ? match.data() : text.data(), match.size());
}

Result<RulesetPtr> load_ruleset(std::string_view toml_text, std::string_view source_name,
                                const ListReader& read_list) {
    Result<RuleFileSpec> parsed = parse_rule_file(toml_text, source_name, read_list);
    if (!parsed) return parsed.errors();
    const RuleFileSpec& spec = parsed.value();

    std::vector<Error> errors = spec.errors;
    auto compiled = std::make_shared<CompiledRules>();
    compiled->rules = compile_rules(spec.rules, errors);
    run_examples(spec.rules, compiled->rules, errors);
    const FactWindows windows = fact_windows(spec, errors);
    if (!errors.empty()) return by_line(std::move(errors), source_name);
    build_sets(*compiled, spec.rules, source_name, errors);
    if (!errors.empty()) return errors;

    std::size_t count = 0;
    for (const CompiledRule& rule : compiled->rules) {
        if (rule.enabled) {
            ++count;
            for (const Field field : rule.fields)
                compiled->needs_links |= field == Field::links;
        }
    }
    for (const Heuristic& h : spec.heuristics) {
        if (!h.enabled) continue;
        ++count;
        compiled->needs_links |= h.kind == HeuristicKind::link_count ||
                                 h.kind == HeuristicKind::blocked_domain ||
                                 h.kind == HeuristicKind::language ||  // leaves links out
                                 h.kind == HeuristicKind::classifier;  // link hosts
        compiled->heuristics.push_back(h);
    }

    auto ruleset = std::make_shared<Ruleset>();
    ruleset->version_ = spec.version;
    ruleset->thresholds_ = spec.thresholds;
    ruleset->languages_ = spec.languages;
    ruleset->windows_ = windows;
    ruleset->rule_count_ = count;
    ruleset->source_name_ = std::string(source_name);
    ruleset->summaries_ = summarise(spec);
    ruleset->compiled_ = std::move(compiled);
    return RulesetPtr(std::move(ruleset));
}

RulesetPtr approve_all_ruleset() {
    auto ruleset = std::make_shared<Ruleset>();
    ruleset->version_ = "approve-all";
    ruleset->compiled_ = std::make_shared<CompiledRules>();
    return ruleset;
}

}  // namespace vokter::core
