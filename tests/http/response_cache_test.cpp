#include "http/response_cache.hpp"

#include <doctest/doctest.h>

#include "http/test_server.hpp"

using vokter::http::ResponseCache;

TEST_CASE("a cached answer is served only at the generation it was read at") {
    ResponseCache cache(20);  // bytes of keys and bodies
    CHECK(cache.get("/a", 1) == nullptr);
    cache.put("/a", 1, "svar");
    REQUIRE(cache.get("/a", 1) != nullptr);
    CHECK(*cache.get("/a", 1) == "svar");
    CHECK(cache.get("/a", 2) == nullptr);  // something was committed since
    cache.put("/a", 2, "svar 2");          // replaces: 8 bytes in all
    CHECK(*cache.get("/a", 2) == "svar 2");
    cache.put("/b", 2, "0123456789");  // 12 more: 20, still fits
    CHECK(cache.get("/a", 2) != nullptr);
    cache.put("/c", 2, "c");  // would pass 20 bytes: starts over
    CHECK(cache.get("/a", 2) == nullptr);
    CHECK(*cache.get("/c", 2) == "c");
    cache.put("/d", 2, std::string(100, 'x'));  // larger than the whole cache: not kept
    CHECK(cache.get("/d", 2) == nullptr);
    CHECK(cache.get("/c", 2) != nullptr);
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
