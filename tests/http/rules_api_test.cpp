// The rules over the API: show, replace (valid, invalid, embedded), check with a dry run, reload.
// The server runs with app's RuleFile over a real rule file in a temporary folder, as serve does.

#include <doctest/doctest.h>

#include "app/rule_file.hpp"
#include "app/rule_file_control.hpp"
#include "http/moderation_fixture.hpp"

using namespace vokter;
using namespace vokter::test;
using json = nlohmann::json;

namespace {

std::string rule_file_text(const std::string& version, const std::string& extra_rules = "") {
    return "version = \"" + version + R"("
[thresholds]
hold = 5.0
spam = 10.0

[[rule]]
id = "KAKE"
description = "cake spam"
pattern = '(?i)kake'
score = 6.0
examples.match = ["Billig KAKE"]
examples.no_match = ["Takk for innlegget"]
)" + extra_rules;
}

const std::string kWaffleRule = R"(
[[rule]]
id = "VAFFEL"
description = "waffle spam"
pattern = '(?i)vaffel'
score = 6.0
examples.match = ["Vaffelhjerte"]
)";

const std::string kBrokenRules = R"(
[[rule]]
id = "BAD_ONE"
pattern = '(unclosed'
score = 1

[[rule]]
id = "BAD_TWO"
pattern = 'a{2,1}'
score = 1
)";

// A server whose rules come from a RuleFile: at `path`, or embedded when `path` is empty.
struct RulesServer {
    explicit RulesServer(bool embedded = false)
        : file(embedded ? "" : (dir / "rules.toml").string()),
          prepared(embedded || (write_file(file, rule_file_text("v1")), true)),
          store(store::StoreOptions{location(dir / "vokter.db"), store::Durability::normal}),
          rule_file(file),
          rules(core::approve_all_ruleset()),
          loaded(rule_file.reload(rules, wall_ms())),
          server(
              with_free_port(), store, rules, "key", [this] { return rule_file.status(); },
              app::rule_file_control(rule_file, rules)),
          token(add_moderator(store, "kari")) {
        REQUIRE(loaded);
        port = server.bind();
        thread = std::thread([this] { server.listen(); });
        while (!server.is_running())
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    ~RulesServer() {
        server.stop();
        thread.join();
    }

    static http::ServerOptions with_free_port() {
        auto options = TestServer::quiet_options();
        options.host = "127.0.0.1";
        options.port = 0;
        return options;
    }

    httplib::Client client() const {
        httplib::Client c("127.0.0.1", port);
        c.set_read_timeout(20);
        return c;
    }
    httplib::Headers auth() const { return {{"Authorization", "Bearer " + token}}; }
    httplib::Result put(const std::string& text) const {
        return client().Put("/api/rules", auth(), text, "application/toml");
    }
    httplib::Result check(const std::string& text, const std::string& query = "") const {
        return client().Post("/api/rules/check" + query, auth(), text, "application/toml");
    }
    json get_rules() const {
        const auto res = client().Get("/api/rules", auth());
        REQUIRE(res);
        REQUIRE(res->status == 200);
        return json_of(res);
    }
    json log() const { return json_of(client().Get("/api/moderation/log", auth()))["entries"]; }
    // Posts a comment through the public API; returns its status as stored.
    std::string post(const std::string& body) const {
        const auto res = client().Post(
            "/api/comments", json{{"thread", "/t"}, {"body", body}}.dump(), "application/json");
        REQUIRE(res);
        auto db = const_cast<store::Store&>(store).read();
        return store::find_comment(*db, json_of(res)["id"].get<std::int64_t>())->status;
    }

    TempDir dir;
    std::string file;
    bool prepared;
    store::Store store;
    app::RuleFile rule_file;
    core::ActiveRuleset rules;
    bool loaded;
    http::Server server;
    std::string token;
    int port = 0;
    std::thread thread;
};

void check_invalid(const httplib::Result& res) {
    REQUIRE(res);
    CHECK(res->status == 422);
    const json doc = json_of(res);
    REQUIRE(doc["errors"].size() == 2);
    for (const auto& e : doc["errors"])
        CHECK(e["field"] == "rules");
    CHECK(doc["errors"][0]["message"].get<std::string>().find("BAD_ONE") != std::string::npos);
    CHECK(doc["errors"][1]["message"].get<std::string>().find("BAD_TWO") != std::string::npos);
    // "where: message", where names the file, line and rule.
    CHECK(doc["errors"][0]["message"].get<std::string>().find(":") != std::string::npos);
}

}  // namespace

