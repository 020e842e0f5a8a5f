#pragma once
// Internal to the http layer: the state behind Server and the helpers its handlers share.

#include <httplib.h>

#include <atomic>
#include <nlohmann/json.hpp>

#include "http/akismet/akismet_service.hpp"
#include "http/http_server.hpp"
#include "http/log.hpp"
#include "http/operations/metrics.hpp"
#include "http/problem.hpp"
#include "http/public/form_token.hpp"
#include "http/rate_limiter.hpp"
#include "http/response_cache.hpp"
#include "http/server.hpp"
#include "http/static_assets.hpp"

namespace vokter::http {

struct Metrics {
    std::atomic<std::uint64_t> requests{0};
    std::atomic<std::uint64_t> responses_4xx{0};
    std::atomic<std::uint64_t> responses_5xx{0};
    std::atomic<std::uint64_t> refused{0};  // requests and connections refused before routing
    std::atomic<std::uint64_t> comments_approved{0};
    std::atomic<std::uint64_t> comments_pending{0};
    std::atomic<std::uint64_t> comments_spam{0};
};

struct Server::Impl {
    Impl(ServerOptions options, store::Store& store, core::ActiveRuleset& rules,
         std::string form_key, std::function<RulesStatus()> rules_status,
         RulesControl rules_control);

    void setup_routes();
    // Registers `handler` (taking a ContentReader or not) for `method` ("GET", "POST", "PUT",
    // "DELETE" or "OPTIONS") and the router's `pattern`, its answers counted in `requests`
    // under route_label(pattern) (server.cpp).
    template <class Handler>
    void add_route(std::string_view method, const std::string& pattern, Handler handler);

    // --- the public comment API (public/comment_handlers.cpp) ---
    void handle_post_comment(const httplib::Request& req, httplib::Response& res,
                             const httplib::ContentReader& reader);
    void handle_list_comments(const httplib::Request& req, httplib::Response& res);
    void handle_counts(const httplib::Request& req, httplib::Response& res);
    void handle_edit_comment(const httplib::Request& req, httplib::Response& res,
                             const httplib::ContentReader& reader);
    void handle_delete_comment(const httplib::Request& req, httplib::Response& res);
    void handle_form_token(const httplib::Request& req, httplib::Response& res);

    // --- for operators (operations/operations_handlers.cpp) ---
    void handle_health(const httplib::Request& req, httplib::Response& res);
    void handle_metrics(const httplib::Request& req, httplib::Response& res);
    // GET /openapi.json (operations/openapi.cpp): every route, Isso's under options.isso_prefix.
    void handle_openapi(const httplib::Request& req, httplib::Response& res);

    // --- moderator handlers (moderation/moderation_handlers.cpp, rules_handlers.cpp) ---
    // Each runs after authentication; `moderator` is the authenticated moderator's name.
    // GET /api/moderation/me: who is signed in, their token's expiry and last use.
    void handle_moderation_me(const httplib::Request& req, httplib::Response& res,
                              const std::string& moderator);
    void handle_queue(const httplib::Request& req, httplib::Response& res,
                      const std::string& moderator);
    void handle_moderation_comment(const httplib::Request& req, httplib::Response& res,
                                   const std::string& moderator);
    void handle_decisions(const httplib::Request& req, httplib::Response& res,
                          const std::string& moderator, const httplib::ContentReader& reader);
    void handle_moderation_log(const httplib::Request& req, httplib::Response& res,
                               const std::string& moderator);
    void handle_moderation_stats(const httplib::Request& req, httplib::Response& res,
                                 const std::string& moderator);
    // moderation/privacy_handlers.cpp
    void handle_personal_data(const httplib::Request& req, httplib::Response& res,
                              const std::string& moderator, const httplib::ContentReader& reader);
    void handle_erase_personal_data(const httplib::Request& req, httplib::Response& res,
                                    const std::string& moderator,
                                    const httplib::ContentReader& reader);
    void handle_get_rules(const httplib::Request& req, httplib::Response& res,
                          const std::string& moderator);
    void handle_put_rules(const httplib::Request& req, httplib::Response& res,
                          const std::string& moderator, const httplib::ContentReader& reader);
    void handle_check_rules(const httplib::Request& req, httplib::Response& res,
                            const std::string& moderator, const httplib::ContentReader& reader);
    void handle_reload_rules(const httplib::Request& req, httplib::Response& res,
                             const std::string& moderator);

    // --- the embedded web assets (static_handlers.cpp) ---
    // Answers `asset` with its caching and security headers; 304 when If-None-Match matches.
    void handle_static(const httplib::Request& req, httplib::Response& res,
                       const StaticAsset& asset);

