// HTTP tests of the public comment API against a real server on loopback.

#include <doctest/doctest.h>

#include <set>

#include "http/public/form_token.hpp"
#include "http/test_server.hpp"
#include "store/comment_repository.hpp"

using vokter::test::json_of;
using vokter::test::TestServer;
using json = nlohmann::json;
namespace http = vokter::http;

namespace {

std::int64_t post_ok(const TestServer& server, json doc) {
    const auto res = server.post(doc);
    REQUIRE(res);
    REQUIRE_MESSAGE(res->status == 201, res->body);
    return json_of(res)["id"].get<std::int64_t>();
}

json get_thread(const TestServer& server, const std::string& query) {
    const auto res = server.client().Get("/api/comments?" + query);
    REQUIRE(res);
    REQUIRE_MESSAGE(res->status == 200, res->body);
    return json_of(res);
}

void check_problem(const httplib::Result& res, int status) {
    REQUIRE(res);
    CHECK_MESSAGE(res->status == status, res->body);
    CHECK(res->get_header_value("Content-Type").starts_with("application/problem+json"));
    const json doc = json_of(res);
    CHECK(doc["status"] == status);
    CHECK(!doc["title"].get<std::string>().empty());
    CHECK(!doc["detail"].get<std::string>().empty());
}

}  // namespace

TEST_CASE("a comment is stored, answered 201 and listed byte-exact") {
    TestServer server;
    const std::string body = "Takk for en god oppsummering – særlig punkt 3! 👍\nBlåbær og ÆØÅ.";
    const auto res = server.post({{"thread", "/blogg/fem-laeringspunkter/"},
                                  {"name", "Kari Nordmann"},
                                  {"email", "kari@example.no"},
                                  {"website", "kari.example.no"},
                                  {"body", body}});
    REQUIRE(res);
    REQUIRE(res->status == 201);
    const json created = json_of(res);
    CHECK(created["status"] == "approved");
    CHECK(created["id"].get<std::int64_t>() > 0);
    CHECK(created["edit_token"].get<std::string>().size() == 32);
    CHECK(!created["edit_until"].get<std::string>().empty());

    // The trailing slash and a fragment do not make another thread.
    const json page = get_thread(server, "thread=/blogg/fem-laeringspunkter%23kommentarer");
    CHECK(page["total"] == 1);
    REQUIRE(page["comments"].size() == 1);
    const json& comment = page["comments"][0];
    CHECK(comment["body"] == body);
    CHECK(comment["name"] == "Kari Nordmann");
    CHECK(comment["website"] == "https://kari.example.no");
    // Personal data and moderation details never leave through the public API.
    const std::string raw =
        server.client().Get("/api/comments?thread=/blogg/fem-laeringspunkter")->body;
    CHECK(raw.find("kari@example.no") == std::string::npos);
    CHECK(raw.find("127.0.0.1") == std::string::npos);
    CHECK_FALSE(comment.contains("email"));
    CHECK_FALSE(comment.contains("ip"));
    CHECK_FALSE(comment.contains("score"));
    CHECK_FALSE(comment.contains("hits"));
}

TEST_CASE("a form post is stored and redirected back to the page with 303") {
    http::ServerOptions options = TestServer::quiet_options();
    options.cors_origins = {"https://blogg.example"};  // the blog's origin: the 303 may go there
    TestServer server(options);
    httplib::Headers headers = {{"Referer", "https://blogg.example/innlegg?id=4#skjema"}};
    const auto res = server.client().Post(
        "/api/comments", headers,
        "thread=%2Finnlegg&name=P%C3%A5l&body=Hei+p%C3%A5+deg%2C+%C3%A6%C3%B8%C3%A5%21",
        "application/x-www-form-urlencoded");
    REQUIRE(res);
    CHECK(res->status == 303);
    const std::string location = res->get_header_value("Location");
    CHECK(location.starts_with("https://blogg.example/innlegg?id=4#comment-"));
    const json page = get_thread(server, "thread=/innlegg");
    REQUIRE(page["comments"].size() == 1);
    CHECK(page["comments"][0]["body"] == "Hei på deg, æøå!");
    CHECK(page["comments"][0]["name"] == "Pål");
    CHECK(location.ends_with("#comment-" + std::to_string(page["comments"][0]["id"].get<int>())));
}

