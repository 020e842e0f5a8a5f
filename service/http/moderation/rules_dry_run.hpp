#pragma once
// Dry runs of a candidate rule file: re-scores stored comments with the rules in force and with
// the candidate, under the same facts, and reports which verdicts would change. Nothing is
// written. Thread-safe (reads through the store's read connections).

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/rule_set.hpp"
#include "core/verdict.hpp"
#include "store/store.hpp"

namespace vokter::http {

struct RescoredComment {
    std::int64_t id = 0;
    std::string excerpt;   // the first 140 characters of the body
    core::Verdict before;  // with the rules in force
    core::Verdict after;   // with the candidate
};

struct RescoreReport {
    int rescored = 0;
    int changed = 0;                         // comments whose action differs
    std::map<std::string, int> transitions;  // "approve->hold" -> count
    std::vector<RescoredComment> examples;   // up to `max_examples` changed comments
};

// Re-scores the `count` most recent stored comments (deleted ones left out) with `current` and
// with `candidate`. Each comment is scored as of its creation time with the facts the store can
// gather now (flood, duplicates, the author's approved count); no form token is known.
RescoreReport rescore_recent(store::Store& store, const core::Ruleset& current,
                             const core::Ruleset& candidate, int count,
                             std::size_t max_examples = 5);

}  // namespace vokter::http
