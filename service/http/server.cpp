#include "http/server.hpp"

#include <algorithm>
#include <chrono>
#include <thread>
#include <type_traits>

#include "http/crypto.hpp"
#include "http/log.hpp"
#include "http/problem.hpp"
#include "http/public/json_codecs.hpp"
#include "http/server_impl.hpp"
#include "http/static_assets.hpp"

namespace vokter::http {

namespace {

thread_local std::chrono::steady_clock::time_point request_started;
// The route the request on this thread was routed to (RequestMetrics' index), set by the handler
// add_route wrapped, read by the logger after the answer.
thread_local std::size_t request_route = RequestMetrics::kUnmatched;

using Handler = std::function<void(const httplib::Request&, httplib::Response&)>;
using ReaderHandler =
    std::function<void(const httplib::Request&, httplib::Response&, const httplib::ContentReader&)>;

}  // namespace

void send_json(httplib::Response& res, int status, const nlohmann::json& doc) {
    res.status = status;
    res.set_content(dump(doc), "application/json; charset=utf-8");
}

Server::Impl::Impl(ServerOptions options_in, store::Store& store_in, core::ActiveRuleset& rules_in,
                   std::string form_key, std::function<RulesStatus()> status, RulesControl control)
    : options(std::move(options_in)),
      store(store_in),
      rules(rules_in),
      comments(store_in, rules_in, options.policy),
      form_tokens(form_key),
      isso_hash_key(to_hex(hmac_sha256(form_key, "isso author pictures"))),
      limiter(options.rate_limit_per_minute),
      rules_status(std::move(status)),
      rules_control(std::move(control)),
      auth(store_in, options.auth) {
    // Every request is read whole by the connection layer (http_server.hpp) before the library
    // routes it: strictly framed, within these limits and deadlines, slow and idle clients
    // holding no worker thread.
    ConnectionLimits limits;
    limits.max_connections = options.max_connections;
    limits.max_connections_per_ip = options.max_connections_per_ip;
    limits.unlimited_peers = options.trusted_proxies;
    limits.idle_timeout = std::chrono::milliseconds(options.keep_alive_ms);
    limits.request_timeout = std::chrono::milliseconds(options.request_timeout_ms);
    limits.framing.max_head_bytes = options.max_header_bytes;
    limits.framing.max_headers = options.max_headers;
    limits.framing.max_body_bytes = options.max_request_bytes;
    http.configure(std::move(limits), static_cast<std::size_t>(std::max(1, options.threads)),
                   [this](const RequestHead* head, const Refusal& refusal) {
                       return refusal_answer(head, refusal);
                   });
    // Measured on this hardware (DESIGN.md): Nagle's algorithm and closing keep-alive
    // connections after 5 requests cost 300x in throughput.
    http.set_tcp_nodelay(true);
    http.set_keep_alive_max_count(100000);
    http.set_write_timeout(10);
    http.set_payload_max_length(options.max_request_bytes);

    http.set_pre_routing_handler([this](const httplib::Request&, httplib::Response&) {
        request_started = std::chrono::steady_clock::now();
        request_route = RequestMetrics::kUnmatched;
        metrics.requests.fetch_add(1, std::memory_order_relaxed);
        return httplib::Server::HandlerResponse::Unhandled;
    });
    // Every answer: browsers must not guess a type other than the one it declares.
    http.set_response_hook([](const httplib::Request&, httplib::Response& res) {
        if (!res.has_header("X-Content-Type-Options")) {
            res.set_header("X-Content-Type-Options", "nosniff");
        }
    });
    // Answers httplib's own errors (unknown route 404, 413, 414, 400) as problem+json.
    http.set_error_handler(httplib::Server::HandlerWithResponse(
        [this](const httplib::Request& req, httplib::Response& res) {
            if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
            const int status = res.status;
            std::string detail = status == 404 ? "no such resource: " + req.path
                                 : status == 413
                                     ? "the request body is larger than " +
                                           std::to_string(options.max_request_bytes) + " bytes"
                                     : status_title(status);
            send_problem(req, res, {status, status_title(status), detail, {}, {}});
            return httplib::Server::HandlerResponse::Handled;
        }));
    http.set_exception_handler(
        [this](const httplib::Request& req, httplib::Response& res, std::exception_ptr) {
            send_problem(req, res, {500, status_title(500), "internal error", {}, {}});
        });
    http.set_logger([this](const httplib::Request& req, const httplib::Response& res) {
        if (res.status >= 500) {
            metrics.responses_5xx.fetch_add(1, std::memory_order_relaxed);
        } else if (res.status >= 400) {
            metrics.responses_4xx.fetch_add(1, std::memory_order_relaxed);
        }
        const auto elapsed =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - request_started)
                .count();
        requests.observe(request_route, res.status, elapsed);
        if (!options.log_requests) return;
        char duration[32];
        std::snprintf(duration, sizeof duration, "%.2fms", elapsed * 1000);
        log_line(req.method + " " + req.path + " " + std::to_string(res.status) + " " + duration);
    });
    setup_routes();
}

