#include "http/akismet/akismet_service.hpp"

#include <algorithm>

#include "core/evaluate.hpp"
#include "http/comment_service.hpp"
#include "http/crypto.hpp"
#include "store/akismet_labels.hpp"
#include "store/classifier/classifier_repository.hpp"
#include "store/comment_repository.hpp"
#include "store/moderation_repository.hpp"

namespace vokter::http {

std::string akismet_thread(const std::string& thread) {
    return "akismet:" + thread;
}

bool is_blatant(const core::Ruleset& ruleset, const core::Verdict& verdict, double margin) {
    if (verdict.action != core::Action::spam) return false;
    if (verdict.score >= ruleset.thresholds().spam + margin) return true;
    return std::any_of(verdict.hits.begin(), verdict.hits.end(), [&](const core::Hit& hit) {
        return std::any_of(ruleset.rules().begin(), ruleset.rules().end(),
                           [&](const core::RuleSummary& rule) {
                               return rule.id == hit.rule && rule.action == core::Action::spam;
                           });
    });
}

std::optional<store::ApiKey> AkismetService::find_key(std::string_view key) {
    if (key.empty() || key.size() > 256) return std::nullopt;
    const std::string hash = sha256(key);
    std::optional<store::ApiKey> found;
    {
        auto db = store_.read();
        found = store::find_api_key_by_hash(*db, hash);
    }
    if (!found || !constant_time_equal(found->key_hash, hash)) return std::nullopt;
    return found;
}

AkismetCheck AkismetService::check(const AkismetComment& comment, std::int64_t now_ms) {
    AkismetCheck result;
    if (comment.administrator) return result;
    const core::RulesetPtr rules = rules_.current();  // this request's snapshot
    const core::Submission& submission = comment.submission;
    std::optional<std::int64_t> earlier;
    core::Context context;
    {
        auto db = store_.read();
        if (comment.recheck) {
            earlier =
                store::find_akismet_comment(*db, submission.body, submission.ip, submission.name);
        }
        // A recheck must not count the comment's own earlier copy as a flood or a duplicate.
        context = store::gather_context(*db, submission, rules->fact_windows(), now_ms,
                                        earlier.value_or(0));
    }
    context.classifier = store_.classifier().current();
    // No form token can come through the Akismet API: the time trap sees it as missing, as for
    // a form post without a token.
    result.verdict = core::evaluate(*rules, submission, context, now_ms / 1000);
    result.scored = true;
    result.spam = result.verdict.action == core::Action::spam;
    result.discard = is_blatant(*rules, result.verdict, options_.discard_margin);
    if (comment.is_test || earlier) return result;

    store::NewComment stored;
    stored.submission = submission;
    stored.submission.thread = akismet_thread(submission.thread);
    stored.submission.parent.reset();
    stored.verdict = result.verdict;
    stored.status = status_for(result.verdict.action);
    stored.source = store::kAkismetSource;
    stored.created = now_ms;
    result.stored_id = store_.writer().run([&](store::Connection& db) {
        const std::int64_t id = store::insert_comment(db, stored);
        store::record_comment_events(db, store_.options().events, id, stored.status, now_ms);
        return id;
    });
    return result;
}

std::optional<std::int64_t> AkismetService::report(const AkismetComment& comment,
                                                   const store::ApiKey& key, bool spam,
                                                   std::int64_t now_ms) {
    if (comment.is_test) return std::nullopt;
    const core::Submission& s = comment.submission;
    store::AkismetLabel label;
    label.api_key = key.name;
    label.label = spam ? "spam" : "ham";
    label.blog = comment.blog;
    label.permalink = comment.permalink;
    label.comment_type = comment.comment_type;
    label.name = s.name;
    label.email = s.email;
    label.website = s.website;
    label.body = s.body;
    label.ip = s.ip;
    label.user_agent = s.user_agent;
    label.referrer = s.referrer;
    label.created = now_ms;
    const auto matched = store_.writer().run([&](store::Connection& db) {
        // Found and moved in the same transaction: nothing can change it in between.
        label.comment_id = store::find_akismet_comment(db, s.body, s.ip, s.name);
        store::insert_akismet_label(db, label);
        if (label.comment_id) {
            // The decision teaches the classifier, as a moderator's would.
            store::apply_decision(
                db, *label.comment_id, spam ? store::Decision::spam : store::Decision::approve,
                "akismet:" + key.name, spam ? "reported by submit-spam" : "reported by submit-ham",
                now_ms);
        } else {
            // A comment Vokter never checked: learn from the report's own fields.
            store::TrainingJob job;
            job.learn = spam ? core::Label::spam : core::Label::ham;
            job.name = s.name;
            job.email = s.email;
            job.website = s.website;
            job.body = s.body;
            job.created = now_ms;
            store::enqueue_training(db, job);
        }
        return label.comment_id;
    });
    store_.training_enqueued();
    return matched;
}

}  // namespace vokter::http
