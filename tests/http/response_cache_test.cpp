#include "http/response_cache.hpp"

#include <doctest/doctest.h>

#include "http/test_server.hpp"

using vokter::http::ResponseCache;

TEST_CASE("a cached answer is served only at the generation it was read at") {
    ResponseCache cache(2);
    CHECK(cache.get("/a", 1) == nullptr);
    cache.put("/a", 1, "svar");
    REQUIRE(cache.get("/a", 1) != nullptr);
    CHECK(*cache.get("/a", 1) == "svar");
    CHECK(cache.get("/a", 2) == nullptr);  // something was committed since
    cache.put("/b", 1, "b");
    cache.put("/c", 1, "c");  // full: starts over
    CHECK(cache.get("/a", 1) == nullptr);
    CHECK(*cache.get("/c", 1) == "c");
}

TEST_CASE("a listing is never served stale after a new comment, an edit or a delete") {
    vokter::test::TestServer server;
    auto client = server.client();
    const auto list = [&] {
        return nlohmann::json::parse(client.Get("/api/comments?thread=/c")->body);
    };
    const auto count = [&] {
        return nlohmann::json::parse(client.Get("/api/counts?thread=/c")->body)["/c"].get<int>();
    };
    CHECK(list()["total"] == 0);
    CHECK(count() == 0);
    const auto created = vokter::test::json_of(server.post({{"thread", "/c"}, {"body", "første"}}));
    CHECK(list()["total"] == 1);
    CHECK(count() == 1);
    CHECK(list()["comments"][0]["body"] == "første");  // twice: the second from the cache
    const std::string path = "/api/comments/" + std::to_string(created["id"].get<int>());
    const httplib::Headers token = {{"X-Edit-Token", created["edit_token"].get<std::string>()}};
    REQUIRE(client.Put(path, token, R"({"body":"endret"})", "application/json")->status == 200);
    CHECK(list()["comments"][0]["body"] == "endret");
    REQUIRE(client.Delete(path, token)->status == 204);
    CHECK(list()["comments"].empty());
    CHECK(count() == 0);
}
