#include "http/comment_service.hpp"

#include "core/evaluate.hpp"
#include "http/crypto.hpp"
#include "http/problem.hpp"
#include "store/comment_repository.hpp"

namespace vokter::http {

std::string status_for(core::Action action) {
    switch (action) {
        case core::Action::approve:
            return store::kApproved;
        case core::Action::hold:
            return store::kPending;
        case core::Action::spam:
            return store::kSpam;
    }
    return store::kPending;
}

std::string public_status(const std::string& stored, const CommentPolicy& policy) {
    if (stored == store::kSpam && !policy.reveal_spam) return store::kPending;
    return stored;
}

Submitted CommentService::submit(core::Submission submission,
                                 std::optional<std::int64_t> form_rendered_at,
                                 std::int64_t now_ms) {
    const core::RulesetPtr rules = rules_.current();  // this request's snapshot
    store::NewComment comment;
    core::Context context;
    {
        auto db = store_.read();
        store::SubmissionFacts facts =
            store::submission_facts(*db, submission, now_ms - policy_.resubmission_seconds * 1000,
                                    rules->fact_windows(), now_ms);
        if (const auto& thread = facts.thread) {
            if (thread->closed) fail(403, "comments on this page are closed");
            if (submission.title.empty() || !thread->title.empty()) comment.thread_id = thread->id;
        }
        if (submission.parent) {
            auto parent = store::find_parent(*db, *submission.parent);
            if (!parent || parent->thread_uri != submission.thread ||
                parent->status != store::kApproved) {
                fail(404, "the comment you reply to does not exist on this page");
            }
            // Too deep: attach to the ancestor at the deepest allowed level instead.
            while (parent->depth + 1 > policy_.max_depth && parent->parent) {
                parent = store::find_parent(*db, *parent->parent);
            }
            submission.parent = parent->id;
            comment.root_id = parent->root_id;
            comment.depth = parent->depth + 1;
        }
        if (facts.resubmission) fail(409, "this comment was already posted");
        context = std::move(facts.context);
    }
    context.form_rendered_at = form_rendered_at;
    context.classifier = store_.classifier().current();
    comment.verdict = core::evaluate(*rules, submission, context, now_ms / 1000);
    comment.status = status_for(comment.verdict.action);
    comment.created = now_ms;
    comment.edit_until = now_ms + policy_.edit_window_seconds * 1000;

    Submitted result;
    result.edit_token = random_hex(16);
    result.edit_until_ms = comment.edit_until;
    comment.edit_token_hash = sha256(result.edit_token);
    comment.submission = std::move(submission);
    try {
        result.id = store_.writer().run([&](store::Connection& db) {
            const std::int64_t id = store::insert_comment(db, comment);
            store::record_comment_events(db, store_.options().events, id, comment.status, now_ms);
            return id;
        });
    } catch (const store::StoreError& e) {
        // The parent vanished between the check and the write (deleted by a moderator).
        if (e.is_constraint()) fail(404, "the comment you reply to does not exist on this page");
        throw;
    }
    result.status = comment.status;
    result.parent = comment.submission.parent;
    result.verdict = std::move(comment.verdict);
    return result;
}

store::StoredComment CommentService::authorise(std::int64_t id, std::string_view edit_token,
                                               std::int64_t now_ms) {
    auto db = store_.read();
    auto stored = store::find_comment(*db, id);
    if (!stored || stored->status == store::kDeleted) fail(404, "no such comment");
    if (stored->edit_token_hash.empty() ||
        !constant_time_equal(sha256(edit_token), stored->edit_token_hash)) {
        fail(403, "the edit token is missing or wrong for this comment");
    }
    if (now_ms > stored->edit_until) fail(403, "the time to edit this comment has run out");
    return *stored;
}

std::string CommentService::edit(std::int64_t id, std::string_view edit_token,
                                 const core::Submission& edited, bool name_given,
                                 bool website_given, std::int64_t now_ms) {
    const store::StoredComment stored = authorise(id, edit_token, now_ms);
    core::Submission submission = edited;
    if (!name_given) submission.name = stored.name;
    if (!website_given) submission.website = stored.website;
    submission.thread = stored.thread;
    submission.parent = stored.parent;
    submission.email = stored.email;
    submission.ip = stored.ip;
    submission.user_agent = stored.user_agent;
    submission.referrer = stored.referrer;
    const core::RulesetPtr rules = rules_.current();
    core::Context context;
    {
        auto db = store_.read();
        context = store::gather_context(*db, submission, rules->fact_windows(), now_ms, id);
    }
    context.classifier = store_.classifier().current();
    core::Verdict verdict = core::evaluate(*rules, submission, context, now_ms / 1000);
    const std::string status = status_for(verdict.action);
    store_.writer().run([&](store::Connection& db) {
        store::update_comment(db, id, submission, verdict, status, now_ms);
        // An edit that the rules hold or file as spam is told like a new comment: a harmless
        // comment edited into spam must not pass unseen.
        if (status != stored.status)
            store::record_comment_events(db, store_.options().events, id, status, now_ms);
    });
    store_.training_enqueued();  // an edit unlearns what the old text taught
    return status;
}

void CommentService::remove(std::int64_t id, std::string_view edit_token, std::int64_t now_ms) {
    authorise(id, edit_token, now_ms);
    store_.writer().run([&](store::Connection& db) { store::tombstone_comment(db, id, now_ms); });
}

}  // namespace vokter::http