// The barrier: every handler runs inside it. ApiError becomes its problem response; any other
// exception is logged and answered with a JSON 500 (503 for a storage fault: problem.hpp).
// CORS headers go on every answer.
template <class Call>
static void barrier(Server::Impl* impl, const httplib::Request& req, httplib::Response& res,
                    Call&& call) {
    try {
        call();
        impl->apply_cors(req, res);
    } catch (const ApiError& e) {
        impl->send_problem(req, res, e.problem());
    } catch (const std::exception& e) {
        log_line(std::string("error: ") + req.method + " " + req.path + ": " + e.what());
        impl->send_problem(req, res, unexpected_problem(e));  // 503 for a storage fault
    }
}

template <class Fn>
static auto guarded(Server::Impl* impl, Fn fn) {
    return [impl, fn](const httplib::Request& req, httplib::Response& res, auto&&... reader) {
        barrier(impl, req, res, [&] { (impl->*fn)(req, res, reader...); });
    };
}

// A moderator route: the barrier, then the bearer token, then the handler with the moderator.
template <class Fn>
static auto moderated(Server::Impl* impl, Fn fn) {
    return [impl, fn](const httplib::Request& req, httplib::Response& res, auto&&... reader) {
        barrier(impl, req, res, [&] {
            res.set_header("Cache-Control", "no-store");
            const std::string moderator = impl->authenticate(req);
            (impl->*fn)(req, res, moderator, reader...);
        });
    };
}

template <class Handler>
void Server::Impl::add_route(std::string_view method, const std::string& pattern, Handler handler) {
    const std::size_t index = requests.add(std::string(method), route_label(pattern));
    if constexpr (std::is_invocable_v<Handler&, const httplib::Request&, httplib::Response&,
                                      const httplib::ContentReader&>) {
        httplib::Server::HandlerWithContentReader counted =
            [index, handler = std::move(handler)](const httplib::Request& req,
                                                  httplib::Response& res,
                                                  const httplib::ContentReader& reader) {
                request_route = index;
                handler(req, res, reader);
            };
        if (method == "POST") {
            http.Post(pattern, std::move(counted));
        } else if (method == "PUT") {
            http.Put(pattern, std::move(counted));
        } else {
            http.Delete(pattern, std::move(counted));
        }
    } else {
        httplib::Server::Handler counted = [index, handler = std::move(handler)](
                                               const httplib::Request& req,
                                               httplib::Response& res) {
            request_route = index;
            handler(req, res);
        };
        if (method == "GET") {
            http.Get(pattern, std::move(counted));
        } else if (method == "POST") {
            http.Post(pattern, std::move(counted));
        } else if (method == "PUT") {
            http.Put(pattern, std::move(counted));
        } else if (method == "DELETE") {
            http.Delete(pattern, std::move(counted));
        } else {
            http.Options(pattern, std::move(counted));
        }
    }
}

