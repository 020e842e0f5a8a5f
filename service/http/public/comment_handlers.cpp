// Handlers of the public comment API: parse, call the CommentService, encode.

#include "core/text.hpp"
#include "http/problem.hpp"
#include "http/public/json_codecs.hpp"
#include "http/server_impl.hpp"
#include "store/shared_limits.hpp"

namespace vokter::http {

namespace {

enum class BodyKind { json, form };

BodyKind body_kind(const httplib::Request& req) {
    std::string type = req.get_header_value("Content-Type");
    type = type.substr(0, type.find(';'));
    while (!type.empty() && type.back() == ' ')
        type.pop_back();
    type = core::ascii_lower(type);
    if (type == "application/json") return BodyKind::json;
    if (type == "application/x-www-form-urlencoded") return BodyKind::form;
    fail(415, "send application/json or application/x-www-form-urlencoded");
}

// A form post from a page without JavaScript gets a readable page instead of problem+json.
void send_form_error(httplib::Response& res, const Problem& problem, const std::string& back) {
    std::string html =
        "<!doctype html><html lang=\"nb\"><meta charset=\"utf-8\"><title>Kommentaren ble ikke "
        "sendt</title><h1>Kommentaren ble ikke sendt</h1><p>" +
        core::html_escape(problem.detail) + "</p>";
    if (!problem.errors.empty()) {
        html += "<ul>";
        for (const auto& e : problem.errors)
            html +=
                "<li>" + core::html_escape(e.field) + ": " + core::html_escape(e.message) + "</li>";
        html += "</ul>";
    }
    if (!back.empty()) html += "<p><a href=\"" + core::html_escape(back) + "\">Tilbake</a></p>";
    res = httplib::Response();
    res.status = problem.status;
    for (const auto& [name, value] : problem.headers)
        res.set_header(name, value);
    res.set_content(html + "</html>", "text/html; charset=utf-8");
}

// True for "https://host[:port]" or "https://host/": a URL that names a site but no page.
bool origin_only(std::string_view url) {
    const auto scheme = url.find("://");
    if (scheme == std::string_view::npos) return false;
    const auto slash = url.find('/', scheme + 3);
    return slash == std::string_view::npos || slash + 1 == url.size();
}

// "scheme://host[:port]" of an absolute http(s) URL, in lower case, or "" when `url` is not
// one or is one that browsers could read differently (user info, backslashes).
std::string url_origin(std::string_view url) {
    const auto scheme_end = url.find("://");
    if (scheme_end == std::string_view::npos) return "";
    const std::string scheme = core::ascii_lower(url.substr(0, scheme_end));
    if (scheme != "https" && scheme != "http") return "";
    const std::string_view rest = url.substr(scheme_end + 3);
    const std::string_view host = rest.substr(0, rest.find_first_of("/?#"));
    if (host.empty() || host.find_first_of("@\\ ") != std::string_view::npos) return "";
    return scheme + "://" + core::ascii_lower(host);
}

// Where a 303 may send the browser: a path on Vokter's own site (never "//host", which
// browsers read as another site), or a page on the thread's own site, Vokter's own host or an
// origin listed in `cors_origins`. Anything else would make the form an open redirect.
bool allowed_return(std::string_view page, const std::string& thread, const httplib::Request& req,
                    const std::vector<std::string>& origins) {
    if (page.empty() || page.find_first_of("\\\r\n\t") != std::string_view::npos) return false;
    if (page.starts_with("/")) return !page.starts_with("//");
    const std::string origin = url_origin(page);
    if (origin.empty()) return false;
    if (origin == url_origin(thread)) return true;
    if (req.has_header("Host") &&
        origin.substr(origin.find("://") + 3) == core::ascii_lower(req.get_header_value("Host"))) {
        return true;
    }
    return std::find(origins.begin(), origins.end(), origin) != origins.end();
}

// Where a no-JS form post returns to: the page it came from (Referer), else the thread URI,
// else "/", the first of them `allowed_return` accepts. A page on another site sends only its
// origin as Referer (browsers' default policy is strict-origin-when-cross-origin): then the
// thread names the page, joined to that origin when it is a path.
std::string return_page(const httplib::Request& req, const std::string& thread,
                        const std::vector<std::string>& origins) {
    const auto without_fragment = [](std::string url) {
        if (const auto hash = url.find('#'); hash != std::string::npos) url.resize(hash);
        return url;
    };
    std::string page = req.get_header_value("Referer");
    if (!page.empty() && origin_only(page) && !thread.empty()) {
        if (page.ends_with('/')) page.pop_back();
        page = thread.starts_with("/") ? page + thread : thread;
    }
    for (const std::string& candidate : {without_fragment(page), without_fragment(thread)}) {
        if (allowed_return(candidate, thread, req, origins)) return candidate;
    }
    return "/";
}

std::int64_t path_id(const httplib::Request& req) {
    const std::string& digits = req.matches[1];
    if (digits.size() > 18) fail(404, "no such comment");
    return std::stoll(digits);
}

}  // namespace

// Posts, edits and deletions from one client address share the `rate_limit_per_minute` bucket:
// each is a write, and an edit is scored again.
// Replicas on one PostgreSQL database share the buckets there, so that a client spreading its
// posts over them meets the same limit as on one; a database that cannot be reached lets the
// request through to the write, which then answers 503 itself.
void Server::Impl::limit_writes(const std::string& ip, std::int64_t now) {
    int wait = 0;
    if (store.shared() && options.rate_limit_per_minute > 0) {
        try {
            auto db = store.read();
            wait = store::take_rate_token(*db, ip, options.rate_limit_per_minute);
        } catch (const store::StoreError&) {
            wait = 0;
        }
    } else {
        wait = limiter.acquire(ip, now);
    }
    if (wait > 0) {
        throw ApiError(Problem{429,
                               status_title(429),
                               "too many comments and edits from your address; try again in " +
                                   std::to_string(wait) + " seconds",
                               {},
                               {{"Retry-After", std::to_string(wait)}}});
    }
}

void Server::Impl::handle_post_comment(const httplib::Request& req, httplib::Response& res,
                                       const httplib::ContentReader& reader) {
    const BodyKind kind = body_kind(req);
    const std::string body = read_body(req, reader, options.max_request_bytes);
    try {
        const FieldMap fields =
            kind == BodyKind::json ? parse_json_fields(body) : parse_form_fields(body);
        core::Submission submission = validate_submission(fields, options.limits);
        submission.ip = client_ip(req);
        submission.user_agent = req.get_header_value("User-Agent").substr(0, 512);
        submission.referrer = req.get_header_value("Referer").substr(0, 1024);
        const std::int64_t now = now_ms();
        limit_writes(submission.ip, now);
        std::optional<std::int64_t> rendered_at;
        if (const auto token = form_token_of(fields)) {
            rendered_at = form_tokens.verify(*token, submission.thread);
        }
        const std::string thread = submission.thread;
        const Submitted submitted = comments.submit(std::move(submission), rendered_at, now);
        (submitted.status == store::kApproved ? metrics.comments_approved
         : submitted.status == store::kSpam   ? metrics.comments_spam
                                              : metrics.comments_pending)
            .fetch_add(1, std::memory_order_relaxed);
        verdicts.record("comments", submitted.verdict, rules.current());
        if (kind == BodyKind::form) {
            res.status = 303;
            res.set_header("Location", return_page(req, thread, options.cors_origins) +
                                           "#comment-" + std::to_string(submitted.id));
            return;
        }
        send_json(res, submitted.status == store::kApproved ? 201 : 202,
                  submitted_json(submitted, options.policy));
        res.set_header("Location", "/api/comments/" + std::to_string(submitted.id));
    } catch (const ApiError& e) {
        if (kind != BodyKind::form) throw;
        send_form_error(res, e.problem(), return_page(req, "", options.cors_origins));
    } catch (const std::exception& e) {  // a storage fault (503) or a bug (500): as the barrier
        if (kind != BodyKind::form) throw;
        log_line(std::string("error: ") + req.method + " " + req.path + ": " + e.what());
        send_form_error(res, unexpected_problem(e), return_page(req, "", options.cors_origins));
    }
}

// Answers from the public cache when an answer for the same request target was stored since
// the last commit; returns false otherwise.
bool Server::Impl::send_cached(const httplib::Request& req, httplib::Response& res,
                               std::uint64_t generation) {
    auto cached = public_cache.get(req.target, generation);
    if (!cached) return false;
    res.status = 200;
    // Sent from the cache's own copy: a thread page is kilobytes, copied for nothing otherwise.
    const std::size_t size = cached->size();
    res.set_content_provider(size, "application/json; charset=utf-8",
                             [body = std::move(cached)](std::size_t offset, std::size_t length,
                                                        httplib::DataSink& sink) {
                                 return sink.write(body->data() + offset, length);
                             });
    return true;
}

void Server::Impl::send_and_cache(const httplib::Request& req, httplib::Response& res,
                                  std::uint64_t generation, const nlohmann::json& doc) {
    std::string body = dump(doc);
    res.status = 200;
    res.set_content(body, "application/json; charset=utf-8");
    public_cache.put(req.target, generation, std::move(body));
}

void Server::Impl::handle_list_comments(const httplib::Request& req, httplib::Response& res) {
    const std::uint64_t generation = store.generation();  // before reading
    if (send_cached(req, res, generation)) return;
    const auto thread =
        normalise_thread_uri(req.get_param_value("thread"), options.limits.thread_bytes);
    if (!thread) fail_fields({{"thread", "must be a path starting with / or an http(s) URL"}});
    const std::string sort = req.has_param("sort") ? req.get_param_value("sort") : "oldest";
    if (sort != "oldest" && sort != "newest") {
        fail_fields({{"sort", "must be oldest or newest"}});
    }
    int limit = 50;
    if (req.has_param("limit")) {
        const std::string text = req.get_param_value("limit");
        if (text.empty() || text.size() > 3 ||
            text.find_first_not_of("0123456789") != std::string::npos || std::stoi(text) < 1 ||
            std::stoi(text) > 200) {
            fail_fields({{"limit", "must be a whole number from 1 to 200"}});
        }
        limit = std::stoi(text);
    }
    std::optional<store::ThreadCursor> after;
    if (req.has_param("after")) {
        after = parse_cursor(req.get_param_value("after"));
        if (!after) fail_fields({{"after", "is not a cursor this API gave out"}});
    }
    auto db = store.read();
    const auto page = store::thread_page(
        *db, *thread, sort == "newest" ? store::SortOrder::newest : store::SortOrder::oldest, limit,
        after);
    send_and_cache(req, res, generation, thread_page_json(page));
}

void Server::Impl::handle_counts(const httplib::Request& req, httplib::Response& res) {
    const std::uint64_t generation = store.generation();  // before reading
    if (send_cached(req, res, generation)) return;
    const std::size_t n = req.get_param_value_count("thread");
    if (n == 0) fail_fields({{"thread", "give at least one thread"}});
    if (n > 200) fail_fields({{"thread", "at most 200 threads at once"}});
    std::vector<std::string> uris;
    std::vector<std::string> asked;
    for (std::size_t i = 0; i < n; ++i) {
        const std::string raw = req.get_param_value("thread", i);
        const auto uri = normalise_thread_uri(raw, options.limits.thread_bytes);
        if (!uri) fail_fields({{"thread", "is not a path or http(s) URL: " + raw.substr(0, 100)}});
        uris.push_back(*uri);
        asked.push_back(raw);
    }
    auto db = store.read();
    const auto counts = store::approved_counts(*db, uris);
    nlohmann::json doc = nlohmann::json::object();
    for (std::size_t i = 0; i < counts.size(); ++i)
        doc[asked[i]] = counts[i].second;
    send_and_cache(req, res, generation, doc);
}

void Server::Impl::handle_edit_comment(const httplib::Request& req, httplib::Response& res,
                                       const httplib::ContentReader& reader) {
    const std::int64_t id = path_id(req);
    if (body_kind(req) != BodyKind::json) fail(415, "send application/json");
    const FieldMap fields = parse_json_fields(read_body(req, reader, options.max_request_bytes));
    for (const auto& [name, value] : fields) {
        if (name != "body" && name != "name" && name != "website") {
            fail_fields({{name, "cannot be changed by an edit (body, name and website can)"}});
        }
    }
    FieldMap checked = fields;
    checked["thread"] = "/";  // the stored thread is kept; validation needs a value
    const core::Submission edited = validate_submission(checked, options.limits);
    const std::int64_t now = now_ms();
    limit_writes(client_ip(req), now);  // an edit is scored and written again, like a post
    const std::string status =
        comments.edit(id, req.get_header_value("X-Edit-Token"), edited, fields.count("name") > 0,
                      fields.count("website") > 0, now);
    send_json(res, 200, {{"id", id}, {"status", public_status(status, options.policy)}});
}

void Server::Impl::handle_delete_comment(const httplib::Request& req, httplib::Response& res) {
    const std::int64_t now = now_ms();
    limit_writes(client_ip(req), now);
    comments.remove(path_id(req), req.get_header_value("X-Edit-Token"), now);
    res.status = 204;
}

void Server::Impl::handle_form_token(const httplib::Request& req, httplib::Response& res) {
    const auto thread =
        normalise_thread_uri(req.get_param_value("thread"), options.limits.thread_bytes);
    if (!thread) fail_fields({{"thread", "must be a path starting with / or an http(s) URL"}});
    res.set_header("Cache-Control", "no-store");
    send_json(res, 200, {{"form_token", form_tokens.issue(*thread, now_ms() / 1000)}});
}

}  // namespace vokter::http
