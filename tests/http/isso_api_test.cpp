// The Isso-compatible API on a real server on loopback: every call Isso's client 0.14 makes
// (GET /config, GET /, POST /new, GET|PUT|DELETE /id/N, POST /preview, POST /count), its edit
// cookie, its CORS with credentials, and Markdown rendered to safe HTML. (The client itself runs
// against `vokter serve` in tests/browser/isso.test.js.)

#include <doctest/doctest.h>

#include <string>

#include "core/rule_set.hpp"
#include "http/isso/isso_codecs.hpp"
#include "http/isso/markdown.hpp"
#include "store/comment_repository.hpp"
#include "store/moderation_repository.hpp"
#include "test_server.hpp"

namespace {

using nlohmann::json;
using vokter::test::json_of;
using vokter::test::TestServer;

constexpr const char* kJson = "application/json";

httplib::Result post_new(const TestServer& server, const json& doc,
                         const std::string& uri = "/blogg/innlegg/") {
    std::string query;
    for (const char c : uri)
        query += c == '/' ? std::string("%2F") : std::string(1, c);
    return server.client().Post("/isso/new?uri=" + query, doc.dump(), kJson);
}

// "isso-edit-N=TOKEN" from the answer's Set-Cookie, as the browser sends it back.
std::string edit_cookie(const httplib::Result& res) {
    const std::string set = res->get_header_value("Set-Cookie");
    return set.substr(0, set.find(';'));
}

json fetch(const TestServer& server, const std::string& query) {
    const auto res = server.client().Get("/isso/?" + query);
    REQUIRE(res);
    REQUIRE(res->status == 200);
    return json_of(res);
}

vokter::core::RulesetPtr holding_rules() {
    auto loaded = vokter::core::load_ruleset(R"(version = "isso-test.1"
[thresholds]
hold = 5.0
spam = 10.0

[[rule]]
id = "HOLD_WORD"
description = "holds"
words = ["venteliste"]
score = 6.0
)",
                                             "t.toml", nullptr);
    REQUIRE(loaded);
    return loaded.value();
}

}  // namespace

TEST_CASE("Isso: /config turns off what Vokter does not keep; GET / of an empty thread") {
    TestServer server;
    const auto config = server.client().Get("/isso/config");
    REQUIRE(config->status == 200);
    const json doc = json_of(config)["config"];
    CHECK(doc["vote"] == false);
    CHECK(doc["reply-notifications"] == false);
    CHECK(doc["gravatar"] == false);
    CHECK(doc["feed"] == false);
    const json empty = fetch(server, "uri=%2Fingen&sort=oldest&offset=0&nested_limit=5");
    CHECK(empty["id"].is_null());
    CHECK(empty["total_replies"] == 0);
    CHECK(empty["replies"] == json::array());
}

TEST_CASE("Isso: a posted comment is stored byte-exact and shown escaped and rendered") {
    TestServer server;
    const auto created = post_new(server, {{"author", "Kari <b>Østby</b>"},
                                           {"email", "kari@example.no"},
                                           {"website", "https://kari.example.no/?a=1&b=2"},
                                           {"text", "Blåbær **æøå** 😀\nny linje"},
                                           {"parent", nullptr},
                                           {"title", "Innlegget"},
                                           {"notification", 0}});
    REQUIRE(created->status == 201);
    const json c = json_of(created);
    CHECK(c["mode"] == 1);
    CHECK(c["author"] == "Kari &lt;b&gt;Østby&lt;/b&gt;");
    CHECK(c["website"] == "https://kari.example.no/?a=1&amp;b=2");
    CHECK(c["text"] == "<p>Blåbær <strong>æøå</strong> 😀<br />\nny linje</p>");
    CHECK(c["parent"].is_null());
    CHECK(c["hash"].get<std::string>().size() == 12);
    CHECK(created->body.find("kari@example.no") == std::string::npos);
    CHECK(created->body.find("127.0.0.1") == std::string::npos);
    // The edit cookie for Vokter's origin, and the page's marker the client looks for.
    const std::string set = created->get_header_value("Set-Cookie");
    CHECK(set.rfind("isso-edit-" + std::to_string(c["id"].get<int>()) + "=", 0) == 0);
    CHECK(set.find("HttpOnly") != std::string::npos);
    CHECK(set.find("Path=/isso") != std::string::npos);
    CHECK(set.find("Max-Age=900") != std::string::npos);
    CHECK(created->get_header_value("X-Set-Cookie") ==
          "isso-" + std::to_string(c["id"].get<int>()) + "=1; Max-Age=900; Path=/; SameSite=Lax");

    auto db = server.store.read();
    const auto stored = vokter::store::find_comment(*db, c["id"].get<int>());
    REQUIRE(stored);
    CHECK(stored->body == "Blåbær **æøå** 😀\nny linje");
    CHECK(stored->name == "Kari <b>Østby</b>");
    CHECK(stored->email == "kari@example.no");
    CHECK(stored->thread == "/blogg/innlegg");
    const auto thread = vokter::store::find_thread(*db, "/blogg/innlegg");
    REQUIRE(thread);
    CHECK(thread->title == "Innlegget");

    // The same thread through the native API: one comment, whatever the trailing slash.
    CHECK(json_of(server.client().Get("/api/comments?thread=/blogg/innlegg"))["total"] == 1);
}

