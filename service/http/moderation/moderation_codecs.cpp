#include "http/moderation/moderation_codecs.hpp"

#include <charconv>
#include <cmath>

#include "core/verdict.hpp"
#include "http/log.hpp"

namespace vokter::http {

namespace {

char sort_letter(store::QueueSort sort) {
    switch (sort) {
        case store::QueueSort::score:
            return 's';
        case store::QueueSort::newest:
            return 'n';
        case store::QueueSort::oldest:
            return 'o';
    }
    return '?';
}

template <class T>
bool parse_number(std::string_view text, T& value) {
    if (text.empty()) return false;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    return error == std::errc() && end == text.data() + text.size();
}

nlohmann::json optional_id(const std::optional<std::int64_t>& id) {
    return id ? nlohmann::json(*id) : nlohmann::json(nullptr);
}

}  // namespace

nlohmann::json moderation_item_json(const store::ModerationItem& item) {
    const store::StoredComment& c = item.comment;
    nlohmann::json hits = nlohmann::json::array();
    for (const auto& hit : item.hits) {
        hits.push_back({{"rule", hit.rule},
                        {"score", hit.score},
                        {"field", hit.field},
                        {"detail", hit.detail}});
    }
    return {{"id", c.id},
            {"thread", c.thread},
            {"parent", optional_id(c.parent)},
            {"parent_excerpt", c.parent ? nlohmann::json(item.parent_excerpt) : nullptr},
            {"name", c.name},
            {"email", c.email},
            {"website", c.website},
            {"ip", c.ip},
            {"user_agent", c.user_agent},
            {"body", c.body},
            {"created", iso_time(c.created)},
            {"status", c.status},
            {"score", c.score},
            {"hits", std::move(hits)},
            {"ruleset_version", c.ruleset_version}};
}

nlohmann::json log_entry_json(const store::LogEntry& entry) {
    nlohmann::json doc = {{"id", entry.id},
                          {"comment", optional_id(entry.comment_id)},
                          {"moderator", entry.moderator},
                          {"action", entry.action},
                          {"note", entry.note},
                          {"created", iso_time(entry.created)}};
    if (entry.comment_id) {
        doc["old_status"] = entry.old_status;
        doc["new_status"] = entry.new_status;
    } else if (entry.action.starts_with("rules.")) {
        doc["old_version"] = entry.old_status;
        doc["new_version"] = entry.new_status;
    }
    return doc;
}

nlohmann::json personal_data_json(const store::PersonalData& data, const std::string& email,
                                  std::int64_t now_ms) {
    nlohmann::json comments = nlohmann::json::array();
    for (const auto& c : data.comments) {
        comments.push_back({{"id", c.id},
                            {"thread", c.thread},
                            {"parent", optional_id(c.parent)},
                            {"name", c.name},
                            {"email", c.email},
                            {"website", c.website},
                            {"body", c.body},
                            {"ip", c.ip},
                            {"user_agent", c.user_agent},
                            {"referrer", c.referrer},
                            {"status", c.status},
                            {"source", c.source},
                            {"created", iso_time(c.created)},
                            {"updated", iso_time(c.updated)}});
    }
    nlohmann::json reports = nlohmann::json::array();
    for (const auto& r : data.reports) {
        reports.push_back({{"id", r.id},
                           {"label", r.label},
                           {"comment", optional_id(r.comment_id)},
                           {"blog", r.blog},
                           {"permalink", r.permalink},
                           {"comment_type", r.comment_type},
                           {"name", r.name},
                           {"email", r.email},
                           {"website", r.website},
                           {"body", r.body},
                           {"ip", r.ip},
                           {"user_agent", r.user_agent},
                           {"referrer", r.referrer},
                           {"created", iso_time(r.created)}});
    }
    return {{"email", email},
            {"exported", iso_time(now_ms)},
            {"comments", std::move(comments)},
            {"akismet_reports", std::move(reports)},
            // What else holds something of theirs, in no form that can be handed over.
            {"kept_elsewhere",
             "the moderation log names the comments' ids and statuses; the spam classifier "
             "keeps counts of hashed words and features, not text"}};
}

nlohmann::json stats_json(const store::ModerationStats& stats, std::int64_t now_ms) {
    nlohmann::json by_status = nlohmann::json::object();
    for (const auto& [status, count] : stats.by_status)
        by_status[status] = count;
    nlohmann::json days = nlohmann::json::array();
    for (const auto& day : stats.days) {
        days.push_back({{"date", iso_time(day.day_start).substr(0, 10)},
                        {"submitted", day.submitted},
                        {"approved", day.approved},
                        {"auto_approved", day.auto_approved},
                        {"held", day.held},
                        {"spam", day.spam}});
    }
    nlohmann::json queue = {{"pending", by_status.value(store::kPending, std::int64_t{0})},
                            {"oldest_pending", nullptr},
                            {"age_seconds", 0}};
    if (stats.oldest_pending_created) {
        queue["oldest_pending"] = iso_time(*stats.oldest_pending_created);
        queue["age_seconds"] =
            std::max<std::int64_t>(0, (now_ms - *stats.oldest_pending_created) / 1000);
    }
    nlohmann::json rules = nlohmann::json::array();
    for (const auto& rule : stats.top_rules) {
        const std::int64_t decided = rule.agreed + rule.disagreed;
        rules.push_back(
            {{"rule", rule.rule},
             {"hits", rule.hits},
             {"agreed", rule.agreed},
             {"disagreed", rule.disagreed},
             {"agreement", decided == 0 ? nlohmann::json(nullptr)
                                        : nlohmann::json(static_cast<double>(rule.agreed) /
                                                         static_cast<double>(decided))}});
    }
    return {{"by_status", std::move(by_status)},
            {"days", std::move(days)},
            {"queue", std::move(queue)},
            {"top_rules", std::move(rules)},
            {"definitions",
             {{"approved", "approved now, by the rules or by a moderator"},
              {"auto_approved", "approved by the rules when submitted"},
              {"held", "held for a moderator by the rules when submitted"},
              {"spam", "filed as spam by the rules when submitted"},
              {"agreement",
               "share of moderator decisions on comments a rule hit that agreed with the rule "
               "(spam or reject for a positive score, approve for a negative one)"}}}};
}

nlohmann::json rule_summaries_json(const core::Ruleset& ruleset) {
    nlohmann::json rules = nlohmann::json::array();
    for (const auto& rule : ruleset.rules()) {
        nlohmann::json doc = {{"id", rule.id},
                              {"kind", rule.kind},
                              {"description", rule.description},
                              {"score", rule.score},
                              {"enabled", rule.enabled}};
        if (rule.action) doc["action"] = std::string(core::to_string(*rule.action));
        if (!rule.fields.empty()) doc["fields"] = rule.fields;
        if (!rule.pattern.empty()) doc["pattern"] = rule.pattern;
        rules.push_back(std::move(doc));
    }
    return rules;
}

std::string format_queue_cursor(store::QueueSort sort, const store::QueueCursor& cursor) {
    std::string text(1, sort_letter(sort));
    text += '_';
    if (sort == store::QueueSort::score) {
        char buffer[64];
        const auto end = std::to_chars(buffer, buffer + sizeof buffer, cursor.score).ptr;
        text.append(buffer, end);  // shortest text that reads back as the same double
    } else {
        text += std::to_string(cursor.created);
    }
    return text + "_" + std::to_string(cursor.id);
}

std::optional<store::QueueCursor> parse_queue_cursor(store::QueueSort sort, std::string_view text) {
    if (text.size() < 5 || text.size() > 80 || text[0] != sort_letter(sort) || text[1] != '_') {
        return std::nullopt;
    }
    text.remove_prefix(2);
    const auto split = text.rfind('_');
    if (split == std::string_view::npos) return std::nullopt;
    store::QueueCursor cursor;
    if (!parse_number(text.substr(split + 1), cursor.id)) return std::nullopt;
    const std::string_view key = text.substr(0, split);
    if (sort == store::QueueSort::score) {
        if (!parse_number(key, cursor.score) || !std::isfinite(cursor.score)) return std::nullopt;
    } else if (!parse_number(key, cursor.created)) {
        return std::nullopt;
    }
    return cursor;
}

}  // namespace vokter::http