    // --- the Akismet-compatible API (akismet/akismet_handlers.cpp) ---
    // Each answers 200 text/plain (413 for an oversized body), inside akismet_barrier.
    void handle_akismet_verify_key(const httplib::Request& req, httplib::Response& res,
                                   const httplib::ContentReader& reader);
    void handle_akismet_comment_check(const httplib::Request& req, httplib::Response& res,
                                      const httplib::ContentReader& reader);
    void handle_akismet_submit_spam(const httplib::Request& req, httplib::Response& res,
                                    const httplib::ContentReader& reader);
    void handle_akismet_submit_ham(const httplib::Request& req, httplib::Response& res,
                                   const httplib::ContentReader& reader);
    // Runs `handler`. Turns any failure into a 200 text/plain answer with an
    // X-akismet-debug-help header (a 413 stays 413); logs unexpected exceptions.
    void akismet_barrier(const httplib::Request& req, httplib::Response& res,
                         const std::function<void()>& handler);
    std::optional<store::ApiKey> akismet_key(const httplib::Request& req,
                                             const AkismetFields& fields,
                                             std::string_view first_field,
                                             std::string_view second_field);
    std::optional<std::pair<store::ApiKey, AkismetComment>> akismet_comment(
        const httplib::Request& req, httplib::Response& res, const httplib::ContentReader& reader);

    // --- the Isso-compatible API (isso/isso_handlers.cpp), under options.isso_prefix ---
    void handle_isso_config(const httplib::Request& req, httplib::Response& res);
    void handle_isso_fetch(const httplib::Request& req, httplib::Response& res);
    void handle_isso_new(const httplib::Request& req, httplib::Response& res,
                         const httplib::ContentReader& reader);
    void handle_isso_view(const httplib::Request& req, httplib::Response& res);
    void handle_isso_edit(const httplib::Request& req, httplib::Response& res,
                          const httplib::ContentReader& reader);
    void handle_isso_delete(const httplib::Request& req, httplib::Response& res);
    void handle_isso_preview(const httplib::Request& req, httplib::Response& res,
                             const httplib::ContentReader& reader);
    void handle_isso_count(const httplib::Request& req, httplib::Response& res,
                           const httplib::ContentReader& reader);
    bool is_isso_route(std::string_view path) const;
    std::string cookie_site(const httplib::Request& req) const;
    // Isso's client sends credentials (its edit cookie): only origins listed by name get an
    // answer, with Access-Control-Allow-Credentials; "*" never counts here.
    void apply_isso_cors(const httplib::Request& req, httplib::Response& res) const;

    // --- shared helpers (server.cpp) ---
    // The client's address: the peer, or the X-Forwarded-For entry a trusted proxy added.
    std::string client_ip(const httplib::Request& req) const;
    // Throws 429 with Retry-After when `ip` has written too often: posts, edits, deletions
    // (public/comment_handlers.cpp).
    void limit_writes(const std::string& ip, std::int64_t now);
    // Reads the body through `reader`, refusing more than `limit` bytes with 413.
    std::string read_body(const httplib::Request& req, const httplib::ContentReader& reader,
                          std::size_t limit) const;
    void apply_cors(const httplib::Request& req, httplib::Response& res) const;
    bool send_cached(const httplib::Request& req, httplib::Response& res, std::uint64_t generation);
    void send_and_cache(const httplib::Request& req, httplib::Response& res,
                        std::uint64_t generation, const nlohmann::json& doc);
    void send_problem(const httplib::Request& req, httplib::Response& res,
                      const Problem& problem) const;
    // The answer to a request the connection layer refused before routing (malformed or
    // ambiguous framing, over a limit, too slow, too many connections): problem+json, or
    // text/plain on the Akismet API; counted and logged like any answer.
    httplib::Response refusal_answer(const RequestHead* head, const Refusal& refusal);
    // The moderator named by the request's bearer token; throws ApiError 401 or 429.
    std::string authenticate(const httplib::Request& req);

    ServerOptions options;
    store::Store& store;
    core::ActiveRuleset& rules;
    CommentService comments;
    AkismetService akismet{store, rules, options.akismet};
    FormTokens form_tokens;
    std::string isso_hash_key;  // keys the digests Isso's client draws author pictures from
    RateLimiter limiter;
    std::function<RulesStatus()> rules_status;
    RulesControl rules_control;
    ModeratorAuth auth;
    Metrics metrics;
    RequestMetrics requests;  // per route: answers by status, latency
    VerdictMetrics verdicts;
    ResponseCache public_cache;  // GET /api/comments and /api/counts answers
    HttpServer http;
    std::atomic<bool> listening{false};       // Server::listen() runs
    std::atomic<bool> stop_requested{false};  // Server::stop() was called
};

void send_json(httplib::Response& res, int status, const nlohmann::json& doc);

}  // namespace vokter::http
