// Handlers of the rules API: show the rules in force, replace them, check a candidate (with an
// optional dry run over stored comments), and reload the rule file. Each runs after the bearer
// token was checked; every change is written to the audit log with both ruleset versions.

#include "core/default_rules.hpp"
#include "http/log.hpp"
#include "http/moderation/moderation_codecs.hpp"
#include "http/moderation/rules_dry_run.hpp"
#include "http/problem.hpp"
#include "http/server_impl.hpp"
#include "store/moderation_repository.hpp"

namespace vokter::http {

namespace {

constexpr const char* kEmbeddedRefusal =
    "the service runs on the rules embedded in the binary, which cannot be changed; start it "
    "with --rules FILE (or VOKTER_RULES=FILE) naming a rule file it may rewrite";

// 422 with one "rules" error per problem found: "where: message".
[[noreturn]] void fail_rules(const std::vector<Error>& errors) {
    std::vector<FieldError> fields;
    for (const auto& e : errors)
        fields.push_back({"rules", e.where.empty() ? e.message : e.where + ": " + e.message});
    throw ApiError(Problem{422,
                           status_title(422),
                           "the rule file is invalid (" + std::to_string(errors.size()) +
                               (errors.size() == 1 ? " error" : " errors") +
                               "); the rules in force are unchanged",
                           std::move(fields),
                           {}});
}

nlohmann::json ruleset_json(const core::Ruleset& rules) {
    std::size_t examples = 0;
    for (const auto& rule : rules.rules())
        examples += rule.examples_match.size() + rule.examples_no_match.size();
    return {{"version", rules.version()},
            {"rule_count", rules.rule_count()},
            {"examples_passed", examples},
            {"thresholds", {{"hold", rules.thresholds().hold}, {"spam", rules.thresholds().spam}}}};
}

nlohmann::json verdict_json(const core::Verdict& verdict) {
    nlohmann::json hits = nlohmann::json::array();
    for (const auto& hit : verdict.hits)
        hits.push_back({{"rule", hit.rule}, {"score", hit.score}, {"detail", hit.detail}});
    return {{"action", std::string(core::to_string(verdict.action))},
            {"score", verdict.score},
            {"hits", std::move(hits)}};
}

}  // namespace

void Server::Impl::handle_get_rules(const httplib::Request&, httplib::Response& res,
                                    const std::string&) {
    const core::RulesetPtr current = rules.current();
    const RulesStatus status = rules_status();
    const std::string path = rules_control.path ? rules_control.path() : "";
    nlohmann::json doc = ruleset_json(*current);
    doc["source"] = path.empty() ? "embedded" : "file";
    doc["path"] = path.empty() ? nlohmann::json(nullptr) : nlohmann::json(path);
    doc["editable"] = !path.empty() && static_cast<bool>(rules_control.replace);
    doc["loaded_at"] = status.loaded_at_ms ? nlohmann::json(iso_time(status.loaded_at_ms))
                                           : nlohmann::json(nullptr);
    doc["last_error"] =
        status.last_error.empty() ? nlohmann::json(nullptr) : nlohmann::json(status.last_error);
    doc["text"] = nullptr;
    if (rules_control.text) {
        if (auto text = rules_control.text()) doc["text"] = std::move(text).value();
    }
    doc["rules"] = rule_summaries_json(*current);
    send_json(res, 200, doc);
}

void Server::Impl::handle_put_rules(const httplib::Request& req, httplib::Response& res,
                                    const std::string& moderator,
                                    const httplib::ContentReader& reader) {
    if (!rules_control.replace || !rules_control.path || rules_control.path().empty()) {
        fail(409, kEmbeddedRefusal);
    }
    const std::string text = read_body(req, reader, options.max_request_bytes);
    const std::string old_version = rules.current()->version();
    auto replaced = rules_control.replace(text);
    if (!replaced) fail_rules(replaced.errors());
    const core::RulesetPtr next = replaced.value();
    store.writer().run([&](store::Connection& db) {
        store::append_log(db,
                          store::LogEntry{0, std::nullopt, moderator, "rules.replace", old_version,
                                          next->version(), req.get_param_value("note"), now_ms()});
    });
    log_line("rules " + next->version() + " put in force by moderator " + moderator + " (was " +
             old_version + ")");
    nlohmann::json doc = ruleset_json(*next);
    doc["previous_version"] = old_version;
    send_json(res, 200, doc);
}

void Server::Impl::handle_check_rules(const httplib::Request& req, httplib::Response& res,
                                      const std::string&, const httplib::ContentReader& reader) {
    const int rescore = static_cast<int>([&]() -> std::int64_t {
        if (!req.has_param("rescore")) return 0;
        const std::string n = req.get_param_value("rescore");
        if (n.empty() || n.size() > 5 || n.find_first_not_of("0123456789") != std::string::npos ||
            std::stoi(n) > 10000) {
            fail_fields({{"rescore", "must be a whole number from 0 to 10000"}});
        }
        return std::stoi(n);
    }());
    const std::string text = read_body(req, reader, options.max_request_bytes);
    auto checked = rules_control.check
                       ? rules_control.check(text)
                       : core::load_ruleset(text, "rules.toml", core::embedded_list_reader());
    if (!checked) fail_rules(checked.errors());
    const core::RulesetPtr candidate = checked.value();
    nlohmann::json doc = ruleset_json(*candidate);
    doc["valid"] = true;
    if (rescore > 0) {
        const core::RulesetPtr current = rules.current();
        const RescoreReport report = rescore_recent(store, *current, *candidate, rescore);
        nlohmann::json examples = nlohmann::json::array();
        for (const auto& example : report.examples) {
            examples.push_back({{"id", example.id},
                                {"excerpt", example.excerpt},
                                {"before", verdict_json(example.before)},
                                {"after", verdict_json(example.after)}});
        }
        doc["rescore"] = {{"compared_with", current->version()},
                          {"rescored", report.rescored},
                          {"changed", report.changed},
                          {"transitions", report.transitions},
                          {"examples", std::move(examples)}};
    }
    send_json(res, 200, doc);
}

void Server::Impl::handle_reload_rules(const httplib::Request& req, httplib::Response& res,
                                       const std::string& moderator) {
    if (!rules_control.reload) fail(409, "this server cannot reload its rules");
    const std::string old_version = rules.current()->version();
    auto reloaded = rules_control.reload();
    if (!reloaded) fail_rules(reloaded.errors());
    const core::RulesetPtr next = reloaded.value();
    store.writer().run([&](store::Connection& db) {
        store::append_log(db,
                          store::LogEntry{0, std::nullopt, moderator, "rules.reload", old_version,
                                          next->version(), req.get_param_value("note"), now_ms()});
    });
    log_line("rules " + next->version() + " reloaded by moderator " + moderator);
    nlohmann::json doc = ruleset_json(*next);
    doc["previous_version"] = old_version;
    send_json(res, 200, doc);
}

}  // namespace vokter::http
