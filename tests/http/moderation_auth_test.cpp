// Moderator authentication: bearer tokens, removed moderators, and the brake on guessing.

#include <doctest/doctest.h>

#include <thread>

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

const char* const kModeratorRoutes[] = {"/api/moderation/me",         "/api/moderation/queue",
                                        "/api/moderation/comments/1", "/api/moderation/log",
                                        "/api/moderation/stats",      "/api/rules"};

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

TEST_CASE("GET /api/moderation/me names who is signed in, their token's expiry and last use") {
    ModerationServer server;
    const auto me = server.get("/api/moderation/me");
    REQUIRE(me);
    REQUIRE_MESSAGE(me->status == 200, me->body);
    CHECK(me->get_header_value("Cache-Control") == "no-store");
    const auto doc = nlohmann::json::parse(me->body);
    CHECK(doc["name"] == "kari");
    CHECK(doc["expires"].is_null());
    CHECK(doc["created"].get<std::string>().ends_with("Z"));
    // This request's own use is recorded before the answer.
    REQUIRE(doc["last_used"].is_string());
    CHECK(doc["last_used"].get<std::string>().substr(0, 10) ==
          vokter::http::iso_time(wall_ms()).substr(0, 10));
    CHECK(doc.size() == 4);  // nothing else: never the token or its hash

    const std::string ola = add_moderator(server.store, "ola");
    const auto other = server.client().Get("/api/moderation/me", server.auth(ola));
    REQUIRE(other);
    CHECK(nlohmann::json::parse(other->body)["name"] == "ola");
}

TEST_CASE("an expired token gets 401 saying so, without counting as a guess") {
    auto options = TestServer::quiet_options();
    options.auth.max_failures = 1;
    ModerationServer server(options);
    const std::string token = vokter::http::random_hex(32);
    const std::int64_t now = wall_ms();
    server.store.writer().run([&](store::Connection& db) {
        store::add_moderator(db, "ola", vokter::http::sha256(token), now - 10'000, now - 1);
    });
    for (int i = 0; i < 3; ++i) {  // the brake (1 failure) would answer 429 for guesses
        const auto expired = server.client().Get("/api/moderation/queue", server.auth(token));
        check_401(expired);
        CHECK(expired->body.find("expired") != std::string::npos);
        CHECK(expired->body.find("vokter moderator rotate ola") != std::string::npos);
    }
    // A token that expires later works, and says when it expires.
    const std::string later = vokter::http::random_hex(32);
    const std::int64_t expires = now + 3'600'000;
    server.store.writer().run([&](store::Connection& db) {
        store::add_moderator(db, "per", vokter::http::sha256(later), now, expires);
    });
    const auto me = server.client().Get("/api/moderation/me", server.auth(later));
    REQUIRE(me);
    REQUIRE(me->status == 200);
    CHECK(nlohmann::json::parse(me->body)["expires"] == vokter::http::iso_time(expires));
}

TEST_CASE("the last use is written once a minute at most") {
    ModerationServer server;
    const auto last_used = [&] {
        auto db = server.store.read();
        return store::find_moderator(*db, "kari")->last_used;
    };
    CHECK_FALSE(last_used().has_value());
    REQUIRE(server.get("/api/moderation/queue")->status == 200);
    const auto first = last_used();
    REQUIRE(first.has_value());
    CHECK(*first <= wall_ms());
    CHECK(*first > wall_ms() - 60'000);
    // Later requests within the minute do not write it again.
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    for (int i = 0; i < 5; ++i)
        REQUIRE(server.get("/api/moderation/queue")->status == 200);
    CHECK(last_used() == first);
}

TEST_CASE("repeated wrong tokens from one address are answered 429 with Retry-After") {
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
    // The public API is not affected.
    CHECK(server.client().Get("/api/comments?thread=/a")->status == 200);
}

TEST_CASE("the right token is never locked out by wrong ones from the same address") {
    auto options = TestServer::quiet_options();
    options.auth.max_failures = 3;
    options.auth.window_seconds = 60;
    ModerationServer server(options);
    const std::string wrong(64, 'f');
    for (int i = 0; i < 5; ++i)
        server.client().Get("/api/moderation/queue", server.auth(wrong));
    REQUIRE(server.client().Get("/api/moderation/queue", server.auth(wrong))->status == 429);
    // A moderator behind the same address (a NAT, the nginx front) still gets in ...
    const auto ok = server.get("/api/moderation/queue");
    REQUIRE(ok);
    CHECK(ok->status == 200);
    // ... and that clears the address's count.
    check_401(server.client().Get("/api/moderation/queue", server.auth(wrong)));
}

TEST_CASE("requests without a token are refused but not counted as guesses") {
    auto options = TestServer::quiet_options();
    options.auth.max_failures = 3;
    ModerationServer server(options);
    for (int i = 0; i < 20; ++i)
        check_401(server.client().Get("/api/moderation/queue"));
    for (int i = 0; i < 5; ++i) {
        check_401(
            server.client().Get("/api/moderation/queue", {{"Authorization", "Basic a2FyaQ=="}}));
    }
    // The first wrong token after all of those is still a plain 401.
    check_401(server.client().Get("/api/moderation/queue", server.auth(std::string(64, '1'))));
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
