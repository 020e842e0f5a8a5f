#pragma once
// The public comment use cases, independent of HTTP parsing: submit, edit and delete a comment.
// Each gathers facts from the store, scores with the active ruleset's snapshot, and writes
// through the store's single writer; it returns only once the change is durable. Domain failures
// are thrown as ApiError with their 4xx status (404 unknown parent, 403 closed thread, 409
// resubmission, …). Thread-safe: one instance serves every request thread.

#include <cstdint>
#include <optional>
#include <string>

#include "core/active_ruleset.hpp"
#include "core/submission.hpp"
#include "core/verdict.hpp"
#include "store/comment_repository.hpp"
#include "store/store.hpp"

namespace vokter::http {

struct CommentPolicy {
    int max_depth = 5;                        // replies deeper than this attach higher up
    std::int64_t edit_window_seconds = 900;   // how long the author may edit or delete
    std::int64_t resubmission_seconds = 600;  // same body, thread and author again → 409
    bool reveal_spam = false;                 // answer "spam" instead of "pending"
};

struct Submitted {
    std::int64_t id = 0;
    std::string status;                  // as stored: approved, pending or spam
    std::optional<std::int64_t> parent;  // the parent actually used (after depth flattening)
    std::string edit_token;
    std::int64_t edit_until_ms = 0;
    core::Verdict verdict;
};

class CommentService {
  public:
    CommentService(store::Store& store, core::ActiveRuleset& rules, CommentPolicy policy)
        : store_(store), rules_(rules), policy_(policy) {}

    // `form_rendered_at` comes from a verified form token (empty if none or invalid).
    Submitted submit(core::Submission submission, std::optional<std::int64_t> form_rendered_at,
                     std::int64_t now_ms);

    // Replaces the body, and the name and website when `name_given`/`website_given`, of comment
    // `id` with those of `edited` if `edit_token` is its token and the edit window is open; the
    // edit is scored again. Returns the new status.
    std::string edit(std::int64_t id, std::string_view edit_token, const core::Submission& edited,
                     bool name_given, bool website_given, std::int64_t now_ms);

    // The comment `id` when `edit_token` is its token and its edit window is open. Throws
    // ApiError 404 (no such comment, or deleted) or 403 (a wrong token, the window closed).
    store::StoredComment authorise(std::int64_t id, std::string_view edit_token,
                                   std::int64_t now_ms);

    // Deletes comment `id` (a tombstone keeps its replies in place) under the same conditions.
    void remove(std::int64_t id, std::string_view edit_token, std::int64_t now_ms);

    const CommentPolicy& policy() const { return policy_; }

  private:
    store::Store& store_;
    core::ActiveRuleset& rules_;
    CommentPolicy policy_;
};

// The status a public caller is told: "spam" is hidden as "pending" unless the policy reveals it.
std::string public_status(const std::string& stored, const CommentPolicy& policy);

// The stored status for a verdict's action.
std::string status_for(core::Action action);

}  // namespace vokter::http
