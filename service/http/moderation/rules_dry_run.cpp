#include "http/moderation/rules_dry_run.hpp"

#include "core/evaluate.hpp"
#include "store/comment_repository.hpp"
#include "store/moderation_repository.hpp"

namespace vokter::http {

namespace {

std::string excerpt(const std::string& body, std::size_t chars) {
    std::size_t n = 0;
    for (std::size_t i = 0; i < body.size(); ++i) {
        if ((static_cast<unsigned char>(body[i]) & 0xC0) != 0x80 && n++ == chars) {
            return body.substr(0, i);
        }
    }
    return body;
}

core::Verdict score(store::Connection& db, const core::Ruleset& rules,
                    const core::Submission& submission, const store::StoredComment& stored,
                    const core::ModelPtr& model) {
    core::Context context =
        store::gather_context(db, submission, rules.fact_windows(), stored.created, stored.id);
    context.classifier = model;
    return core::evaluate(rules, submission, context, stored.created / 1000);
}

}  // namespace

RescoreReport rescore_recent(store::Store& store, const core::Ruleset& current,
                             const core::Ruleset& candidate, int count, std::size_t max_examples) {
    RescoreReport report;
    const core::ModelPtr model = store.classifier().current();  // the same for both rule files
    auto db = store.read();
    for (const auto& stored : store::recent_comments(*db, count)) {
        core::Submission s;
        s.thread = stored.thread;
        s.parent = stored.parent;
        s.name = stored.name;
        s.email = stored.email;
        s.website = stored.website;
        s.body = stored.body;
        s.ip = stored.ip;
        s.user_agent = stored.user_agent;
        s.referrer = stored.referrer;
        RescoredComment rescored{stored.id, excerpt(stored.body, 140),
                                 score(*db, current, s, stored, model),
                                 score(*db, candidate, s, stored, model)};
        ++report.rescored;
        if (rescored.before.action == rescored.after.action) continue;
        ++report.changed;
        ++report.transitions[std::string(core::to_string(rescored.before.action)) + "->" +
                             std::string(core::to_string(rescored.after.action))];
        if (report.examples.size() < max_examples) report.examples.push_back(std::move(rescored));
    }
    return report;
}

}  // namespace vokter::http