TEST_CASE("Isso: GET / nests replies of any depth under their top-level comment") {
    TestServer server;
    const auto id = [&](const json& doc) {
        const auto res = post_new(server, doc);
        REQUIRE(res->status == 201);
        return json_of(res)["id"].get<int>();
    };
    const int first = id({{"author", "Kari"}, {"text", "Første"}});
    const int reply = id({{"author", "Ola"}, {"text", "Svar"}, {"parent", first}});
    const int deeper = id({{"author", "Per"}, {"text", "Svar på svar"}, {"parent", reply}});
    const int second = id({{"author", "Siri"}, {"text", "Andre"}});
    id({{"author", "Liv"}, {"text", "Svar to"}, {"parent", first}});

    const json all = fetch(server, "uri=%2Fblogg%2Finnlegg&sort=oldest&offset=0&nested_limit=5");
    CHECK(all["total_replies"] == 5);
    REQUIRE(all["replies"].size() == 2);
    const json& top = all["replies"][0];
    CHECK(top["id"] == first);
    CHECK(top["total_replies"] == 3);
    CHECK(top["hidden_replies"] == 0);
    REQUIRE(top["replies"].size() == 3);
    CHECK(top["replies"][0]["id"] == reply);
    CHECK(top["replies"][1]["id"] == deeper);
    CHECK(top["replies"][1]["parent"] == reply);  // the client puts it under its parent
    CHECK(all["replies"][1]["id"] == second);

    // Isso's paging: the first reply only, then the rest through `parent`.
    const json some = fetch(server, "uri=%2Fblogg%2Finnlegg&sort=oldest&offset=0&nested_limit=1");
    CHECK(some["replies"][0]["replies"].size() == 1);
    CHECK(some["replies"][0]["hidden_replies"] == 2);
    const json more =
        fetch(server, "uri=%2Fblogg%2Finnlegg&sort=oldest&parent=" + std::to_string(first) +
                          "&offset=1&limit=5");
    CHECK(more["id"] == first);
    REQUIRE(more["replies"].size() == 2);
    CHECK(more["replies"][0]["id"] == deeper);
    CHECK(more["hidden_replies"] == 0);
    const json newest = fetch(server, "uri=%2Fblogg%2Finnlegg&sort=newest&limit=1");
    CHECK(newest["replies"].size() == 1);
    CHECK(newest["replies"][0]["id"] == second);
    CHECK(newest["hidden_replies"] == 1);
    const json plain = fetch(server, "uri=%2Fblogg%2Finnlegg&plain=1");
    CHECK(plain["replies"][0]["text"] == "Første");

    // POST /count: the approved comments of each thread, in the order asked.
    const auto counts = server.client().Post(
        "/isso/count", json::array({"/blogg/innlegg/", "/annet", "ikke en sti"}).dump(), kJson);
    REQUIRE(counts->status == 200);
    CHECK(json_of(counts) == json::array({5, 0, 0}));
}