TEST_CASE("a form post with errors gets a readable page, not JSON") {
    TestServer server;
    const auto res = server.client().Post("/api/comments",
                                          "thread=%2Fa&body=", "application/x-www-form-urlencoded");
    REQUIRE(res);
    CHECK(res->status == 422);
    CHECK(res->get_header_value("Content-Type").starts_with("text/html"));
    CHECK(res->body.find("body: is required") != std::string::npos);
}

TEST_CASE("unparsable, wrongly typed and oversized requests get clear errors") {
    http::ServerOptions options = TestServer::quiet_options();
    options.max_request_bytes = 4096;
    TestServer server(options);
    auto client = server.client();

    SUBCASE("malformed JSON is 400") {
        check_problem(client.Post("/api/comments", "{\"thread\": \"/a\", ", "application/json"),
                      400);
    }
    SUBCASE("a JSON array is 400") {
        check_problem(client.Post("/api/comments", "[1,2]", "application/json"), 400);
    }
    SUBCASE("invalid UTF-8 in JSON is 400 and nothing is stored") {
        check_problem(client.Post("/api/comments", "{\"thread\":\"/a\",\"body\":\"bl\xE5\"}",
                                  "application/json"),
                      400);
    }
    SUBCASE("invalid UTF-8 in a form field is 422 naming the field") {
        const auto res = client.Post("/api/comments", "thread=%2Fa&body=bl%E5b%E6r",
                                     "application/x-www-form-urlencoded");
        REQUIRE(res);
        CHECK(res->status == 422);
        CHECK(res->body.find("body: is not valid UTF-8") != std::string::npos);
    }
    SUBCASE("a wrong content type is 415") {
        check_problem(client.Post("/api/comments", "hei", "text/plain"), 415);
    }
    SUBCASE("a body over the limit is 413, refused before it is read") {
        const std::string big(5000, 'x');
        check_problem(client.Post("/api/comments", json{{"thread", "/a"}, {"body", big}}.dump(),
                                  "application/json"),
                      413);
    }
    SUBCASE("unknown fields are 422 with the field named") {
        const auto res = server.post({{"thread", "/a"}, {"body", "hei"}, {"admin", "true"}});
        check_problem(res, 422);
        const json doc = json_of(res);
        REQUIRE(doc["errors"].size() == 1);
        CHECK(doc["errors"][0]["field"] == "admin");
    }
    SUBCASE("every invalid field is listed at once") {
        const auto res = server.post({{"thread", "javascript:alert(1)"},
                                      {"body", "  "},
                                      {"email", "ikke-en-adresse"},
                                      {"website", "javascript:alert(1)"},
                                      {"name", std::string(101, 'n')},
                                      {"parent", "abc"}});
        check_problem(res, 422);
        const json doc = json_of(res);
        std::set<std::string> fields;
        for (const auto& e : doc["errors"])
            fields.insert(e["field"].get<std::string>());
        CHECK(fields ==
              std::set<std::string>{"thread", "body", "email", "website", "name", "parent"});
    }
    SUBCASE("a value of the wrong type is 422") {
        check_problem(server.post({{"thread", "/a"}, {"body", 42}}), 422);
    }
    auto db = server.store.read();
    CHECK(vokter::store::thread_page(*db, "/a", vokter::store::SortOrder::oldest, 10, {}).total ==
          0);
}

TEST_CASE("the body limit counts characters, not bytes") {
    http::ServerOptions options = TestServer::quiet_options();
    options.limits.body_chars = 10;
    TestServer server(options);
    CHECK(server.post({{"thread", "/a"}, {"body", "æøåæøåæøåæ"}})->status ==
          201);  // 10 chars, 20 bytes
    check_problem(server.post({{"thread", "/a"}, {"body", "æøåæøåæøåæø"}}), 422);
}

