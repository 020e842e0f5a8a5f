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
    const auto res = server.client().Post("/api/comments", headers,
                                          "thread=" + thread + "&body=Takk+for+innlegget",
                                          "application/x-www-form-urlencoded");
    REQUIRE(res);
    REQUIRE_MESSAGE(res->status == 303, res->body);
    return res->get_header_value("Location");
}

}  // namespace

TEST_CASE("a cross-site Referer with only an origin is joined with the thread path") {
    TestServer server;
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
    TestServer server;
    CHECK(location_after_post(server, "%2Fa", "https://blogg.example/a?side=2")
              .starts_with("https://blogg.example/a?side=2#comment-"));
    CHECK(location_after_post(server, "%2Fb", "").starts_with("/b#comment-"));
}
