#pragma once
// The rule engine's one entry point. Pure: everything it needs comes in as arguments, so the same
// inputs always give the same verdict. Safe to call from many threads on one shared Ruleset.

#include <cstdint>

#include "core/context.hpp"
#include "core/rule_set.hpp"
#include "core/submission.hpp"
#include "core/verdict.hpp"

namespace vokter::core {

// Scores `submission` against every rule and heuristic of `ruleset`, using the stored `context`
// facts and `now` (Unix seconds) for time-based heuristics. Never fails.
// The score is the sum of every hit's score. The action is the strongest per-rule `action`
// override among the hits (spam > hold > approve) when any hit has one; otherwise score >= spam
// threshold -> spam, >= hold threshold -> hold, else approve. Each regex rule hits at most once;
// hits are sorted by score, highest first (ties keep file order). The submission is normalised
// once (core/normalise.hpp): rules on body, name and website match the normalised text, and the
// heuristics and the classifier share its words and links. Safe to call concurrently on one
// shared Ruleset.
Verdict evaluate(const Ruleset& ruleset, const Submission& submission, const Context& context,
                 std::int64_t now);

}  // namespace vokter::core