TEST_CASE("GET /api/rules shows the rules in force and the file's text") {
    RulesServer s;
    const json doc = s.get_rules();
    CHECK(doc["version"] == "v1");
    CHECK(doc["source"] == "file");
    CHECK(doc["path"] == s.file);
    CHECK(doc["editable"] == true);
    CHECK(doc["text"] == rule_file_text("v1"));
    CHECK(doc["rule_count"] == 1);
    CHECK(doc["rules"][0]["id"] == "KAKE");
    CHECK(!doc["loaded_at"].is_null());
    CHECK(doc["last_error"].is_null());
}

TEST_CASE("PUT /api/rules with a valid file puts it in force, writes it, keeps a backup") {
    RulesServer s;
    CHECK(s.post("Vaffelhjerte til alle") == "approved");
    const std::string next = rule_file_text("v2", kWaffleRule);
    const auto res = s.put(next);
    REQUIRE(res);
    REQUIRE_MESSAGE(res->status == 200, res->body);
    CHECK(json_of(res)["version"] == "v2");
    CHECK(json_of(res)["previous_version"] == "v1");
    CHECK(read_file(s.file) == next);
    CHECK(read_file(s.file + ".bak") == rule_file_text("v1"));
    CHECK(!std::filesystem::exists(s.file + ".tmp"));
    CHECK(s.get_rules()["version"] == "v2");
    CHECK(s.post("Vaffelhjerte igjen") == "pending");  // the new rule holds it at once

    const json entry = s.log()[0];
    CHECK(entry["action"] == "rules.replace");
    CHECK(entry["moderator"] == "kari");
    CHECK(entry["comment"].is_null());
    CHECK(entry["old_version"] == "v1");
    CHECK(entry["new_version"] == "v2");
}

TEST_CASE("PUT /api/rules with an invalid file lists every error and the old rules stay") {
    RulesServer s;
    check_invalid(s.put(rule_file_text("v2", kBrokenRules)));
    CHECK(s.get_rules()["version"] == "v1");
    CHECK(read_file(s.file) == rule_file_text("v1"));
    CHECK(!std::filesystem::exists(s.file + ".bak"));
    CHECK(s.post("Kake til salgs") == "pending");  // v1 still scores
    CHECK(s.log().empty());

    const auto syntax = s.put("version = \"v3\"\n[[rule]\n");
    REQUIRE(syntax);
    CHECK(syntax->status == 422);
}

TEST_CASE("on the embedded rules, PUT is refused with 409 and how to fix it") {
    RulesServer s(true);
    const json doc = s.get_rules();
    CHECK(doc["source"] == "embedded");
    CHECK(doc["path"].is_null());
    CHECK(doc["editable"] == false);
    CHECK(doc["text"].get<std::string>().find("[[rule]]") != std::string::npos);
    const auto res = s.put(rule_file_text("v2"));
    REQUIRE(res);
    CHECK(res->status == 409);
    CHECK(json_of(res)["detail"].get<std::string>().find("--rules FILE") != std::string::npos);
    // Checking still works, with the embedded lists.
    const auto check = s.check(doc["text"].get<std::string>());
    REQUIRE(check);
    CHECK_MESSAGE(check->status == 200, check->body);
}