TEST_CASE("Isso: a held comment is queued (mode 2), seen only by its author until approved") {
    TestServer server(TestServer::quiet_options(), holding_rules());
    const auto held = post_new(server, {{"author", "Liv"}, {"text", "Sett meg på venteliste"}});
    REQUIRE(held->status == 202);
    const json c = json_of(held);
    CHECK(c["mode"] == 2);
    const std::string path = "/isso/id/" + std::to_string(c["id"].get<int>());
    CHECK(fetch(server, "uri=%2Fblogg%2Finnlegg")["total_replies"] == 0);
    CHECK(server.client().Get(path)->status == 404);
    const auto own = server.client().Get(path + "?plain=1", {{"Cookie", edit_cookie(held)}});
    REQUIRE(own->status == 200);
    CHECK(json_of(own)["mode"] == 2);
    CHECK(json_of(own)["text"] == "Sett meg på venteliste");

    server.store.writer().run([&](vokter::store::Connection& db) {
        return vokter::store::apply_decision(db, c["id"].get<int>(),
                                             vokter::store::Decision::approve, "kari", "", 0)
            .ok;
    });
    const json after = fetch(server, "uri=%2Fblogg%2Finnlegg");
    REQUIRE(after["replies"].size() == 1);
    CHECK(after["replies"][0]["mode"] == 1);
    CHECK(server.client().Get(path)->status == 200);
}

TEST_CASE("Isso: the author edits and deletes through the edit cookie; others cannot") {
    TestServer server;
    const auto created = post_new(server, {{"author", "Kari"}, {"text", "Førsteutkast"}});
    REQUIRE(created->status == 201);
    const int id = json_of(created)["id"].get<int>();
    const std::string path = "/isso/id/" + std::to_string(id);
    const httplib::Headers mine{{"Cookie", "annen=1; " + edit_cookie(created)}};

    CHECK(server.client().Put(path, json{{"text", "Rettet"}}.dump(), kJson)->status == 403);
    CHECK(server.client()
              .Put(path, {{"Cookie", "isso-edit-" + std::to_string(id) + "=gjettet"}},
                   json{{"text", "Rettet"}}.dump(), kJson)
              ->status == 403);
    // A form on another site cannot send JSON without a preflight: other types are refused.
    CHECK(server.client()
              .Put(path, mine, "text=Rettet", "application/x-www-form-urlencoded")
              ->status == 403);
    const auto edited =
        server.client().Put(path, mine, json{{"text", "Rettet *nå*"}}.dump(), kJson);
    REQUIRE(edited->status == 200);
    CHECK(json_of(edited)["text"] == "<p>Rettet <em>nå</em></p>");
    CHECK_FALSE(json_of(edited)["modified"].is_null());
    CHECK(json_of(edited)["author"] == "Kari");  // not given: kept
    CHECK(fetch(server, "uri=%2Fblogg%2Finnlegg&plain=1")["replies"][0]["text"] == "Rettet *nå*");

    // A reply keeps the deleted comment's place: the answer is the comment in mode 4.
    const auto reply = post_new(server, {{"author", "Ola"}, {"text", "Svar"}, {"parent", id}});
    REQUIRE(reply->status == 201);
    CHECK(server.client().Delete(path)->status == 403);
    const auto removed = server.client().Delete(path, mine);
    REQUIRE(removed->status == 200);
    CHECK(json_of(removed)["mode"] == 4);
    CHECK(removed->get_header_value("X-Set-Cookie").find("Max-Age=0") != std::string::npos);
    const json page = fetch(server, "uri=%2Fblogg%2Finnlegg");
    REQUIRE(page["replies"].size() == 1);
    CHECK(page["replies"][0]["mode"] == 4);
    CHECK(page["replies"][0]["text"] == "");
    CHECK(page["replies"][0]["author"].is_null());
    // Without replies the answer is null: the client removes the comment.
    const std::string reply_path = "/isso/id/" + std::to_string(json_of(reply)["id"].get<int>());
    const auto gone = server.client().Delete(reply_path, {{"Cookie", edit_cookie(reply)}});
    REQUIRE(gone->status == 200);
    CHECK(gone->body == "null");
    CHECK(server.client().Put(path, mine, json{{"text", "Igjen"}}.dump(), kJson)->status == 404);
}

