#pragma once
// The outcome of evaluating one submission: a score, the action it leads to, and every rule hit
// with the reason, so a moderator can see why a comment was held.

#include <string>
#include <string_view>
#include <vector>

namespace vokter::core {

enum class Action { approve, hold, spam };

std::string_view to_string(Action action);

struct Hit {
    std::string rule;    // rule or heuristic id, e.g. "PHARMA_WORDS", "LINK_COUNT"
    double score = 0.0;  // what it added (may be negative)
    std::string field;   // the field it looked at: "body", "name", … or "" for facts
    std::string detail;  // the matched excerpt or the measured value
};

struct Verdict {
    double score = 0.0;
    Action action = Action::approve;
    std::vector<Hit> hits;
    std::string ruleset_version;
};

}  // namespace vokter::core