TEST_CASE("replies form a tree three levels deep, and too deep replies attach higher up") {
    http::ServerOptions options = TestServer::quiet_options();
    options.policy.max_depth = 2;
    TestServer server(options);
    const auto root = post_ok(server, {{"thread", "/tre"}, {"body", "Rot"}});
    const auto child = post_ok(server, {{"thread", "/tre"}, {"body", "Svar"}, {"parent", root}});
    const auto grandchild =
        post_ok(server, {{"thread", "/tre"}, {"body", "Svar på svar"}, {"parent", child}});
    // Depth 3 is beyond max_depth 2: it becomes a sibling of the grandchild.
    const auto res =
        server.post({{"thread", "/tre"}, {"body", "For dypt"}, {"parent", grandchild}});
    REQUIRE(res->status == 201);
    CHECK(json_of(res)["parent"] == child);

    const json page = get_thread(server, "thread=/tre");
    CHECK(page["total"] == 4);
    REQUIRE(page["comments"].size() == 1);
    const json& level1 = page["comments"][0];
    CHECK(level1["id"] == root);
    REQUIRE(level1["replies"].size() == 1);
    const json& level2 = level1["replies"][0];
    CHECK(level2["id"] == child);
    REQUIRE(level2["replies"].size() == 2);
    CHECK(level2["replies"][0]["id"] == grandchild);
    CHECK(level2["replies"][0]["body"] == "Svar på svar");
    CHECK(level2["replies"][1]["body"] == "For dypt");
}

TEST_CASE("a reply to an unknown parent, or to a comment on another page, is 404") {
    TestServer server;
    check_problem(server.post({{"thread", "/a"}, {"body", "hei"}, {"parent", 999}}), 404);
    const auto other = post_ok(server, {{"thread", "/b"}, {"body", "på b"}});
    check_problem(server.post({{"thread", "/a"}, {"body", "hei"}, {"parent", other}}), 404);
}

TEST_CASE("pagination walks every top-level comment once, in both orders") {
    TestServer server;
    std::vector<std::int64_t> ids;
    for (int i = 0; i < 7; ++i) {
        ids.push_back(
            post_ok(server, {{"thread", "/side"}, {"body", "Kommentar " + std::to_string(i)}}));
    }
    post_ok(server, {{"thread", "/side"}, {"body", "svar"}, {"parent", ids[0]}});
    for (const std::string sort : {"oldest", "newest"}) {
        std::vector<std::int64_t> seen;
        std::string query = "thread=/side&limit=3&sort=" + sort;
        int pages = 0;
        for (;;) {
            const json page = get_thread(server, query);
            CHECK(page["total"] == 8);
            ++pages;
            for (const auto& c : page["comments"])
                seen.push_back(c["id"]);
            if (page["next_cursor"].is_null()) break;
            query = "thread=/side&limit=3&sort=" + sort +
                    "&after=" + page["next_cursor"].get<std::string>();
        }
        CHECK(pages == 3);
        std::vector<std::int64_t> expected = ids;
        if (sort == "newest") std::reverse(expected.begin(), expected.end());
        CHECK(seen == expected);
    }
    check_problem(server.client().Get("/api/comments?thread=/side&after=bogus"), 422);
    check_problem(server.client().Get("/api/comments?thread=/side&limit=0"), 422);
    check_problem(server.client().Get("/api/comments?thread=/side&sort=random"), 422);
    check_problem(server.client().Get("/api/comments"), 422);
}

TEST_CASE("counts per thread") {
    TestServer server;
    post_ok(server, {{"thread", "/a"}, {"body", "1"}});
    post_ok(server, {{"thread", "/a"}, {"body", "2"}});
    post_ok(server, {{"thread", "/b"}, {"body", "3"}});
    const auto res = server.client().Get("/api/counts?thread=/a&thread=/b&thread=/ingen");
    REQUIRE(res->status == 200);
    CHECK(json_of(res) == json{{"/a", 2}, {"/b", 1}, {"/ingen", 0}});
    check_problem(server.client().Get("/api/counts"), 422);
}

TEST_CASE("the same comment posted twice is 409") {
    TestServer server;
    post_ok(server, {{"thread", "/a"}, {"body", "Flott skrevet!"}});
    check_problem(server.post({{"thread", "/a"}, {"body", "  flott   SKREVET! "}}), 409);
    post_ok(server, {{"thread", "/b"}, {"body", "Flott skrevet!"}});  // another page is fine
}

