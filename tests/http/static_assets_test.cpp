// HTTP tests of the embedded web assets: the widget and the moderator page, with their types,
// validators, caching and security headers.

#include "http/static_assets.hpp"

#include <doctest/doctest.h>

#include "http/test_server.hpp"

using vokter::test::TestServer;
namespace http = vokter::http;

TEST_CASE("content types carry a charset for text") {
    CHECK(http::content_type_for("widget.js") == "text/javascript; charset=utf-8");
    CHECK(http::content_type_for("widget.css") == "text/css; charset=utf-8");
    CHECK(http::content_type_for("moderate.html") == "text/html; charset=utf-8");
    CHECK(http::content_type_for("logo.png") == "image/png");
    CHECK(http::content_type_for("README") == "application/octet-stream");
}

TEST_CASE("If-None-Match matches strong, weak, listed and any tags") {
    const std::string etag = "\"abc\"";
    CHECK(http::etag_matches("\"abc\"", etag));
    CHECK(http::etag_matches("W/\"abc\"", etag));
    CHECK(http::etag_matches("\"x\", \"abc\"", etag));
    CHECK(http::etag_matches(" * ", etag));
    CHECK_FALSE(http::etag_matches("", etag));
    CHECK_FALSE(http::etag_matches("\"abcd\"", etag));
    CHECK_FALSE(http::etag_matches("abc", etag));
}

TEST_CASE("every web file is embedded and has a route") {
    std::vector<std::string> paths;
    for (const auto& asset : http::static_assets())
        paths.push_back(asset.path);
    for (const char* wanted :
         {"/widget.js", "/widget.css", "/moderate", "/moderate.js", "/moderate.css"}) {
        CHECK_MESSAGE(std::find(paths.begin(), paths.end(), wanted) != paths.end(), wanted);
    }
}

TEST_CASE("the widget script is served with its type, a validator and a short max-age") {
    TestServer server;
    auto client = server.client();
    const auto res = client.Get("/widget.js");
    REQUIRE(res);
    CHECK(res->status == 200);
    CHECK(res->get_header_value("Content-Type") == "text/javascript; charset=utf-8");
    CHECK(res->get_header_value("X-Content-Type-Options") == "nosniff");
    CHECK(res->get_header_value("Cache-Control") == "public, max-age=300");
    CHECK(res->body.find("vokter-comments") != std::string::npos);
    const std::string etag = res->get_header_value("ETag");
    REQUIRE(etag.size() > 2);
    CHECK(etag.front() == '"');

    SUBCASE("the same ETag answers 304 without a body") {
        const auto again = client.Get("/widget.js", {{"If-None-Match", etag}});
        REQUIRE(again);
        CHECK(again->status == 304);
        CHECK(again->body.empty());
        CHECK(again->get_header_value("ETag") == etag);
    }
    SUBCASE("another ETag gets the file") {
        const auto again = client.Get("/widget.js", {{"If-None-Match", "\"stale\""}});
        REQUIRE(again);
        CHECK(again->status == 200);
        CHECK(again->body == res->body);
    }
}

TEST_CASE("the widget style sheet is CSS") {
    TestServer server;
    const auto res = server.client().Get("/widget.css");
    REQUIRE(res);
    CHECK(res->status == 200);
    CHECK(res->get_header_value("Content-Type") == "text/css; charset=utf-8");
    CHECK(res->body.find("--vokter-accent") != std::string::npos);
}

TEST_CASE("the moderator page forbids inline and foreign script and framing") {
    TestServer server;
    const auto res = server.client().Get("/moderate");
    REQUIRE(res);
    CHECK(res->status == 200);
    CHECK(res->get_header_value("Content-Type") == "text/html; charset=utf-8");
    const std::string csp = res->get_header_value("Content-Security-Policy");
    CHECK(csp.find("script-src 'self'") != std::string::npos);
    CHECK(csp.find("unsafe-inline") == std::string::npos);
    CHECK(csp.find("frame-ancestors 'none'") != std::string::npos);
    CHECK(res->get_header_value("X-Content-Type-Options") == "nosniff");
    CHECK(res->get_header_value("Cache-Control") == "no-cache");
    CHECK(res->body.find("<script src=\"/moderate.js\"") != std::string::npos);
    CHECK(res->body.find("<script>") == std::string::npos);

    const auto script = server.client().Get("/moderate.js");
    REQUIRE(script);
    CHECK(script->status == 200);
    CHECK(script->get_header_value("Content-Type") == "text/javascript; charset=utf-8");
}

TEST_CASE("routes match asset names exactly") {
    TestServer server;
    auto client = server.client();
    for (const char* path : {"/widgetXjs", "/moderate.html", "/widget.js/x", "/web/widget.js"}) {
        const auto res = client.Get(path);
        REQUIRE(res);
        CHECK_MESSAGE(res->status == 404, path);
    }
}
