// HTTP tests of where a form post without JavaScript is sent back to (the 303's Location),
// for a blog on Vokter's origin and for one on another site.

#include <doctest/doctest.h>

#include "http/test_server.hpp"

using vokter::test::TestServer;

namespace {

std::string location_after_post(const TestServer& server, const std::string& thread,
                                const std::string& referer) {
    httplib::Headers headers;
    if (!referer.empty()) headers.emplace("Referer", referer);
    static int posted = 0;  // each post its own text, or the second is refused as a repeat
    const auto res = server.client().Post(
        "/api/comments", headers,
        "thread=" + thread + "&body=Takk+for+innlegget+nr+" + std::to_string(++posted),
        "application/x-www-form-urlencoded");
    REQUIRE(res);
    REQUIRE_MESSAGE(res->status == 303, res->body);
    return res->get_header_value("Location");
}

}  // namespace

TEST_CASE("a cross-site Referer with only an origin is joined with the thread path") {
    auto options = TestServer::quiet_options();
    options.cors_origins = {"https://blogg.example"};
    TestServer server(options);
    // Browsers send only the origin to another site (strict-origin-when-cross-origin).
    CHECK(location_after_post(server, "%2Fblogg%2Finnlegg", "https://blogg.example/")
              .starts_with("https://blogg.example/blogg/innlegg#comment-"));
    CHECK(location_after_post(server, "%2Fblogg%2Fandre", "https://blogg.example")
              .starts_with("https://blogg.example/blogg/andre#comment-"));
}

TEST_CASE("an absolute thread URL wins over an origin-only Referer") {
    TestServer server;
    CHECK(location_after_post(server, "https%3A%2F%2Fblogg.example%2Fa", "https://blogg.example/")
              .starts_with("https://blogg.example/a#comment-"));
}

TEST_CASE("a full Referer is kept, and no Referer falls back to the thread") {
    auto options = TestServer::quiet_options();
    options.cors_origins = {"https://blogg.example"};
    TestServer server(options);
    CHECK(location_after_post(server, "%2Fa", "https://blogg.example/a?side=2")
              .starts_with("https://blogg.example/a?side=2#comment-"));
    CHECK(location_after_post(server, "%2Fb", "").starts_with("/b#comment-"));
}

TEST_CASE("the 303 never sends the browser to a site that is not the blog's") {
    auto options = TestServer::quiet_options();
    options.cors_origins = {"https://blogg.example"};
    TestServer server(options);
    // A Referer on another site falls back to the thread ...
    CHECK(location_after_post(server, "%2Fa", "https://evil.example/x").starts_with("/a#comment-"));
    CHECK(location_after_post(server, "%2Fa", "https://blogg.example@evil.example/x")
              .starts_with("/a#comment-"));
    CHECK(location_after_post(server, "%2Fa", "https://evil.example/").starts_with("/a#comment-"));
    // ... paths that browsers read as another site are refused ...
    CHECK(location_after_post(server, "%2Fa", "//evil.example/x").starts_with("/a#comment-"));
    CHECK(location_after_post(server, "%2Fa", "/\\evil.example/x").starts_with("/a#comment-"));
    CHECK(location_after_post(server, "%2Fa", "javascript:alert(1)").starts_with("/a#comment-"));
    // ... and a thread on another site is its own site: a page there is allowed, not others.
    CHECK(location_after_post(server, "https%3A%2F%2Fevil.example%2Fx", "https://blogg.example/b")
              .starts_with("https://blogg.example/b#comment-"));
    CHECK(location_after_post(server, "https%3A%2F%2Fandre.example%2Fx", "https://evil.example/y")
              .starts_with("https://andre.example/x#comment-"));
    // Listed origins are compared whole, in lower case.
    CHECK(location_after_post(server, "%2Fa", "HTTPS://Blogg.Example/side")
              .starts_with("HTTPS://Blogg.Example/side#comment-"));
    CHECK(location_after_post(server, "%2Fa", "https://blogg.example.evil.example/")
              .starts_with("/a#comment-"));
}

TEST_CASE("without configured origins a cross-site Referer is not followed") {
    TestServer server;
    CHECK(location_after_post(server, "%2Fblogg%2Finnlegg", "https://blogg.example/")
              .starts_with("/blogg/innlegg#comment-"));
    // Vokter's own host is always allowed.
    const std::string own = "http://127.0.0.1:" + std::to_string(server.port) + "/side";
    CHECK(location_after_post(server, "%2Fa", own).starts_with(own + "#comment-"));
}
