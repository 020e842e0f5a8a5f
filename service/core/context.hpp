#pragma once
// Facts about a submission that live outside it (in the database, or in a verified form token).
// The store gathers them; the rule engine only reads them, so evaluation stays pure.

#include <cstdint>
#include <memory>
#include <optional>

#include "core/classifier/model.hpp"

namespace vokter::core {

// How far back the store looks when it gathers facts; chosen by the active ruleset.
struct FactWindows {
    std::int64_t flood_seconds = 60;
    std::int64_t duplicate_seconds = 86400;
    // How far the store needs to count (comments per IP or email, an author's approved
    // comments): one past the largest limit any rule compares a count with. Counts saturate
    // there, so a flood of thousands from one address costs each look-up no more than this.
    int count_limit = 100;
};

struct Context {
    // Counts saturate at FactWindows::count_limit.
    int same_ip_recent = 0;       // comments stored from the same IP within flood_seconds
    int same_email_recent = 0;    // comments stored with the same email within flood_seconds
    bool duplicate_body = false;  // same normalised body stored within duplicate_seconds
    int author_approved = 0;      // approved comments stored with the same email
    // When the comment form was rendered, from a form token whose signature was verified;
    // empty when the submission carried no valid token.
    std::optional<std::int64_t> form_rendered_at;
    // The classifier's model in force when the comment arrived; null when nothing was learned
    // (the classifier heuristic then adds nothing).
    ModelPtr classifier;
};

}  // namespace vokter::core
