#include "core/evaluate.hpp"

#include <algorithm>

#include "core/compiled_rules.hpp"
#include "core/links.hpp"
#include "core/normalise.hpp"
#include "core/utf8_scan.hpp"

namespace vokter::core {

namespace {

constexpr std::size_t kExcerptBytes = 80;

std::string excerpt(std::string_view match) {
    const std::string_view cut = truncate_utf8(match, kExcerptBytes);
    std::string out(cut);
    if (cut.size() < match.size()) out += "…";
    return out;
}

// The text regex rules see of a field: the normalised copy of the fields people write words in
// (body, name, website), the field as sent otherwise.
std::string_view rule_text(const Submission& submission, const NormalisedSubmission& normalised,
                           Field field) {
    switch (field) {
        case Field::body:
            return normalised.body.text;
        case Field::name:
            return normalised.name.text;
        case Field::website:
            return normalised.website.text;
        default:
            return field_text(submission, field);
    }
}

// Collects regex hits, each rule at most once (on the first field, in field order, it matches).
class RuleMatcher {
  public:
    RuleMatcher(const CompiledRules& compiled, Verdict& verdict)
        : compiled_(compiled), verdict_(verdict) {}

    void match(const FieldMatcher& matcher, Field field, std::string_view text) {
        ids_.clear();
        RE2::Set::ErrorInfo info{};
        const re2::StringPiece piece(text.data(), text.size());
        if (matcher.set->Match(piece, &ids_, &info)) {
            for (const int id : ids_)
                try_rule(matcher.rule_of[static_cast<std::size_t>(id)], field, text);
        } else if (info.kind != RE2::Set::kNoError) {
            // The DFA ran out of memory (or similar): fall back to each rule on its own.
            for (const std::size_t index : matcher.rule_of)
                try_rule(index, field, text);
        }
    }

  private:
    void try_rule(std::size_t index, Field field, std::string_view text) {
        if (std::find(hit_rules_.begin(), hit_rules_.end(), index) != hit_rules_.end()) return;
        const CompiledRule& rule = compiled_.rules[index];
        const auto matched = match_rule(rule, text);
        if (!matched) return;
        hit_rules_.push_back(index);
        verdict_.hits.push_back(
            Hit{rule.id, rule.score, std::string(to_string(field)), excerpt(*matched)});
        actions_.push_back(rule.action);
    }

    const CompiledRules& compiled_;
    Verdict& verdict_;
    std::vector<int> ids_;
    std::vector<std::size_t> hit_rules_;

  public:
    std::vector<std::optional<Action>> actions_;  // per hit, parallel to verdict_.hits
};

}  // namespace

std::string_view to_string(Action action) {
    switch (action) {
        case Action::approve:
            return "approve";
        case Action::hold:
            return "hold";
        case Action::spam:
            return "spam";
    }
    return "approve";
}

Verdict evaluate(const Ruleset& ruleset, const Submission& submission, const Context& context,
                 std::int64_t now) {
    Verdict verdict;
    verdict.ruleset_version = ruleset.version();
    const CompiledRules& compiled = ruleset.compiled();

    const NormalisedSubmission normalised = normalise_submission(submission);
    std::vector<Link> links;
    if (compiled.needs_links) links = find_links(submission.body);

    RuleMatcher matcher(compiled, verdict);
    for (std::size_t f = 0; f < kFieldCount; ++f) {
        const FieldMatcher& field_matcher = compiled.fields[f];
        if (!field_matcher.set) continue;
        const auto field = static_cast<Field>(f);
        if (field == Field::links) {
            for (const Link& link : links)
                matcher.match(field_matcher, field, link.text);
        } else {
            matcher.match(field_matcher, field, rule_text(submission, normalised, field));
        }
    }

    std::vector<std::optional<Action>>& actions = matcher.actions_;
    const std::vector<std::string_view> body_words = words(normalised.body.folded);
    const std::vector<std::string_view> name_words = words(normalised.name.folded);
    const HeuristicInput input{submission, normalised, context, links, now, body_words, name_words};
    std::string detail;
    for (const Heuristic& h : compiled.heuristics) {
        detail.clear();
        if (const auto score = run_heuristic(h, input, detail)) {
            verdict.hits.push_back(Hit{h.id, *score, "", detail});
            actions.push_back(h.action);
        }
    }

    // Action: the strongest per-rule override among the hits (spam > hold > approve) replaces
    // the threshold decision; without an override the thresholds decide.
    std::optional<Action> forced;
    for (const auto& action : actions) {
        if (action && (!forced || static_cast<int>(*action) > static_cast<int>(*forced)))
            forced = action;
    }
    for (const Hit& hit : verdict.hits)
        verdict.score += hit.score;
    const Thresholds& t = ruleset.thresholds();
    verdict.action = forced                    ? *forced
                     : verdict.score >= t.spam ? Action::spam
                     : verdict.score >= t.hold ? Action::hold
                                               : Action::approve;
    std::stable_sort(verdict.hits.begin(), verdict.hits.end(),
                     [](const Hit& a, const Hit& b) { return a.score > b.score; });
    return verdict;
}

}  // namespace vokter::core
