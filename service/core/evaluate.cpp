#include "core/evaluate.hpp"

namespace vokter::core {

std::string_view to_string(Action action) {
    switch (action) {
        case Action::approve: return "approve";
        case Action::hold: return "hold";
        case Action::spam: return "spam";
    }
    return "approve";
}

Verdict evaluate(const Ruleset& ruleset, const Submission& /*submission*/,
                 const Context& /*context*/, std::int64_t /*now*/) {
    Verdict verdict;
    verdict.ruleset_version = ruleset.version();
    const Thresholds& t = ruleset.thresholds();
    verdict.action = verdict.score >= t.spam   ? Action::spam
                     : verdict.score >= t.hold ? Action::hold
                                               : Action::approve;
    return verdict;
}

}  // namespace vokter::core
