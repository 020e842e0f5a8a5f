// POST /api/moderation/personal-data and /personal-data/erase: a reader's rights through the
// moderator API, on a real server on loopback.

#include <doctest/doctest.h>

#include "http/moderation_fixture.hpp"

using namespace vokter::test;
using json = nlohmann::json;

TEST_CASE("a moderator exports a reader's data, then erases it; the log holds no address") {
    ModerationServer s;
    const std::string email = "siri@example.no";
    const auto first = s.seed({.status = "approved",
                               .body = "Fin tur til Lofoten 🏔️ – æøå",
                               .name = "Siri",
                               .email = email,
                               .ip = "198.51.100.23"});
    s.seed(
        {.status = "pending", .body = "Et spørsmål", .name = "Siri", .email = "SIRI@example.no"});
    s.seed({.status = "approved", .body = "Noen andre", .email = "annen@example.no"});

    const auto exported = s.post_json("/api/moderation/personal-data", {{"email", email}});
    REQUIRE(exported);
    REQUIRE_MESSAGE(exported->status == 200, exported->body);
    const json data = json::parse(exported->body);
    CHECK(data["email"] == email);
    REQUIRE(data["comments"].size() == 2);
    CHECK(data["comments"][0]["id"] == first);
    CHECK(data["comments"][0]["body"] == "Fin tur til Lofoten 🏔️ – æøå");
    CHECK(data["comments"][0]["ip"] == "198.51.100.23");
    CHECK(data["comments"][0]["user_agent"] == "TestAgent/1.0");
    CHECK(data["comments"][0]["thread"] == "/blogg/innlegg");
    CHECK(data["akismet_reports"].empty());

    const auto erased =
        s.post_json("/api/moderation/personal-data/erase", {{"email", email}, {"bodies", true}});
    REQUIRE(erased);
    REQUIRE_MESSAGE(erased->status == 200, erased->body);
    CHECK(json::parse(erased->body)["comments"] == 2);
    const auto gone = s.post_json("/api/moderation/personal-data", {{"email", email}});
    REQUIRE(gone);
    CHECK(gone->status == 404);
    CHECK(gone->get_header_value("Content-Type").starts_with("application/problem+json"));
    const auto again = s.post_json("/api/moderation/personal-data/erase", {{"email", email}});
    REQUIRE(again);
    CHECK(again->status == 404);

    // The log: one export, one erase per comment, by the moderator, without the address.
    const json log = s.get_ok("/api/moderation/log?moderator=kari");
    int exports = 0, erases = 0;
    for (const auto& entry : log["entries"]) {
        exports += entry["action"] == "export";
        erases += entry["action"] == "erase";
        CHECK(entry.dump().find("siri") == std::string::npos);
        CHECK(entry.dump().find("SIRI") == std::string::npos);
    }
    CHECK(exports == 1);
    CHECK(erases == 2);
    // The public page no longer shows the text.
    const auto page = s.client().Get("/api/comments?thread=/blogg/innlegg");
    REQUIRE(page);
    CHECK(page->body.find("Lofoten") == std::string::npos);
    CHECK(page->body.find("Noen andre") != std::string::npos);
}

TEST_CASE("the personal-data routes need a token, JSON and an address") {
    ModerationServer s;
    const auto anonymous =
        s.client().Post("/api/moderation/personal-data", json{{"email", "a@example.no"}}.dump(),
                        "application/json");
    REQUIRE(anonymous);
    CHECK(anonymous->status == 401);
    const auto form = s.client().Post("/api/moderation/personal-data/erase", s.auth(),
                                      "email=a@example.no", "application/x-www-form-urlencoded");
    REQUIRE(form);
    CHECK(form->status == 415);
    for (const json& bad : {json{{"email", ""}}, json{{"email", "not-an-address"}},
                            json{{"email", 42}}, json::object()}) {
        const auto res = s.post_json("/api/moderation/personal-data", bad);
        REQUIRE(res);
        CHECK_MESSAGE(res->status == 422, bad.dump());
    }
    const auto bodies = s.post_json("/api/moderation/personal-data/erase",
                                    {{"email", "a@example.no"}, {"bodies", "yes"}});
    REQUIRE(bodies);
    CHECK(bodies->status == 422);
}
