#pragma once
// Heuristics: checks that are not a regex on one field but a measurement (link count, share of
// capitals, …) or a fact the store gathered (flood, duplicate, known author). Each is configured by
// a [[heuristic]] table in the rule file: its kind, parameters and score. rules/README.md lists
// every kind with its parameters.

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/classifier/classifier_heuristic.hpp"
#include "core/context.hpp"
#include "core/domain_list.hpp"
#include "core/field.hpp"
#include "core/links.hpp"
#include "core/normalise.hpp"
#include "core/phrase_list.hpp"
#include "core/submission.hpp"
#include "core/utf8_scan.hpp"
#include "core/verdict.hpp"

namespace vokter::core {

enum class HeuristicKind {
    link_count,
    url_or_email_in_name,
    caps_ratio,
    repeated_chars,
    repeated_words,
    body_length,
    honeypot,
    time_trap,
    flood,
    duplicate_body,
    blocked_domain,
    disposable_email,
    script_mix,
    known_author,
    language,
    keyword_name,
    generic_praise,
    classifier,
};

// The kind a rule file's `kind = "…"` names, or nullopt when unknown.
std::optional<HeuristicKind> parse_heuristic_kind(std::string_view name);
std::string_view to_string(HeuristicKind kind);

// A configured heuristic. Which parameters a kind reads is listed next to each; the loader fills
// the rest with their defaults and refuses parameters a kind does not read.
struct Heuristic {
    HeuristicKind kind = HeuristicKind::link_count;
    std::string id;  // unique among rules and heuristics; defaults to the kind in capitals
    std::string description;
    double score = 0.0;
    std::optional<Action> action;  // per-heuristic action override, like a rule's
    bool enabled = true;

    std::int64_t min = 0;          // link_count: links >= min; body_length: chars < min
    std::int64_t max = 0;          // body_length: chars > max (0: no limit); flood: allowed count
    std::int64_t min_run = 0;      // repeated_chars: same character this many times in a row
    std::int64_t min_repeats = 0;  // repeated_words: same word this many times in a row
    std::int64_t min_letters = 0;  // caps_ratio, script_mix: measure only with this many letters
    double min_ratio = 0.0;        // caps_ratio, script_mix: fire at this share or more
    std::int64_t min_seconds = 0;  // time_trap: form filled in faster than this
    double score_missing = 0.0;    // time_trap: score when the form token is missing
    std::int64_t window_seconds = 0;  // flood, duplicate_body: how far back the store looks
    std::int64_t min_approved = 0;    // known_author: approved comments needed
    std::vector<Field> fields;    // blocked_domain: where domains come from (links, website, email)
    std::vector<Script> scripts;  // script_mix: the scripts whose letters are counted
    std::string list;             // blocked_domain, disposable_email: the list file's name
    std::shared_ptr<const DomainList> domains;  // that list, loaded

    // language: the CLD2 codes that pass (the rule file's `languages`, see accepted_languages()).
    std::vector<std::string> languages;
    std::int64_t min_words = 0;   // keyword_name: a name of this many words or more (0: off)
    std::int64_t max_words = 0;   // generic_praise: only bodies of at most this many words
    bool match_website = false;   // keyword_name: the name's words spell the website's host
    bool require_website = true;  // keyword_name, generic_praise: fire only with a website
    // keyword_name, generic_praise: the list file `list`, loaded (keyword_name: may be absent).
    std::shared_ptr<const PhraseList> phrases;
    // classifier: when the learned model speaks and what each confidence band adds (score unused).
    ClassifierSettings classifier;
};

// What a heuristic may look at while a submission is evaluated.
struct HeuristicInput {
    const Submission& submission;
    const NormalisedSubmission& normalised;  // normalise_submission(submission)
    const Context& context;
    std::span<const Link> links;                   // find_links(submission.body)
    std::int64_t now;                              // Unix seconds
    std::span<const std::string_view> body_words;  // words(normalised.body.folded)
    std::span<const std::string_view> name_words;  // words(normalised.name.folded)
};

// Runs one heuristic. Returns the score it adds when it fires (usually h.score; time_trap may add
// score_missing) and writes the measured value to `detail`; nullopt when it does not fire.
// Thread-safe: reads only its arguments.
std::optional<double> run_heuristic(const Heuristic& h, const HeuristicInput& input,
                                    std::string& detail);

// The script name a rule file uses ("cyrillic", "cjk", …), or nullopt when unknown.
std::optional<Script> parse_script(std::string_view name);

// Text measurements the heuristics use, exposed for tests.
struct CapsMeasure {
    std::int64_t letters = 0;
    std::int64_t upper = 0;
};
CapsMeasure measure_caps(std::string_view text);
std::int64_t longest_char_run(std::string_view text);  // same non-space code point in a row
// The longest run of one word in a row, comparing words(normalise(text).folded).
std::int64_t longest_word_repeat(std::string_view text);

}  // namespace vokter::core