TEST_CASE("a closed thread refuses comments with 403") {
    TestServer server;
    post_ok(server, {{"thread", "/stengt"}, {"body", "før"}});
    server.store.writer().run([](vokter::store::Connection& db) {
        vokter::store::set_thread_closed(db, "/stengt", true);
    });
    check_problem(server.post({{"thread", "/stengt"}, {"body", "etter"}}), 403);
}

TEST_CASE("flooding from one address is 429 with Retry-After") {
    http::ServerOptions options = TestServer::quiet_options();
    options.rate_limit_per_minute = 3;
    TestServer server(options);
    for (int i = 0; i < 3; ++i)
        post_ok(server, {{"thread", "/a"}, {"body", "nr " + std::to_string(i)}});
    const auto res = server.post({{"thread", "/a"}, {"body", "en for mye"}});
    check_problem(res, 429);
    const int retry = std::stoi(res->get_header_value("Retry-After"));
    CHECK(retry >= 1);
    CHECK(retry <= 20);
}

TEST_CASE("edits and deletions share the posting rate limit, wrong edit tokens too") {
    http::ServerOptions options = TestServer::quiet_options();
    options.rate_limit_per_minute = 4;
    TestServer server(options);
    const json created = json_of(server.post({{"thread", "/a"}, {"body", "utkast"}}));
    const std::string path = "/api/comments/" + std::to_string(created["id"].get<int>());
    const httplib::Headers token = {{"X-Edit-Token", created["edit_token"].get<std::string>()}};
    auto client = server.client();
    REQUIRE(client.Put(path, token, R"({"body":"utkast 2"})", "application/json")->status == 200);
    check_problem(
        client.Put(path, {{"X-Edit-Token", "gjett"}}, R"({"body":"x"})", "application/json"), 403);
    REQUIRE(client.Put(path, token, R"({"body":"utkast 3"})", "application/json")->status == 200);
    const auto limited = client.Put(path, token, R"({"body":"utkast 4"})", "application/json");
    check_problem(limited, 429);
    CHECK(std::stoi(limited->get_header_value("Retry-After")) >= 1);
    check_problem(client.Delete(path, token), 429);
    check_problem(server.post({{"thread", "/a"}, {"body", "nytt"}}), 429);
    CHECK(get_thread(server, "thread=/a")["comments"][0]["body"] == "utkast 3");
}

TEST_CASE("names with bidi controls or invisible characters are refused; emoji names are kept") {
    TestServer server;
    for (const char* name : {"Kari\u202Egnp.exe", "Kari\u2066Nordmann", "\u200B", "Ola\u00ADNord",
                             "\u3164", "Per\uFEFF"}) {
        CAPTURE(name);
        const auto res = server.post({{"thread", "/a"}, {"name", name}, {"body", "hei"}});
        check_problem(res, 422);
        const json doc = json_of(res);
        REQUIRE(doc["errors"].size() == 1);
        CHECK(doc["errors"][0]["field"] == "name");
        CHECK(doc["errors"][0]["message"].get<std::string>().find("U+") != std::string::npos);
    }
    // Joiners and variation selectors belong to real names and emoji: kept byte-exact.
    const std::string family =
        "Familien \U0001F468\u200D\U0001F469\u200D\U0001F467 \u2764\uFE0F Ram\u012B\u200Cn "
        "\U0001F3F4\U000E0067\U000E0062\U000E0073\U000E0063\U000E0074\U000E007F";
    post_ok(server, {{"thread", "/b"}, {"name", family}, {"body", "hei"}});
    CHECK(get_thread(server, "thread=/b")["comments"][0]["name"] == family);
}