// The routing table: every route Vokter answers, in one place.
void Server::Impl::setup_routes() {
    using Impl = Server::Impl;
    const auto with_reader = [this](auto fn) {
        auto wrapped = guarded(this, fn);
        return [wrapped](const httplib::Request& req, httplib::Response& res,
                         const httplib::ContentReader& reader) { wrapped(req, res, reader); };
    };
    const auto plain = [this](auto fn) {
        auto wrapped = guarded(this, fn);
        return
            [wrapped](const httplib::Request& req, httplib::Response& res) { wrapped(req, res); };
    };
    add_route("POST", "/api/comments", with_reader(&Impl::handle_post_comment));
    add_route("GET", "/api/comments", plain(&Impl::handle_list_comments));
    add_route("PUT", R"(/api/comments/(\d+))", with_reader(&Impl::handle_edit_comment));
    add_route("DELETE", R"(/api/comments/(\d+))", plain(&Impl::handle_delete_comment));
    add_route("GET", "/api/counts", plain(&Impl::handle_counts));
    add_route("GET", "/api/form-token", plain(&Impl::handle_form_token));
    add_route("GET", "/healthz", plain(&Impl::handle_health));

    // The widget and the moderator page, embedded from service/web/ (static_assets.hpp).
    for (const StaticAsset& asset : static_assets()) {
        add_route("GET", asset.route,
                  [this, &asset](const httplib::Request& req, httplib::Response& res) {
                      barrier(this, req, res, [&] { handle_static(req, res, asset); });
                  });
    }
    add_route("GET", "/metrics", plain(&Impl::handle_metrics));
    add_route("GET", "/openapi.json", plain(&Impl::handle_openapi));

    // Moderators: every route needs `Authorization: Bearer TOKEN`.
    const auto mod = [this](auto fn) {
        auto wrapped = moderated(this, fn);
        return
            [wrapped](const httplib::Request& req, httplib::Response& res) { wrapped(req, res); };
    };
    const auto mod_reader = [this](auto fn) {
        auto wrapped = moderated(this, fn);
        return [wrapped](const httplib::Request& req, httplib::Response& res,
                         const httplib::ContentReader& reader) { wrapped(req, res, reader); };
    };
    add_route("GET", "/api/moderation/me", mod(&Impl::handle_moderation_me));
    add_route("GET", "/api/moderation/queue", mod(&Impl::handle_queue));
    add_route("GET", R"(/api/moderation/comments/(\d+))", mod(&Impl::handle_moderation_comment));
    add_route("POST", "/api/moderation/decisions", mod_reader(&Impl::handle_decisions));
    add_route("GET", "/api/moderation/log", mod(&Impl::handle_moderation_log));
    add_route("GET", "/api/moderation/stats", mod(&Impl::handle_moderation_stats));
    add_route("POST", "/api/moderation/personal-data", mod_reader(&Impl::handle_personal_data));
    add_route("POST", "/api/moderation/personal-data/erase",
              mod_reader(&Impl::handle_erase_personal_data));
    add_route("GET", "/api/rules", mod(&Impl::handle_get_rules));
    add_route("PUT", "/api/rules", mod_reader(&Impl::handle_put_rules));
    add_route("POST", "/api/rules/check", mod_reader(&Impl::handle_check_rules));
    add_route("POST", "/api/rules/reload", mod(&Impl::handle_reload_rules));
    // The Akismet-compatible API: always 200 text/plain (413 for an oversized body), never
    // problem+json, so each route runs inside akismet_barrier instead of the barrier.
    const auto akismet_route = [this](auto fn) {
        return [this, fn](const httplib::Request& req, httplib::Response& res,
                          const httplib::ContentReader& reader) {
            akismet_barrier(req, res, [&] { (this->*fn)(req, res, reader); });
        };
    };
    add_route("POST", "/1.1/verify-key", akismet_route(&Impl::handle_akismet_verify_key));
    add_route("POST", "/1.1/comment-check", akismet_route(&Impl::handle_akismet_comment_check));
    add_route("POST", "/1.1/submit-spam", akismet_route(&Impl::handle_akismet_submit_spam));
    add_route("POST", "/1.1/submit-ham", akismet_route(&Impl::handle_akismet_submit_ham));
    // The Isso-compatible API (isso/isso_handlers.cpp), for pages that embed Isso's client. The
    // prefix is checked by the configuration to be letters, digits, '-', '_' and '/' only, so it
    // is a regex of itself.
    if (const std::string& isso = options.isso_prefix; !isso.empty()) {
        add_route("GET", isso + "/config", plain(&Impl::handle_isso_config));
        add_route("GET", isso + "/", plain(&Impl::handle_isso_fetch));
        add_route("POST", isso + "/new", with_reader(&Impl::handle_isso_new));
        add_route("GET", isso + R"(/id/(\d+))", plain(&Impl::handle_isso_view));
        add_route("PUT", isso + R"(/id/(\d+))", with_reader(&Impl::handle_isso_edit));
        add_route("DELETE", isso + R"(/id/(\d+))", plain(&Impl::handle_isso_delete));
        add_route("POST", isso + "/preview", with_reader(&Impl::handle_isso_preview));
        add_route("POST", isso + "/count", with_reader(&Impl::handle_isso_count));
        for (const StaticAsset& asset : static_assets()) {
            if (asset.path != "/isso.css") continue;
            add_route("GET", isso + "/css/isso.css",
                      [this, &asset](const httplib::Request& req, httplib::Response& res) {
                          barrier(this, req, res, [&] { handle_static(req, res, asset); });
                      });
        }
        add_route("OPTIONS", isso + "/.*",
                  [this](const httplib::Request& req, httplib::Response& res) {
                      apply_cors(req, res);
                      res.set_header("Access-Control-Allow-Methods", "GET, POST, PUT, DELETE");
                      res.set_header("Access-Control-Allow-Headers", "Content-Type");
                      res.set_header("Access-Control-Max-Age", "600");
                      res.status = 204;
                  });
    }
    add_route("OPTIONS", R"(/api/.*)", [this](const httplib::Request& req, httplib::Response& res) {
        apply_cors(req, res);
        res.set_header("Access-Control-Allow-Methods", "GET, POST, PUT, DELETE, OPTIONS");
        res.set_header("Access-Control-Allow-Headers", "Content-Type, X-Edit-Token");
        res.set_header("Access-Control-Max-Age", "600");
        res.status = 204;
    });
}

