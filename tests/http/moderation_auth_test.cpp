// Moderator authentication: bearer tokens, removed moderators, and the brake on guessing.

#include <doctest/doctest.h>

#include "http/moderation_fixture.hpp"

using namespace vokter::test;
namespace store = vokter::store;

namespace {

void check_401(const httplib::Result& res) {
    REQUIRE(res);
    CHECK_MESSAGE(res->status == 401, res->body);
    CHECK(res->get_header_value("WWW-Authenticate") == "Bearer realm=\"vokter\"");
    CHECK(res->get_header_value("Content-Type").starts_with("application/problem+json"));
}

const char* const kModeratorRoutes[] = {"/api/moderation/queue", "/api/moderation/comments/1",
                                        "/api/moderation/log", "/api/moderation/stats",
                                        "/api/rules"};

}  // namespace

TEST_CASE("every moderator route refuses a request without a token with 401") {
    ModerationServer server;
    for (const char* path : kModeratorRoutes) {
        CAPTURE(path);
        check_401(server.client().Get(path));
    }
    check_401(server.client().Post("/api/moderation/decisions", R"({"ids":[1],"action":"spam"})",
                                   "application/json"));
    check_401(server.client().Put("/api/rules", "version = \"x\"", "text/plain"));
    check_401(server.client().Post("/api/rules/check", "version = \"x\"", "text/plain"));
    check_401(server.client().Post("/api/rules/reload", "", "text/plain"));
}

TEST_CASE("a wrong or malformed token gets 401, the right one 200") {
    ModerationServer server;
    const std::string wrong(server.token.size(), '0');
    check_401(server.client().Get("/api/moderation/queue", server.auth(wrong)));
    check_401(
        server.client().Get("/api/moderation/queue", {{"Authorization", "Basic " + server.token}}));
    check_401(server.client().Get("/api/moderation/queue", {{"Authorization", "Bearer"}}));
    check_401(
        server.client().Get("/api/moderation/queue", server.auth(server.token.substr(0, 63))));
    const auto ok = server.get("/api/moderation/queue");
    REQUIRE(ok);
    CHECK(ok->status == 200);
    CHECK(ok->get_header_value("Cache-Control") == "no-store");
    // The scheme is case-insensitive.
    const auto lower =
        server.client().Get("/api/moderation/queue", {{"Authorization", "bearer " + server.token}});
    REQUIRE(lower);
    CHECK(lower->status == 200);
}

TEST_CASE("the token of a removed moderator stops working at once") {
    ModerationServer server;
    const std::string ola = add_moderator(server.store, "ola");
    REQUIRE(server.client().Get("/api/moderation/stats", server.auth(ola))->status == 200);
    const bool removed = server.store.writer().run(
        [](store::Connection& db) { return store::remove_moderator(db, "ola"); });
    REQUIRE(removed);
    check_401(server.client().Get("/api/moderation/stats", server.auth(ola)));
    CHECK(server.get("/api/moderation/stats")->status == 200);  // kari is unaffected
}

TEST_CASE("repeated failures from one address are answered 429 with Retry-After") {
    auto options = TestServer::quiet_options();
    options.auth.max_failures = 3;
    options.auth.window_seconds = 60;
    ModerationServer server(options);
    const std::string wrong(64, 'f');
    for (int i = 0; i < 3; ++i)
        check_401(server.client().Get("/api/moderation/queue", server.auth(wrong)));
    const auto limited = server.client().Get("/api/moderation/queue", server.auth(wrong));
    REQUIRE(limited);
    CHECK(limited->status == 429);
    const int retry = std::stoi(limited->get_header_value("Retry-After"));
    CHECK(retry >= 1);
    CHECK(retry <= 60);
    // While slowed down even the right token waits: guessing must not learn anything.
    CHECK(server.get("/api/moderation/queue")->status == 429);
    // The public API is not affected.
    CHECK(server.client().Get("/api/comments?thread=/a")->status == 200);
}

TEST_CASE("a successful login clears the address's failures") {
    auto options = TestServer::quiet_options();
    options.auth.max_failures = 3;
    ModerationServer server(options);
    const std::string wrong(64, 'e');
    for (int round = 0; round < 3; ++round) {
        for (int i = 0; i < 2; ++i)
            check_401(server.client().Get("/api/moderation/queue", server.auth(wrong)));
        CHECK(server.get("/api/moderation/queue")->status == 200);
    }
}