TEST_CASE("Isso: the edit window closes the cookie's rights") {
    vokter::http::ServerOptions options = TestServer::quiet_options();
    options.policy.edit_window_seconds = 0;
    TestServer server(options);
    const auto created = post_new(server, {{"text", "Kort vindu"}});
    REQUIRE(created->status == 201);
    CHECK(created->get_header_value("Set-Cookie").find("Max-Age=0") != std::string::npos);
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    const std::string path = "/isso/id/" + std::to_string(json_of(created)["id"].get<int>());
    const auto late = server.client().Put(path, {{"Cookie", edit_cookie(created)}},
                                          json{{"text", "For sent"}}.dump(), kJson);
    REQUIRE(late->status == 403);
    CHECK(late->body.find("run out") != std::string::npos);
}

TEST_CASE("Isso: Markdown becomes safe HTML: no script, no javascript: link, no foreign image") {
    using vokter::http::render_markdown;
    const std::string hostile =
        "<script>alert(1)</script>\n\n[klikk](javascript:alert(1)) "
        "[data](data:text/html;base64,PHNjcmlwdD4=) [png](DATA:image/png;base64,iVBORw0KGgo=) "
        "![png](data:image/png;base64,iVBORw0KGgo=) <img src=x onerror=alert(1)> "
        "![bilde](https://sporing.example/p.gif) <a href=\"javascript:alert(2)\">a</a>";
    const std::string html = render_markdown(hostile);
    CHECK(html.find("<script") == std::string::npos);
    CHECK(html.find("javascript:") == std::string::npos);
    CHECK(html.find("data:") == std::string::npos);
    CHECK(html.find("DATA:") == std::string::npos);
    CHECK(html.find("<img") == std::string::npos);
    CHECK(html.find("onerror") == std::string::npos);
    CHECK(html.find("<a rel=\"nofollow noopener ugc\" href=\"https://sporing.example/p.gif\">"
                    "bilde</a>") != std::string::npos);
    CHECK(render_markdown("*æøå* `kode` > sitat") ==
          "<p><em>æøå</em> <code>kode</code> &gt; sitat</p>");
    CHECK(render_markdown("> sitat\n\n- en\n- to") ==
          "<blockquote>\n<p>sitat</p>\n</blockquote>\n<ul>\n<li>en</li>\n<li>to</li>\n</ul>");

    TestServer server;
    const auto preview =
        server.client().Post("/isso/preview", json{{"text", hostile}}.dump(), kJson);
    REQUIRE(preview->status == 200);
    CHECK(json_of(preview)["text"] == html);
    const auto created = post_new(server, {{"text", hostile}});
    REQUIRE(created->status == 201);
    CHECK(json_of(created)["text"] == html);
}

TEST_CASE("Isso: a website that is no http(s) address is never sent (the client links it)") {
    vokter::http::IssoComment c;
    c.id = 1;
    c.text = "hei";
    for (const char* unsafe : {"javascript:alert(1)", "JAVASCRIPT:alert(1)", "data:text/html,x",
                               "//annen.example", "vbscript:x"}) {
        c.website = unsafe;
        CHECK(vokter::http::isso_comment_json(c, "k")["website"].is_null());
    }
    c.website = "HTTPS://kari.example.no/?a=\"b\"";
    CHECK(vokter::http::isso_comment_json(c, "k")["website"] ==
          "HTTPS://kari.example.no/?a=&quot;b&quot;");
}