std::string Server::Impl::client_ip(const httplib::Request& req) const {
    const auto trusted = [this](const std::string& ip) {
        return std::find(options.trusted_proxies.begin(), options.trusted_proxies.end(), ip) !=
               options.trusted_proxies.end();
    };
    if (!trusted(req.remote_addr) || !req.has_header("X-Forwarded-For")) return req.remote_addr;
    // Walk from the right: the first address not added by a trusted proxy is the client.
    std::string chain = req.get_header_value("X-Forwarded-For");
    std::string candidate = req.remote_addr;
    while (!chain.empty()) {
        const auto comma = chain.rfind(',');
        std::string ip = chain.substr(comma == std::string::npos ? 0 : comma + 1);
        ip.erase(0, ip.find_first_not_of(' '));
        ip.erase(ip.find_last_not_of(' ') + 1);
        chain.resize(comma == std::string::npos ? 0 : comma);
        if (ip.empty()) continue;
        candidate = ip;
        if (!trusted(ip)) break;
    }
    return candidate.substr(0, 64);
}

std::string Server::Impl::read_body(const httplib::Request& req,
                                    const httplib::ContentReader& reader, std::size_t limit) const {
    const auto too_large = [&] {
        throw ApiError(
            Problem{413,
                    status_title(413),
                    "the request body is larger than " + std::to_string(limit) + " bytes",
                    {},
                    {{"Connection", "close"}}});
    };
    if (req.has_header("Content-Length") &&
        req.get_header_value<std::uint64_t>("Content-Length") > limit) {
        too_large();
    }
    std::string body;
    bool over = false;
    const bool complete = reader([&](const char* data, std::size_t size) {
        if (body.size() + size > limit) {
            over = true;
            return false;
        }
        body.append(data, size);
        return true;
    });
    if (over) too_large();
    if (!complete) fail(400, "the request body could not be read");
    return body;
}

// The routes a page on another origin may call: the public comment API. Moderator and rules
// routes never answer cross-origin, whatever `cors_origins` says: the moderator page is served
// by Vokter itself, from its own origin.
static bool cross_origin_route(std::string_view path) {
    return path == "/api/comments" || path.starts_with("/api/comments/") || path == "/api/counts" ||
           path == "/api/form-token";
}