TEST_CASE("the author can edit and delete within the window with the edit token") {
    TestServer server;
    const auto res = server.post({{"thread", "/a"}, {"body", "Førsteutkast"}, {"email", "a@b.no"}});
    const json created = json_of(res);
    const std::int64_t id = created["id"];
    const std::string token = created["edit_token"];
    const std::string path = "/api/comments/" + std::to_string(id);
    auto client = server.client();

    check_problem(
        client.Put(path, {{"X-Edit-Token", "feil"}}, R"({"body":"x"})", "application/json"), 403);
    check_problem(client.Put(path, R"({"body":"x"})", "application/json"), 403);
    check_problem(
        client.Put(path, {{"X-Edit-Token", token}}, R"({"email":"x@y.no"})", "application/json"),
        422);
    auto edited = client.Put(path, {{"X-Edit-Token", token}}, json{{"body", "Rettet: æøå"}}.dump(),
                             "application/json");
    REQUIRE(edited->status == 200);
    CHECK(json_of(edited)["status"] == "approved");
    json page = get_thread(server, "thread=/a");
    CHECK(page["comments"][0]["body"] == "Rettet: æøå");

    const auto reply = post_ok(server, {{"thread", "/a"}, {"body", "Et svar"}, {"parent", id}});
    check_problem(client.Delete(path, {{"X-Edit-Token", "feil"}}), 403);
    REQUIRE(client.Delete(path, {{"X-Edit-Token", token}})->status == 204);
    page = get_thread(server, "thread=/a");
    // The deleted comment stays as a placeholder so its reply keeps its place.
    REQUIRE(page["comments"].size() == 1);
    CHECK(page["comments"][0]["removed"] == true);
    CHECK_FALSE(page["comments"][0].contains("body"));
    CHECK(page["comments"][0]["replies"][0]["id"] == reply);
    check_problem(client.Delete(path, {{"X-Edit-Token", token}}), 404);
    {
        auto db = server.store.read();
        const auto stored = vokter::store::find_comment(*db, id);
        REQUIRE(stored);
        CHECK(stored->body.empty());
        CHECK(stored->email.empty());
        CHECK(stored->ip.empty());
    }
    check_problem(client.Delete("/api/comments/999999", {{"X-Edit-Token", token}}), 404);
}

TEST_CASE("edits are refused once the window has closed") {
    http::ServerOptions options = TestServer::quiet_options();
    options.policy.edit_window_seconds = 0;
    TestServer server(options);
    const json created = json_of(server.post({{"thread", "/a"}, {"body", "hei"}}));
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    const auto res =
        server.client().Put("/api/comments/" + std::to_string(created["id"].get<int>()),
                            {{"X-Edit-Token", created["edit_token"].get<std::string>()}},
                            R"({"body":"endret"})", "application/json");
    check_problem(res, 403);
    CHECK(res->body.find("run out") != std::string::npos);
}

TEST_CASE("CORS: configured origins get the headers, others do not") {
    http::ServerOptions options = TestServer::quiet_options();
    options.cors_origins = {"https://blogg.example"};
    TestServer server(options);
    auto client = server.client();
    const auto allowed = client.Get("/api/counts?thread=/a", {{"Origin", "https://blogg.example"}});
    CHECK(allowed->get_header_value("Access-Control-Allow-Origin") == "https://blogg.example");
    CHECK(allowed->get_header_value("Vary") == "Origin");
    const auto other =
        client.Get("/api/counts?thread=/a", {{"Origin", "https://ondsinnet.example"}});
    CHECK_FALSE(other->has_header("Access-Control-Allow-Origin"));
    const auto preflight = client.Options(
        "/api/comments",
        {{"Origin", "https://blogg.example"}, {"Access-Control-Request-Method", "POST"}});
    CHECK(preflight->status == 204);
    CHECK(preflight->get_header_value("Access-Control-Allow-Origin") == "https://blogg.example");
    CHECK(preflight->get_header_value("Access-Control-Allow-Methods").find("POST") !=
          std::string::npos);
    CHECK(preflight->get_header_value("Access-Control-Allow-Headers").find("Content-Type") !=
          std::string::npos);
    // Errors carry the CORS headers too, so the widget can read them.
    const auto error = client.Post("/api/comments", {{"Origin", "https://blogg.example"}}, "{",
                                   "application/json");
    CHECK(error->status == 400);
    CHECK(error->get_header_value("Access-Control-Allow-Origin") == "https://blogg.example");
}

