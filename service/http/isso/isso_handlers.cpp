// Handlers of the Isso-compatible API: the HTTP calls Isso's own client (embed.js 0.13-0.14)
// makes, answered from Vokter's store, so a blog that embeds Isso only points `data-isso` at
// Vokter. A comment posted here is scored, held and moderated like any other; the client is told
// mode 2 while it waits. Its author may edit or delete it within the edit window through the
// cookie set when it was posted, as with Isso.
//
// The edit cookie: the answer to POST /new sets `isso-edit-<id>=<edit token>` for Vokter's own
// origin (HttpOnly, Path=<prefix>, Max-Age=the edit window; SameSite=None; Secure when the
// request came over https through a trusted proxy, else SameSite=Lax), which the browser sends
// back with the client's credentialed calls; and X-Set-Cookie `isso-<id>=1`, which the client
// sets on the page so it shows Edit and Delete. The token stays off the page: the page's cookie
// is only a marker.
//
// Left out, and switched off in the client through GET /config: votes (like/dislike), reply
// notifications by e-mail, Gravatar and the Atom feed.

#include <algorithm>
#include <initializer_list>
#include <utility>

#include "core/text.hpp"
#include "http/isso/isso_codecs.hpp"
#include "http/isso/markdown.hpp"
#include "http/problem.hpp"
#include "http/public/json_codecs.hpp"
#include "http/server_impl.hpp"
#include "store/comment_repository.hpp"