TEST_CASE("POST /api/rules/check validates and re-scores without activating") {
    RulesServer s;
    for (const char* body :
         {"Vaffelhjerte!", "Nydelig vaffel", "Takk for oppskriften", "Kake og vaffel"}) {
        s.post(body);
    }
    const auto res = s.check(rule_file_text("v2", kWaffleRule), "?rescore=10");
    REQUIRE(res);
    REQUIRE_MESSAGE(res->status == 200, res->body);
    const json doc = json_of(res);
    CHECK(doc["valid"] == true);
    CHECK(doc["version"] == "v2");
    CHECK(doc["rule_count"] == 2);
    const json& rescore = doc["rescore"];
    CHECK(rescore["compared_with"] == "v1");
    CHECK(rescore["rescored"] == 4);
    // The two waffle comments are held now; "Kake og vaffel" scores 12 and becomes spam.
    CHECK(rescore["changed"] == 3);
    CHECK(rescore["transitions"] == json{{"approve->hold", 2}, {"hold->spam", 1}});
    REQUIRE(rescore["examples"].size() == 3);
    const json& newest = rescore["examples"][0];
    CHECK(newest["excerpt"] == "Kake og vaffel");
    CHECK(newest["before"]["action"] == "hold");
    CHECK(newest["after"]["action"] == "spam");
    CHECK(newest["after"]["score"] == 12.0);
    CHECK(rescore["examples"][1]["before"]["action"] == "approve");
    CHECK(rescore["examples"][1]["after"]["action"] == "hold");
    CHECK(rescore["examples"][1]["after"]["hits"][0]["rule"] == "VAFFEL");

    // Nothing changed.
    CHECK(s.get_rules()["version"] == "v1");
    CHECK(read_file(s.file) == rule_file_text("v1"));
    CHECK(s.log().empty());
    check_invalid(s.check(rule_file_text("v2", kBrokenRules)));
    const auto bad = s.check(rule_file_text("v2"), "?rescore=lots");
    REQUIRE(bad);
    CHECK(bad->status == 422);
}

TEST_CASE("POST /api/rules/reload reads the file again; a broken file leaves the rules") {
    RulesServer s;
    write_file(s.file, rule_file_text("v3", kWaffleRule));
    const auto ok = s.client().Post("/api/rules/reload", s.auth(), "", "text/plain");
    REQUIRE(ok);
    REQUIRE_MESSAGE(ok->status == 200, ok->body);
    CHECK(json_of(ok)["version"] == "v3");
    CHECK(s.log()[0]["action"] == "rules.reload");
    CHECK(s.log()[0]["old_version"] == "v1");
    CHECK(s.log()[0]["new_version"] == "v3");

    write_file(s.file, rule_file_text("v4", kBrokenRules));
    const auto bad = s.client().Post("/api/rules/reload", s.auth(), "", "text/plain");
    REQUIRE(bad);
    CHECK(bad->status == 422);
    CHECK(json_of(bad)["errors"].size() == 2);
    const json doc = s.get_rules();
    CHECK(doc["version"] == "v3");
    CHECK(doc["last_error"].get<std::string>().find("BAD_ONE") != std::string::npos);
    CHECK(s.log().size() == 1);
}

TEST_CASE("a rule file nested 31,500 levels deep is refused by check and PUT; nothing is written") {
    RulesServer s;
    std::string key = "a";
    for (int i = 1; i < 31500; ++i)
        key += ".a";
    const std::string deep = "version = \"deep\"\n" + key + " = 1\n";
    const std::string deep_inline =
        "version = \"deep\"\nx = " + std::string(20000, '[') + std::string(20000, ']') + "\n";
    for (const std::string& text : {deep, deep_inline}) {
        for (const auto& res : {s.check(text), s.put(text)}) {
            REQUIRE(res);  // the worker thread survived
            CHECK(res->status == 422);
            const json doc = json_of(res);
            REQUIRE(doc["errors"].size() == 1);
            const std::string message = doc["errors"][0]["message"];
            CHECK_MESSAGE(message.find("nested deeper than 32 levels") != std::string::npos,
                          message);
            CHECK(message.find(":2:") != std::string::npos);  // file:line:col
        }
    }
    CHECK(read_file(s.file) == rule_file_text("v1"));  // PUT wrote nothing: restarts are safe
    CHECK(s.get_rules()["version"] == "v1");
}