void Server::Impl::apply_cors(const httplib::Request& req, httplib::Response& res) const {
    if (is_isso_route(req.path)) return apply_isso_cors(req, res);
    if (!req.has_header("Origin") || !cross_origin_route(req.path)) return;
    const std::string origin = req.get_header_value("Origin");
    // "*" stands for any web site: an http(s) origin. `Origin: null` (sandboxed frames, file:
    // pages, some redirects) is never a site and never allowed.
    const bool site = origin.starts_with("https://") || origin.starts_with("http://");
    const bool allowed = std::find_if(options.cors_origins.begin(), options.cors_origins.end(),
                                      [&](const std::string& o) {
                                          return (o == "*" && site) || o == origin;
                                      }) != options.cors_origins.end();
    res.set_header("Vary", "Origin");
    if (!allowed || origin == "null") return;
    res.set_header("Access-Control-Allow-Origin", origin);
    res.set_header("Access-Control-Expose-Headers", "Location, Retry-After");
}

std::string Server::Impl::authenticate(const httplib::Request& req) {
    return auth.authenticate(req.get_header_value("Authorization"), client_ip(req), now_ms());
}

void Server::Impl::send_problem(const httplib::Request& req, httplib::Response& res,
                                const Problem& problem) const {
    res = httplib::Response();
    res.status = problem.status;
    for (const auto& [name, value] : problem.headers)
        res.set_header(name, value);
    res.set_content(problem.to_json(), "application/problem+json; charset=utf-8");
    apply_cors(req, res);
}

httplib::Response Server::Impl::refusal_answer(const RequestHead* head, const Refusal& refusal) {
    metrics.requests.fetch_add(1, std::memory_order_relaxed);
    metrics.refused.fetch_add(1, std::memory_order_relaxed);
    requests.observe(RequestMetrics::kRefused, refusal.status, -1);
    (refusal.status >= 500 ? metrics.responses_5xx : metrics.responses_4xx)
        .fetch_add(1, std::memory_order_relaxed);
    httplib::Request req;
    if (head) {
        req.method = head->method;
        req.path = head->path();
        for (const auto& field : head->fields)
            req.headers.emplace(field.name, field.value);
    }
    if (options.log_requests) {
        log_line((head ? req.method + " " + req.path : std::string("(connection)")) + " " +
                 std::to_string(refusal.status) + " refused: " + refusal.detail);
    }
    httplib::Response res;
    if (req.path.starts_with("/1.1/")) {  // the Akismet API speaks text/plain
        res.status = refusal.status;
        res.set_content(refusal.detail, "text/plain; charset=utf-8");
    } else {
        send_problem(req, res,
                     {refusal.status, status_title(refusal.status), refusal.detail, {}, {}});
    }
    if (refusal.status == 429 || refusal.status == 503) res.set_header("Retry-After", "5");
    res.set_header("X-Content-Type-Options", "nosniff");
    return res;
}

Server::Server(ServerOptions options, store::Store& store, core::ActiveRuleset& rules,
               std::string form_key, std::function<RulesStatus()> rules_status,
               RulesControl rules_control)
    : impl_(std::make_unique<Impl>(std::move(options), store, rules, std::move(form_key),
                                   std::move(rules_status), std::move(rules_control))) {}

Server::~Server() = default;

int Server::bind() {
    const int port = impl_->options.port == 0
                         ? impl_->http.bind_to_any_port(impl_->options.host)
                         : (impl_->http.bind_to_port(impl_->options.host, impl_->options.port)
                                ? impl_->options.port
                                : -1);
    if (port > 0) impl_->http.widen_backlog(SOMAXCONN);
    return port;
}

// cpp-httplib's stop() does nothing until listen_after_bind() has begun, so a stop() that comes
// between bind() and listen() (a SIGTERM right after "listening on" is logged) would be lost:
// listen() and stop() meet through these two flags instead.
bool Server::listen() {
    impl_->listening = true;
    if (impl_->stop_requested) return true;
    const bool served = impl_->http.listen_after_bind();
    impl_->listening = false;
    return served;
}
void Server::stop() {
    impl_->stop_requested = true;
    while (impl_->listening && !impl_->http.is_running())
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    impl_->http.stop();
}
bool Server::is_running() const {
    return impl_->http.is_running();
}
std::vector<RouteName> Server::routes() const {
    return impl_->requests.routes();
}

}  // namespace vokter::http