TEST_CASE("CORS \"*\" allows any web site on the public API, never null nor moderator routes") {
    http::ServerOptions options = TestServer::quiet_options();
    options.cors_origins = {"*"};
    TestServer server(options);
    auto client = server.client();
    const auto site = client.Get("/api/counts?thread=/a", {{"Origin", "https://any.example"}});
    CHECK(site->get_header_value("Access-Control-Allow-Origin") == "https://any.example");
    const auto null = client.Get("/api/counts?thread=/a", {{"Origin", "null"}});
    CHECK(null->status == 200);
    CHECK_FALSE(null->has_header("Access-Control-Allow-Origin"));
    for (const char* path : {"/api/moderation/queue", "/api/rules", "/api/moderation/stats"}) {
        CAPTURE(path);
        const auto res = client.Get(path, {{"Origin", "https://any.example"},
                                           {"Authorization", "Bearer " + std::string(64, 'a')}});
        CHECK(res->status == 401);
        CHECK_FALSE(res->has_header("Access-Control-Allow-Origin"));
        const auto preflight =
            client.Options(path, {{"Origin", "https://any.example"},
                                  {"Access-Control-Request-Method", "GET"},
                                  {"Access-Control-Request-Headers", "authorization"}});
        CHECK_FALSE(preflight->has_header("Access-Control-Allow-Origin"));
    }
    const auto preflight = client.Options(
        "/api/comments/7",
        {{"Origin", "https://any.example"}, {"Access-Control-Request-Method", "PUT"}});
    CHECK(preflight->get_header_value("Access-Control-Allow-Origin") == "https://any.example");
    CHECK(preflight->get_header_value("Access-Control-Allow-Headers").find("Authorization") ==
          std::string::npos);
}

TEST_CASE("too many header fields are refused with 431") {
    TestServer server;
    httplib::Headers headers;
    for (int i = 0; i < 120; ++i)
        headers.emplace("X-Padding-" + std::to_string(i), "x");
    check_problem(server.client().Get("/api/counts?thread=/a", headers), 431);
}

TEST_CASE("unknown routes answer 404 as problem+json; health and metrics answer") {
    TestServer server;
    check_problem(server.client().Get("/api/finnes-ikke"), 404);
    const auto health = server.client().Get("/healthz");
    REQUIRE(health->status == 200);
    const json doc = json_of(health);
    CHECK(doc["status"] == "ok");
    CHECK(doc["schema_version"].get<int>() >= 1);
    CHECK(doc["ruleset_version"] == "approve-all");
    post_ok(server, {{"thread", "/a"}, {"body", "hei"}});
    const auto metrics = server.client().Get("/metrics");
    REQUIRE(metrics->status == 200);
    CHECK(metrics->body.find("vokter_comments_total{status=\"approved\"} 1") != std::string::npos);
    // The writer's own figures: the comment's batch, and its COMMIT's time.
    const auto value_of = [&](const std::string& series) {
        const auto at = metrics->body.find("\n" + series + " ");
        REQUIRE(at != std::string::npos);
        return std::stod(metrics->body.substr(at + series.size() + 2));
    };
    CHECK(value_of("vokter_store_batch_jobs_total") >= 1);
    CHECK(value_of("vokter_store_batches_total") >= 1);
    CHECK(value_of("vokter_store_writer_seconds_total{phase=\"commit\"}") > 0);
    CHECK(value_of("vokter_store_writer_seconds_total{phase=\"sync\"}") >= 0);
    CHECK(value_of("vokter_store_syncs_total") >= 0);
    CHECK(value_of("vokter_store_writer_seconds_total{phase=\"busy\"}") >=
          value_of("vokter_store_writer_seconds_total{phase=\"commit\"}"));
}

TEST_CASE("a form token issued for a thread verifies only for that thread") {
    TestServer server;
    const auto res = server.client().Get("/api/form-token?thread=/a");
    REQUIRE(res->status == 200);
    const std::string token = json_of(res)["form_token"];
    vokter::http::FormTokens tokens("test-form-key");
    CHECK(tokens.verify(token, "/a").has_value());
    CHECK_FALSE(tokens.verify(token, "/b").has_value());
    CHECK_FALSE(tokens.verify("123.abc", "/a").has_value());
}

