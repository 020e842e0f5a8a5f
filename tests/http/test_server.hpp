#pragma once
// An in-process Vokter server on a free loopback port, over a temporary database (a file, or a
// PostgreSQL schema: support/test_database.hpp), with a cpp-httplib client pointed at it. For
// HTTP tests of the real routes and handlers.

#include <httplib.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "core/active_ruleset.hpp"
#include "http/server.hpp"
#include "store/store.hpp"
#include "support/test_database.hpp"
#include "support/test_support.hpp"

namespace vokter::test {

inline store::StoreOptions store_options(const TempDir& dir, bool classifier) {
    store::StoreOptions options{location(dir / "vokter.db"), store::Durability::normal};
    options.classifier = classifier;
    return options;
}

struct TestServer {
    // `classifier`: run the classifier's trainer (its transactions count in the writer's
    // commits, which a test of transaction counts must not see).
    explicit TestServer(http::ServerOptions options = quiet_options(),
                        core::RulesetPtr ruleset = core::approve_all_ruleset(),
                        bool classifier = true)
        : store(store_options(dir, classifier)),
          rules(std::move(ruleset)),
          server(with_free_port(std::move(options)), store, rules, "test-form-key", [this] {
              return http::RulesStatus{rules.current()->version(), 0, ""};
          }) {
        port = server.bind();
        if (port <= 0) throw std::runtime_error("cannot bind a test server");
        thread = std::thread([this] { server.listen(); });
        while (!server.is_running())
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    ~TestServer() {
        server.stop();
        thread.join();
    }

    static http::ServerOptions quiet_options() {
        http::ServerOptions options;
        options.log_requests = false;
        options.threads = 8;
        options.rate_limit_per_minute = 0;
        return options;
    }

    httplib::Client client() const {
        httplib::Client c("127.0.0.1", port);
        c.set_read_timeout(10);
        return c;
    }

    // POSTs `doc` as JSON to /api/comments.
    httplib::Result post(const nlohmann::json& doc) const {
        return client().Post("/api/comments", doc.dump(), "application/json");
    }

    TempDir dir;
    store::Store store;
    core::ActiveRuleset rules;
    http::Server server;
    int port = 0;
    std::thread thread;

  private:
    static http::ServerOptions with_free_port(http::ServerOptions options) {
        options.host = "127.0.0.1";
        options.port = 0;
        return options;
    }
};

inline nlohmann::json json_of(const httplib::Result& res) {
    return nlohmann::json::parse(res->body);
}

}  // namespace vokter::test