namespace vokter::http {

namespace {

constexpr int kIssoMaxTopLevel = 1000;  // top-level comments one GET / looks at
constexpr std::size_t kIssoMaxCounts = 1000;

// Isso's guard against cross-site form posts: a request that names another type than JSON is
// refused. (Types a form can send need no preflight; application/json does, and CORS answers it.)
void require_json(const httplib::Request& req) {
    if (!req.has_header("Content-Type")) return;
    std::string type = req.get_header_value("Content-Type");
    type = core::ascii_lower(type.substr(0, type.find(';')));
    type.erase(type.find_last_not_of(' ') + 1);
    if (type != "application/json") fail(403, "send application/json, as Isso's client does");
}

nlohmann::json json_body(const std::string& body) {
    nlohmann::json doc = nlohmann::json::parse(body, nullptr, false);
    if (doc.is_discarded()) fail(400, "the body is not JSON");
    return doc;
}

// Isso's string fields of `doc` (null or absent: not given) into `fields` under Vokter's names.
void copy_fields(const nlohmann::json& doc,
                 std::initializer_list<std::pair<const char*, const char*>> names,
                 FieldMap& fields) {
    for (const auto& [isso, vokter] : names) {
        const auto value = doc.find(isso);
        if (value == doc.end() || value->is_null()) continue;
        if (!value->is_string()) fail_fields({{isso, "must be a string or null"}});
        fields[vokter] = value->get<std::string>();
    }
}

std::int64_t path_id(const httplib::Request& req) {
    const std::string& digits = req.matches[1];
    if (digits.size() > 18) fail(404, "no such comment");
    return std::stoll(digits);
}

// A whole-number query parameter at least `min`; empty when absent (or "inf", Isso's none).
std::optional<std::int64_t> number_param(const httplib::Request& req, const char* name,
                                         std::int64_t min) {
    if (!req.has_param(name)) return std::nullopt;
    const std::string text = req.get_param_value(name);
    if (text == "inf") return std::nullopt;
    if (text.empty() || text.size() > 9 || text.find_first_not_of("0123456789") != text.npos ||
        std::stoll(text) < min) {
        fail(400, std::string(name) + " must be a whole number of at least " + std::to_string(min));
    }
    return std::stoll(text);
}

std::string edit_cookie_name(std::int64_t id) {
    return "isso-edit-" + std::to_string(id);
}

// The value of cookie `name` in the request's Cookie headers; empty when it has none.
std::string cookie(const httplib::Request& req, const std::string& name) {
    const std::size_t n = req.get_header_value_count("Cookie");
    for (std::size_t i = 0; i < n; ++i) {
        const std::string header = req.get_header_value("Cookie", i);
        std::string_view rest = header;
        while (!rest.empty()) {
            const std::size_t end = rest.find(';');
            std::string_view pair = rest.substr(0, end);
            while (!pair.empty() && pair.front() == ' ')
                pair.remove_prefix(1);
            if (pair.size() > name.size() && pair.substr(0, name.size()) == name &&
                pair[name.size()] == '=') {
                return std::string(pair.substr(name.size() + 1));
            }
            if (end == std::string_view::npos) break;
            rest.remove_prefix(end + 1);
        }
    }
    return "";
}

}  // namespace

// The edit cookie's SameSite: None (with Secure) when the request came over https through a
// trusted proxy, so that a page on another site can send it; else Lax.
std::string Server::Impl::cookie_site(const httplib::Request& req) const {
    const bool https = std::find(options.trusted_proxies.begin(), options.trusted_proxies.end(),
                                 req.remote_addr) != options.trusted_proxies.end() &&
                       core::ascii_lower(req.get_header_value("X-Forwarded-Proto")) == "https";
    return https ? "; SameSite=None; Secure" : "; SameSite=Lax";
}

bool Server::Impl::is_isso_route(std::string_view path) const {
    const std::string& prefix = options.isso_prefix;
    return !prefix.empty() && path.size() > prefix.size() && path.starts_with(prefix) &&
           path[prefix.size()] == '/';
}

void Server::Impl::apply_isso_cors(const httplib::Request& req, httplib::Response& res) const {
    if (!req.has_header("Origin")) return;
    res.set_header("Vary", "Origin");
    const std::string origin = req.get_header_value("Origin");
    if (std::find(options.cors_origins.begin(), options.cors_origins.end(), origin) ==
            options.cors_origins.end() ||
        origin == "*" || origin == "null") {
        return;
    }
    res.set_header("Access-Control-Allow-Origin", origin);
    res.set_header("Access-Control-Allow-Credentials", "true");
    res.set_header("Access-Control-Expose-Headers", "X-Set-Cookie, Date");
}

void Server::Impl::handle_isso_config(const httplib::Request&, httplib::Response& res) {
    send_json(res, 200, isso_config_json());
}

void Server::Impl::handle_isso_fetch(const httplib::Request& req, httplib::Response& res) {
    const std::uint64_t generation = store.generation();  // before reading
    if (send_cached(req, res, generation)) return;
    const auto uri = normalise_thread_uri(req.get_param_value("uri"), options.limits.thread_bytes);
    if (!uri) fail(400, "uri must be a path starting with / or an http(s) URL");
    const std::string sort = req.has_param("sort") ? req.get_param_value("sort") : "oldest";
    if (sort != "oldest" && sort != "newest" && sort != "upvotes")
        fail(400, "sort must be newest, oldest or upvotes");
    IssoFetch fetch;
    fetch.parent = number_param(req, "parent", 1);
    fetch.offset = number_param(req, "offset", 0).value_or(0);
    fetch.limit = number_param(req, "limit", 0);
    fetch.nested_limit = number_param(req, "nested_limit", 0);
    fetch.plain = req.get_param_value("plain") == "1";
    store::ThreadPage page;
    {
        auto db = store.read();
        // Without votes, "upvotes" is the order of the day they came.
        page = store::thread_page(
            *db, *uri, sort == "newest" ? store::SortOrder::newest : store::SortOrder::oldest,
            kIssoMaxTopLevel, std::nullopt);
    }
    send_and_cache(req, res, generation, isso_thread_json(page, fetch, isso_hash_key));
}

void Server::Impl::handle_isso_new(const httplib::Request& req, httplib::Response& res,
                                   const httplib::ContentReader& reader) {
    require_json(req);
    const auto uri = normalise_thread_uri(req.get_param_value("uri"), options.limits.thread_bytes);
    if (!uri) fail(400, "uri must be a path starting with / or an http(s) URL");
    const nlohmann::json doc = json_body(read_body(req, reader, options.max_request_bytes));
    if (!doc.is_object()) fail(400, "the body must be a JSON object");
    FieldMap fields{{"thread", *uri}};
    copy_fields(doc,
                {{"text", "body"},
                 {"author", "name"},
                 {"email", "email"},
                 {"website", "website"},
                 {"title", "title"}},
                fields);
    if (const auto parent = doc.find("parent"); parent != doc.end() && !parent->is_null()) {
        if (!parent->is_number_integer()) fail_fields({{"parent", "must be a comment id or null"}});
        fields["parent"] = std::to_string(parent->get<std::int64_t>());
    }
    if (!fields.count("body")) fail_fields({{"text", "is required"}});
    core::Submission submission = validate_submission(fields, options.limits);
    submission.ip = client_ip(req);
    submission.user_agent = req.get_header_value("User-Agent").substr(0, 512);
    submission.referrer = req.get_header_value("Referer").substr(0, 1024);
    const std::int64_t now = now_ms();
    limit_writes(submission.ip, now);

    IssoComment shown;
    shown.author = submission.name;
    shown.website = submission.website;
    shown.text = submission.body;
    const Submitted submitted = comments.submit(std::move(submission), std::nullopt, now);
    (submitted.status == store::kApproved ? metrics.comments_approved
     : submitted.status == store::kSpam   ? metrics.comments_spam
                                          : metrics.comments_pending)
        .fetch_add(1, std::memory_order_relaxed);
    verdicts.record("isso", submitted.verdict, rules.current());
    shown.id = submitted.id;
    shown.parent = submitted.parent;
    shown.mode = submitted.status == store::kApproved ? kIssoPublished : kIssoQueued;
    shown.created_ms = shown.updated_ms = now;

    const std::int64_t max_age = std::max<std::int64_t>(0, (submitted.edit_until_ms - now) / 1000);
    send_json(res, shown.mode == kIssoPublished ? 201 : 202,
              isso_comment_json(shown, isso_hash_key));
    res.set_header("Set-Cookie", edit_cookie_name(submitted.id) + "=" + submitted.edit_token +
                                     "; Max-Age=" + std::to_string(max_age) + "; Path=" +
                                     options.isso_prefix + "; HttpOnly" + cookie_site(req));
    res.set_header("X-Set-Cookie", "isso-" + std::to_string(submitted.id) + "=1; Max-Age=" +
                                       std::to_string(max_age) + "; Path=/; SameSite=Lax");
}

void Server::Impl::handle_isso_view(const httplib::Request& req, httplib::Response& res) {
    const std::int64_t id = path_id(req);
    std::optional<store::StoredComment> stored;
    {
        auto db = store.read();
        stored = store::find_comment(*db, id);
    }
    if (!stored || stored->status == store::kDeleted) fail(404, "no such comment");
    if (stored->status != store::kApproved) {
        // Only its author sees a comment that waits, and only within the edit window.
        try {
            comments.authorise(id, cookie(req, edit_cookie_name(id)), now_ms());
        } catch (const ApiError&) {
            fail(404, "no such comment");
        }
    }
    res.set_header("Cache-Control", "no-store");
    send_json(res, 200,
              isso_comment_json(isso_comment(*stored), isso_hash_key,
                                req.get_param_value("plain") == "1"));
}

void Server::Impl::handle_isso_edit(const httplib::Request& req, httplib::Response& res,
                                    const httplib::ContentReader& reader) {
    require_json(req);
    const std::int64_t id = path_id(req);
    const nlohmann::json doc = json_body(read_body(req, reader, options.max_request_bytes));
    if (!doc.is_object()) fail(400, "the body must be a JSON object");
    FieldMap fields{{"thread", "/"}};  // the stored thread is kept; validation needs a value
    copy_fields(doc, {{"text", "body"}, {"author", "name"}, {"website", "website"}}, fields);
    if (!fields.count("body")) fail_fields({{"text", "is required"}});
    const core::Submission edited = validate_submission(fields, options.limits);
    const std::int64_t now = now_ms();
    limit_writes(client_ip(req), now);
    comments.edit(id, cookie(req, edit_cookie_name(id)), edited, fields.count("name") > 0,
                  fields.count("website") > 0, now);
    std::optional<store::StoredComment> stored;
    {
        auto db = store.read();
        stored = store::find_comment(*db, id);
    }
    if (!stored) fail(404, "no such comment");
    send_json(res, 200, isso_comment_json(isso_comment(*stored), isso_hash_key));
}

void Server::Impl::handle_isso_delete(const httplib::Request& req, httplib::Response& res) {
    require_json(req);
    const std::int64_t id = path_id(req);
    const std::int64_t now = now_ms();
    limit_writes(client_ip(req), now);
    comments.remove(id, cookie(req, edit_cookie_name(id)), now);
    // As Isso answers: null when the comment is gone from the page, the deleted comment (mode
    // 4) when approved replies keep its place.
    std::optional<store::StoredComment> stored;
    bool replies = false;
    {
        auto db = store.read();
        stored = store::find_comment(*db, id);
        replies = store::has_approved_replies(*db, id);
    }
    if (replies && stored) {
        send_json(res, 200, isso_comment_json(isso_comment(*stored), isso_hash_key));
    } else {
        send_json(res, 200, nullptr);
    }
    res.set_header("Set-Cookie", edit_cookie_name(id) + "=; Max-Age=0; Path=" +
                                     options.isso_prefix + "; HttpOnly" + cookie_site(req));
    res.set_header("X-Set-Cookie", "isso-" + std::to_string(id) + "=; Max-Age=0; Path=/");
}

void Server::Impl::handle_isso_preview(const httplib::Request& req, httplib::Response& res,
                                       const httplib::ContentReader& reader) {
    require_json(req);
    const nlohmann::json doc = json_body(read_body(req, reader, options.max_request_bytes));
    if (!doc.is_object() || !doc.contains("text") || !doc["text"].is_string())
        fail_fields({{"text", "must be a string"}});
    const core::Submission checked = validate_submission(
        {{"thread", "/"}, {"body", doc["text"].get<std::string>()}}, options.limits);
    send_json(res, 200, {{"text", render_markdown(checked.body)}});
}

void Server::Impl::handle_isso_count(const httplib::Request& req, httplib::Response& res,
                                     const httplib::ContentReader& reader) {
    const nlohmann::json doc = json_body(read_body(req, reader, options.max_request_bytes));
    if (!doc.is_array()) fail(400, "the body must be a JSON array of thread ids");
    if (doc.size() > kIssoMaxCounts)
        fail(400, "at most " + std::to_string(kIssoMaxCounts) + " threads at once");
    std::vector<std::string> uris;
    std::vector<bool> known;
    for (const auto& item : doc) {
        const auto uri = item.is_string() ? normalise_thread_uri(item.get<std::string>(),
                                                                 options.limits.thread_bytes)
                                          : std::nullopt;
        known.push_back(uri.has_value());
        uris.push_back(uri.value_or(""));
    }
    std::vector<std::pair<std::string, std::int64_t>> counts;
    {
        auto db = store.read();
        counts = store::approved_counts(*db, uris);
    }
    nlohmann::json out = nlohmann::json::array();
    for (std::size_t i = 0; i < counts.size(); ++i)
        out.push_back(known[i] ? counts[i].second : 0);
    send_json(res, 200, out);
}

}  // namespace vokter::http