TEST_CASE("X-Forwarded-For is believed only from a trusted proxy") {
    const auto stored_ip = [](TestServer& server, const httplib::Headers& headers) {
        const auto res = server.client().Post(
            "/api/comments", headers,
            json{{"thread", "/ip"}, {"body", "hei " + std::to_string(rand())}}.dump(),
            "application/json");
        REQUIRE(res->status == 201);
        auto db = server.store.read();
        return vokter::store::find_comment(*db, json_of(res)["id"].get<int>())->ip;
    };
    const httplib::Headers forwarded = {{"X-Forwarded-For", "198.51.100.7, 203.0.113.9"}};
    TestServer untrusted;
    CHECK(stored_ip(untrusted, forwarded) == "127.0.0.1");
    http::ServerOptions options = TestServer::quiet_options();
    options.trusted_proxies = {"127.0.0.1"};
    TestServer trusted(options);
    CHECK(stored_ip(trusted, forwarded) == "203.0.113.9");  // the address the proxy saw
    CHECK(stored_ip(trusted, {}) == "127.0.0.1");
}

TEST_CASE("a held comment is answered 202 pending, and a spam verdict is not revealed") {
    const char* rules = R"(version = "t1"
[thresholds]
hold = 5.0
spam = 10.0

[[rule]]
id = "HOLD_WORD"
description = "holds"
words = ["kasino"]
score = 6.0

[[rule]]
id = "SPAM_WORD"
description = "spam"
words = ["viagra"]
score = 12.0
)";
    auto loaded = vokter::core::load_ruleset(rules, "t.toml", nullptr);
    REQUIRE(loaded);
    TestServer server(TestServer::quiet_options(), loaded.value());
    const auto held = server.post({{"thread", "/h"}, {"body", "Beste kasino i Norge"}});
    REQUIRE(held->status == 202);
    CHECK(json_of(held)["status"] == "pending");
    const auto spam = server.post({{"thread", "/h"}, {"body", "Billig viagra"}});
    REQUIRE(spam->status == 202);
    CHECK(json_of(spam)["status"] == "pending");  // spammers learn nothing
    CHECK(json_of(server.client().Get("/api/comments?thread=/h"))["total"] == 0);
    auto db = server.store.read();
    CHECK(vokter::store::find_comment(*db, json_of(spam)["id"].get<int>())->status == "spam");
    const auto hits = vokter::store::comment_hits(*db, json_of(held)["id"].get<int>());
    REQUIRE(hits.size() == 1);
    CHECK(hits[0].rule == "HOLD_WORD");
}

TEST_CASE("an edit keeps the name and website it does not send, and changes those it does") {
    TestServer server;
    const json created = json_of(server.post({{"thread", "/a"},
                                              {"name", "Kari Østby"},
                                              {"website", "https://kari.example"},
                                              {"body", "Førsteutkast"}}));
    const std::string path = "/api/comments/" + std::to_string(created["id"].get<int>());
    const httplib::Headers token{{"X-Edit-Token", created["edit_token"].get<std::string>()}};
    auto client = server.client();
    REQUIRE(client.Put(path, token, R"({"body":"Bare teksten"})", "application/json")->status ==
            200);
    json shown = get_thread(server, "thread=/a")["comments"][0];
    CHECK(shown["name"] == "Kari Østby");
    CHECK(shown["website"] == "https://kari.example");
    CHECK(shown["body"] == "Bare teksten");
    REQUIRE(client
                .Put(path, token, R"({"body":"Og navnet","name":"Kari","website":""})",
                     "application/json")
                ->status == 200);
    shown = get_thread(server, "thread=/a")["comments"][0];
    CHECK(shown["name"] == "Kari");
    CHECK(shown["website"] == "");
}

TEST_CASE("a website is an http(s) address with a host name: no script hides in one") {
    using vokter::http::normalise_website;
    CHECK(normalise_website("kari.example.no") == "https://kari.example.no");
    CHECK(normalise_website("http://blåbær.no/side?a=1") == "http://blåbær.no/side?a=1");
    CHECK(normalise_website("https://kari.example.no:8443/x") == "https://kari.example.no:8443/x");
    for (const char* unsafe : {"javascript:alert(1)", "javascript:alert(document.cookie)",
                               "https://javascript:alert(document.cookie)",
                               "https://a.example:", "https://a.example:80x", "https://<b>.example",
                               "data:text/html,x", "https://user@a.example", "ftp://a.example"}) {
        CAPTURE(unsafe);
        CHECK_FALSE(normalise_website(unsafe));
    }
}
