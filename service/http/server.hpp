#pragma once
// Vokter's HTTP server: a small facade over cpp-httplib. Construct it with its options and the
// shared store and ruleset, bind(), then listen() on a thread of your choice; stop() from any
// thread (a signal handler's thread included) lets requests in flight finish and returns.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/active_ruleset.hpp"
#include "http/akismet/akismet_service.hpp"
#include "http/comment_service.hpp"
#include "http/moderation/auth.hpp"
#include "http/moderation/rules_control.hpp"
#include "http/operations/metrics.hpp"
#include "http/submission_parser.hpp"
#include "store/store.hpp"

namespace vokter::http {

struct ServerOptions {
    std::string host = "127.0.0.1";
    int port = 8080;                           // 0 picks a free port (see Server::bind)
    int threads = 64;                          // worker threads: requests answered at once
    std::size_t max_request_bytes = 262144;    // larger bodies get 413 before they are read
    std::size_t max_headers = 100;             // more header fields get 431
    std::size_t max_header_bytes = 32768;      // request line and header lines together; 431
    std::size_t max_connections = 1024;        // open at once; more are answered 503
    std::size_t max_connections_per_ip = 128;  // from one address (not a trusted proxy); 429
    int request_timeout_ms = 10000;            // a request's first byte to its last; then 408
    int keep_alive_ms = 5000;                  // a connection with no request begun is closed
    std::vector<std::string> cors_origins;     // origins allowed to call the API; "*" for any
    // Where the Isso-compatible API answers (isso/isso_handlers.cpp); empty: not at all.
    std::string isso_prefix = "/isso";
    std::vector<std::string> trusted_proxies;  // peers whose X-Forwarded-For is believed
    int rate_limit_per_minute = 30;            // comment posts per client IP; 0 = no limit
    bool log_requests = true;
    SubmissionLimits limits;
    CommentPolicy policy;
    AuthLimits auth;  // failed moderator logins per IP before 429
    // The Akismet-compatible API's settings (akismet/akismet_service.hpp).
    AkismetOptions akismet;
};

// What /healthz reports about the rules, supplied by whoever loads them.
struct RulesStatus {
    std::string version;
    std::int64_t loaded_at_ms = 0;
    std::string last_error;             // empty when the last (re)load succeeded
    std::uint64_t reload_failures = 0;  // reloads refused since the start (the old rules stayed)
};

class Server {
  public:
    // `rules_control` lets moderators change the rules over the API; left empty, the /api/rules
    // endpoints only show the rules in force.
    Server(ServerOptions options, store::Store& store, core::ActiveRuleset& rules,
           std::string form_key, std::function<RulesStatus()> rules_status,
           RulesControl rules_control = {});
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    // Binds the listening socket; returns the port (useful with port 0), or -1 on failure.
    int bind();
    // Serves until stop(); returns false if the server could not run. Blocks the caller.
    bool listen();
    void stop();
    bool is_running() const;
    // Every route of the router, in the order registered: its method and its pattern as
    // route_label writes it ("/api/comments/{id}"). For the OpenAPI document's test.
    std::vector<RouteName> routes() const;

    struct Impl;  // internal to the http layer (server_impl.hpp)

  private:
    std::unique_ptr<Impl> impl_;
};

}  // namespace vokter::http
