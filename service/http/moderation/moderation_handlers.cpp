// Handlers of the moderator API: who is signed in, the queue, one comment, decisions, the audit
// log and the statistics. Each runs after the bearer token was checked (see `moderated` in
// server.cpp).

#include "http/moderation/moderation_codecs.hpp"
#include "http/problem.hpp"
#include "http/public/json_codecs.hpp"
#include "http/server_impl.hpp"
#include "store/moderation_repository.hpp"
#include "store/moderation_stats.hpp"
#include "store/moderators.hpp"

namespace vokter::http {

namespace {

constexpr std::size_t kMaxDecisionIds = 500;
constexpr std::size_t kMaxNoteChars = 1000;
constexpr std::size_t kMaxQueryChars = 200;

// The whole number in query parameter `name`, within [min, max]; `fallback` when absent.
std::int64_t int_param(const httplib::Request& req, const char* name, std::int64_t fallback,
                       std::int64_t min, std::int64_t max) {
    if (!req.has_param(name)) return fallback;
    const std::string text = req.get_param_value(name);
    const auto invalid = [&] {
        fail_fields({{name, "must be a whole number from " + std::to_string(min) + " to " +
                                std::to_string(max)}});
    };
    if (text.empty() || text.size() > 18 ||
        text.find_first_not_of("0123456789") != std::string::npos) {
        invalid();
    }
    const std::int64_t value = std::stoll(text);
    if (value < min || value > max) invalid();
    return value;
}

std::size_t utf8_chars(std::string_view text) {
    std::size_t n = 0;
    for (const char c : text)
        n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    return n;
}

}  // namespace

void Server::Impl::handle_moderation_me(const httplib::Request&, httplib::Response& res,
                                        const std::string& moderator) {
    std::optional<store::Moderator> account;
    {
        auto db = store.read();
        account = store::find_moderator(*db, moderator);
    }
    // Removed between the token's check and this read: the token no longer works.
    if (!account) fail(401, "the moderator token is not valid");
    const auto time_or_null = [](const std::optional<std::int64_t>& ms) {
        return ms ? nlohmann::json(iso_time(*ms)) : nlohmann::json(nullptr);
    };
    send_json(res, 200,
              {{"name", account->name},
               {"created", iso_time(account->created)},
               {"expires", time_or_null(account->expires)},
               {"last_used", time_or_null(account->last_used)}});
}

void Server::Impl::handle_queue(const httplib::Request& req, httplib::Response& res,
                                const std::string&) {
    store::QueueQuery query;
    if (req.has_param("status")) {
        query.status = req.get_param_value("status");
        if (query.status != store::kPending && query.status != store::kSpam &&
            query.status != store::kApproved && query.status != store::kRejected) {
            fail_fields({{"status", "must be pending, spam, approved or rejected"}});
        }
    }
    if (req.has_param("thread")) {
        query.thread =
            normalise_thread_uri(req.get_param_value("thread"), options.limits.thread_bytes);
        if (!query.thread) {
            fail_fields({{"thread", "must be a path starting with / or an http(s) URL"}});
        }
    }
    if (req.has_param("q") && !req.get_param_value("q").empty()) {
        query.text = req.get_param_value("q");
        if (utf8_chars(*query.text) > kMaxQueryChars) {
            fail_fields({{"q", "at most " + std::to_string(kMaxQueryChars) + " characters"}});
        }
    }
    const std::string sort = req.has_param("sort") ? req.get_param_value("sort") : "score";
    if (sort == "score") {
        query.sort = store::QueueSort::score;
    } else if (sort == "newest") {
        query.sort = store::QueueSort::newest;
    } else if (sort == "oldest") {
        query.sort = store::QueueSort::oldest;
    } else {
        fail_fields({{"sort", "must be score, newest or oldest"}});
    }
    query.limit = static_cast<int>(int_param(req, "limit", 50, 1, 200));
    if (req.has_param("cursor")) {
        query.after = parse_queue_cursor(query.sort, req.get_param_value("cursor"));
        if (!query.after) {
            fail_fields({{"cursor", "is not a cursor this API gave out for sort=" + sort}});
        }
    }
    store::QueuePage page;
    {
        auto db = store.read();
        page = store::queue_page(*db, query);
    }
    nlohmann::json items = nlohmann::json::array();
    for (const auto& item : page.items)
        items.push_back(moderation_item_json(item));
    send_json(
        res, 200,
        {{"items", std::move(items)},
         {"next_cursor", page.next ? nlohmann::json(format_queue_cursor(query.sort, *page.next))
                                   : nlohmann::json(nullptr)}});
}

void Server::Impl::handle_moderation_comment(const httplib::Request& req, httplib::Response& res,
                                             const std::string&) {
    const std::string& digits = req.matches[1];
    if (digits.size() > 18) fail(404, "no such comment");
    const std::int64_t id = std::stoll(digits);
    std::optional<store::ModerationItem> item;
    std::vector<store::LogEntry> history;
    {
        auto db = store.read();
        item = store::moderation_item(*db, id);
        if (item) history = store::comment_history(*db, id);
    }
    if (!item) fail(404, "no such comment");
    nlohmann::json doc = moderation_item_json(*item);
    auto& entries = doc["history"] = nlohmann::json::array();
    for (const auto& entry : history)
        entries.push_back(log_entry_json(entry));
    send_json(res, 200, doc);
}

void Server::Impl::handle_decisions(const httplib::Request& req, httplib::Response& res,
                                    const std::string& moderator,
                                    const httplib::ContentReader& reader) {
    std::string type = req.get_header_value("Content-Type");
    type = type.substr(0, type.find(';'));
    if (type != "application/json") fail(415, "send application/json");
    const auto doc =
        nlohmann::json::parse(read_body(req, reader, options.max_request_bytes), nullptr, false);
    if (doc.is_discarded() || !doc.is_object()) fail(400, "the body is not a JSON object");

    std::vector<FieldError> errors;
    std::vector<std::int64_t> ids;
    const auto ids_doc = doc.find("ids");
    if (ids_doc == doc.end() || !ids_doc->is_array() || ids_doc->empty() ||
        ids_doc->size() > kMaxDecisionIds) {
        errors.push_back(
            {"ids", "must be a list of 1 to " + std::to_string(kMaxDecisionIds) + " comment ids"});
    } else {
        for (const auto& id : *ids_doc) {
            if (!id.is_number_integer() || id.get<std::int64_t>() <= 0) {
                errors.push_back({"ids", "every id must be a positive whole number"});
                break;
            }
            ids.push_back(id.get<std::int64_t>());
        }
    }
    std::optional<store::Decision> decision;
    if (const auto action = doc.find("action"); action != doc.end() && action->is_string()) {
        decision = store::decision_from(action->get<std::string>());
    }
    if (!decision) errors.push_back({"action", "must be approve, reject, spam or delete"});
    std::string note;
    if (const auto found = doc.find("note"); found != doc.end() && !found->is_null()) {
        if (!found->is_string()) {
            errors.push_back({"note", "must be a string"});
        } else {
            note = found->get<std::string>();
            if (utf8_chars(note) > kMaxNoteChars) {
                errors.push_back(
                    {"note", "at most " + std::to_string(kMaxNoteChars) + " characters"});
            }
        }
    }
    if (!errors.empty()) fail_fields(std::move(errors));

    // Every id in one writer job: one transaction, all or (if the database fails) nothing.
    const std::int64_t now = now_ms();
    const auto outcomes = store.writer().run([&](store::Connection& db) {
        return store::apply_decisions(db, ids, *decision, moderator, note, now);
    });
    store.training_enqueued();
    nlohmann::json results = nlohmann::json::array();
    for (const auto& outcome : outcomes) {
        nlohmann::json result = {{"id", outcome.id}, {"ok", outcome.ok}};
        if (outcome.ok) {
            result["old_status"] = outcome.old_status;
            result["new_status"] = outcome.new_status;
            result["changed"] = outcome.old_status != outcome.new_status;
        } else {
            if (!outcome.old_status.empty()) result["old_status"] = outcome.old_status;
            result["error"] = outcome.error;
        }
        results.push_back(std::move(result));
    }
    send_json(res, 200, {{"action", store::action_name(*decision)}, {"results", results}});
}

void Server::Impl::handle_moderation_log(const httplib::Request& req, httplib::Response& res,
                                         const std::string&) {
    store::LogQuery query;
    if (req.has_param("moderator") && !req.get_param_value("moderator").empty()) {
        query.moderator = req.get_param_value("moderator");
    }
    if (req.has_param("comment")) {
        query.comment_id = int_param(req, "comment", 0, 1, INT64_MAX / 2);
    }
    if (req.has_param("cursor")) query.before_id = int_param(req, "cursor", 0, 1, INT64_MAX / 2);
    query.limit = static_cast<int>(int_param(req, "limit", 50, 1, 500));
    store::LogPage page;
    {
        auto db = store.read();
        page = store::log_page(*db, query);
    }
    nlohmann::json entries = nlohmann::json::array();
    for (const auto& entry : page.entries)
        entries.push_back(log_entry_json(entry));
    send_json(
        res, 200,
        {{"entries", std::move(entries)},
         {"next_cursor", page.next_before_id ? nlohmann::json(std::to_string(*page.next_before_id))
                                             : nlohmann::json(nullptr)}});
}

void Server::Impl::handle_moderation_stats(const httplib::Request&, httplib::Response& res,
                                           const std::string&) {
    const std::int64_t now = now_ms();
    store::ModerationStats stats;
    {
        auto db = store.read();
        stats = store::moderation_stats(*db, now);
    }
    send_json(res, 200, stats_json(stats, now));
}

}  // namespace vokter::http