TEST_CASE("Isso: CORS with credentials for origins listed by name, never for *") {
    vokter::http::ServerOptions options = TestServer::quiet_options();
    options.cors_origins = {"https://blogg.example.no", "*"};
    TestServer server(options);
    const auto listed =
        server.client().Get("/isso/config", {{"Origin", "https://blogg.example.no"}});
    CHECK(listed->get_header_value("Access-Control-Allow-Origin") == "https://blogg.example.no");
    CHECK(listed->get_header_value("Access-Control-Allow-Credentials") == "true");
    CHECK(listed->get_header_value("Access-Control-Expose-Headers") == "X-Set-Cookie, Date");
    const auto any = server.client().Get("/isso/config", {{"Origin", "https://annen.example"}});
    CHECK_FALSE(any->has_header("Access-Control-Allow-Origin"));
    CHECK_FALSE(any->has_header("Access-Control-Allow-Credentials"));
    // The preflight the client's JSON requests need, errors included.
    httplib::Request preflight;
    preflight.method = "OPTIONS";
    preflight.path = "/isso/new?uri=%2Fa";
    preflight.headers = {{"Origin", "https://blogg.example.no"},
                         {"Access-Control-Request-Method", "POST"},
                         {"Access-Control-Request-Headers", "content-type"}};
    const auto answer = server.client().send(preflight);
    REQUIRE(answer);
    CHECK(answer->status == 204);
    CHECK(answer->get_header_value("Access-Control-Allow-Methods") == "GET, POST, PUT, DELETE");
    CHECK(answer->get_header_value("Access-Control-Allow-Headers") == "Content-Type");
    CHECK(answer->get_header_value("Access-Control-Allow-Credentials") == "true");
    const auto bad =
        server.client().Get("/isso/?sort=oldest", {{"Origin", "https://blogg.example.no"}});
    CHECK(bad->status == 400);
    CHECK(bad->get_header_value("Access-Control-Allow-Origin") == "https://blogg.example.no");
}

TEST_CASE("Isso: bad requests get clear errors and store nothing") {
    TestServer server;
    CHECK(server.client().Post("/isso/new", json{{"text", "Ingen tråd"}}.dump(), kJson)->status ==
          400);
    CHECK(server.client().Post("/isso/new?uri=%2Fa", "{ikke json", kJson)->status == 400);
    CHECK(server.client().Post("/isso/new?uri=%2Fa", "[1]", kJson)->status == 400);
    CHECK(post_new(server, {{"author", "Uten tekst"}})->status == 422);
    CHECK(post_new(server, {{"text", 5}})->status == 422);
    CHECK(post_new(server, {{"text", std::string(10001, 'a')}})->status == 422);
    CHECK(post_new(server, {{"text", "Svar"}, {"parent", 999}})->status == 404);
    CHECK(server.client().Post("/isso/new?uri=%2Fa", "{\"text\":\"\xff\xfe\"}", kJson)->status ==
          400);
    CHECK(server.client().Post("/isso/new?uri=%2Fa", "text=hei", "text/plain")->status == 403);
    CHECK(server.client().Get("/isso/?uri=%2Fa&sort=tilfeldig")->status == 400);
    CHECK(server.client().Get("/isso/?uri=%2Fa&limit=-1")->status == 400);
    CHECK(server.client().Get("/isso/?uri=%2Fa&offset=x")->status == 400);
    CHECK(server.client().Get("/isso/id/999")->status == 404);
    CHECK(server.client().Post("/isso/count", "{}", kJson)->status == 400);
    CHECK(server.client().Post("/isso/id/1/like", "", kJson)->status == 404);
    auto db = server.store.read();
    auto& stmt = db->prepare("SELECT count(*) FROM comments");
    REQUIRE(stmt.step());
    CHECK(stmt.int64(0) == 0);
    stmt.reset();
}

TEST_CASE("Isso: another prefix, or none") {
    vokter::http::ServerOptions moved = TestServer::quiet_options();
    moved.isso_prefix = "/kommentarer/isso";
    TestServer server(moved);
    CHECK(server.client().Get("/kommentarer/isso/config")->status == 200);
    CHECK(server.client().Get("/isso/config")->status == 404);
    CHECK(server.client().Get("/kommentarer/isso/css/isso.css")->status == 200);
    vokter::http::ServerOptions off = TestServer::quiet_options();
    off.isso_prefix = "";
    TestServer none(off);
    CHECK(none.client().Get("/isso/config")->status == 404);
}
