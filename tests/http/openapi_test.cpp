// GET /openapi.json against the router it describes, on a real server on loopback: every route
// documented and nothing else, moderator routes with the bearer scheme, errors through the one
// problem+json component.

#include <doctest/doctest.h>

#include <set>
#include <string>

#include "http/test_server.hpp"

using vokter::test::json_of;
using vokter::test::TestServer;
using json = nlohmann::json;
namespace http = vokter::http;

namespace {

constexpr const char* kProblemSchema = "#/components/schemas/Problem";
constexpr const char* kResponsesPrefix = "#/components/responses/";

// The HTTP methods an OpenAPI path item may name, as its keys spell them.
const std::set<std::string> kMethods = {"get",     "put",  "post",  "delete",
                                        "options", "head", "patch", "trace"};

// The value at JSON pointer `pointer` in `doc`, or null when there is none (a const
// operator[] on a missing key would abort the test run instead of failing a check).
json at(const json& doc, const std::string& pointer) {
    const json::json_pointer where(pointer);
    return doc.contains(where) ? doc.at(where) : json();
}

std::string upper(std::string text) {
    for (char& c : text)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return text;
}

json fetch_document(const TestServer& server) {
    const auto res = server.client().Get("/openapi.json");
    REQUIRE(res);
    REQUIRE_MESSAGE(res->status == 200, res->body);
    CHECK(res->get_header_value("Content-Type") == "application/json; charset=utf-8");
    const json doc = json::parse(res->body, nullptr, false);
    REQUIRE_FALSE(doc.is_discarded());
    REQUIRE(doc.is_object());
    REQUIRE(doc.contains("paths"));
    REQUIRE(doc["paths"].is_object());
    REQUIRE(doc.contains("components"));
    return doc;
}

// "GET /api/comments/{id}" for each operation of the document.
std::set<std::string> documented_operations(const json& doc) {
    std::set<std::string> operations;
    for (auto path = doc["paths"].begin(); path != doc["paths"].end(); ++path) {
        for (auto method = path->begin(); method != path->end(); ++method) {
            if (kMethods.contains(method.key()))
                operations.insert(upper(method.key()) + " " + path.key());
        }
    }
    return operations;
}

// The same for each route of the router, but its CORS preflights. Those are OPTIONS routes on
// a wildcard (`/api/*`, `ISSO_PREFIX/*`) that browsers call before a cross-origin request; no
// client calls them as an operation, and `*` is no OpenAPI path template (which can only name
// whole segments), so the document mentions them in prose and lists none. They are the only
// routes left out: `exempt` gets them, for the caller to check that nothing else was.
std::set<std::string> routed_operations(const TestServer& server, std::set<std::string>& exempt) {
    std::set<std::string> operations;
    for (const http::RouteName& route : server.server.routes()) {
        const std::string operation = route.method + " " + route.route;
        if (route.method == "OPTIONS") {
            exempt.insert(operation);
        } else {
            operations.insert(operation);
        }
    }
    return operations;
}

// Every routed operation is documented and every documented one is routed.
void check_matches_router(const TestServer& server, const json& doc) {
    std::set<std::string> exempt;
    const std::set<std::string> routed = routed_operations(server, exempt);
    const std::set<std::string> documented = documented_operations(doc);
    CHECK(routed.size() > 30);
    for (const std::string& operation : routed)
        CHECK_MESSAGE(documented.contains(operation), "not documented: " << operation);
    for (const std::string& operation : documented)
        CHECK_MESSAGE(routed.contains(operation), "documented but not routed: " << operation);
    for (const std::string& operation : exempt)
        CHECK_MESSAGE(operation.ends_with("/*"),
                      "an OPTIONS route that is no preflight: " << operation);
}

// The path `template_path` names with a made-up id: "/api/comments/{id}" -> "/api/comments/1".
std::string concrete(std::string template_path) {
    const auto brace = template_path.find("{id}");
    if (brace != std::string::npos) template_path.replace(brace, 4, "1");
    return template_path;
}

// Asks `method path` without a token, with an empty JSON object for a body where one is read.
httplib::Result ask_without_token(const TestServer& server, const std::string& method,
                                  const std::string& path) {
    auto client = server.client();
    if (method == "get") return client.Get(path);
    if (method == "post") return client.Post(path, "{}", "application/json");
    if (method == "put") return client.Put(path, "{}", "application/json");
    return client.Delete(path);
}

// The response object `response` stands for: itself, or the component its $ref names (empty
// when it names none of the document's).
json resolved(const json& doc, const json& response) {
    if (!response.contains("$ref")) return response;
    const std::string ref = response["$ref"];
    if (!ref.starts_with(kResponsesPrefix)) return json();
    const json components = doc["components"].value("responses", json::object());
    return components.value(ref.substr(std::string(kResponsesPrefix).size()), json());
}

void check_problem_responses(const json& doc) {
    int checked = 0;
    for (auto path = doc["paths"].begin(); path != doc["paths"].end(); ++path) {
        // The Akismet API answers text/plain, never problem+json, as the real service does.
        const bool akismet = path.key().starts_with("/1.1/");
        for (auto method = path->begin(); method != path->end(); ++method) {
            const std::string operation = upper(method.key()) + " " + path.key();
            const json responses = method.value().value("responses", json::object());
            for (auto status = responses.begin(); status != responses.end(); ++status) {
                const bool error = status.key().starts_with("4") || status.key().starts_with("5") ||
                                   status.key() == "default";
                if (!error) continue;
                const json response = resolved(doc, status.value());
                REQUIRE_MESSAGE(response.is_object(),
                                operation << " " << status.key() << ": a $ref to nothing");
                const json content = response.value("content", json::object());
                if (akismet) {
                    CHECK_MESSAGE(content.size() == 1, operation << " " << status.key());
                    CHECK_MESSAGE(content.contains("text/plain"), operation << " " << status.key());
                    continue;
                }
                ++checked;
                CHECK_MESSAGE(content.contains("application/problem+json"),
                              operation << " " << status.key());
                CHECK_MESSAGE(
                    at(content, "/application~1problem+json/schema/$ref") == kProblemSchema,
                    operation << " " << status.key());
                if (status.value().contains("$ref")) {
                    CHECK_MESSAGE(content.size() == 1, operation << " " << status.key());
                } else {
                    // /healthz's 503 is its own health document while writes fail, and a
                    // problem when the database cannot be read at all: the one response that
                    // has two bodies, so it cannot be a shared one.
                    CHECK_MESSAGE(operation + " " + status.key() == "GET /healthz 503",
                                  operation << " " << status.key()
                                            << ": not a $ref to a components response");
                }
            }
        }
    }
    CHECK(checked > 100);
}

// The Problem schema names what Problem::to_json writes, as a real 422 shows it.
void check_problem_schema(const TestServer& server, const json& doc) {
    const json schema = at(doc, "/components/schemas/Problem");
    const auto res = server.post({{"thread", "/blogg"}});  // no body: 422 with an errors list
    REQUIRE(res);
    REQUIRE(res->status == 422);
    CHECK(res->get_header_value("Content-Type").starts_with("application/problem+json"));
    const json problem = json_of(res);
    const json required = at(schema, "/required");
    CHECK(required.size() == 4);
    for (const auto& name : required)
        CHECK_MESSAGE(problem.contains(name.get<std::string>()), name);
    for (auto field = problem.begin(); field != problem.end(); ++field)
        CHECK_MESSAGE(!at(schema, "/properties/" + field.key()).is_null(), field.key());
    CHECK(at(schema, "/properties/errors/items/$ref") == "#/components/schemas/FieldError");
    const json field_error = at(doc, "/components/schemas/FieldError/properties");
    REQUIRE(problem["errors"].size() == 1);
    for (auto key = problem["errors"][0].begin(); key != problem["errors"][0].end(); ++key)
        CHECK_MESSAGE(field_error.contains(key.key()), key.key());
}

// A route declares the bearer scheme exactly when it answers 401 without a token.
void check_moderator_security(const TestServer& server, const json& doc) {
    CHECK(at(doc, "/components/securitySchemes/moderatorToken/type") == "http");
    CHECK(at(doc, "/components/securitySchemes/moderatorToken/scheme") == "bearer");
    CHECK_FALSE(doc.contains("security"));  // public routes need nothing
    const json bearer = json::array({{{"moderatorToken", json::array()}}});
    int moderator_routes = 0;
    for (auto path = doc["paths"].begin(); path != doc["paths"].end(); ++path) {
        const bool moderator_path = path.key().starts_with("/api/moderation/") ||
                                    path.key() == "/api/rules" ||
                                    path.key().starts_with("/api/rules/");
        for (auto method = path->begin(); method != path->end(); ++method) {
            const std::string operation = upper(method.key()) + " " + path.key();
            const bool declared = method.value().contains("security");
            const auto res = ask_without_token(server, method.key(), concrete(path.key()));
            REQUIRE(res);
            const bool refused = res->status == 401;
            CHECK_MESSAGE(declared == moderator_path, operation);
            CHECK_MESSAGE(declared == refused, operation << " answered " << res->status);
            if (!declared) continue;
            ++moderator_routes;
            CHECK_MESSAGE(method.value()["security"] == bearer, operation);
            CHECK(res->get_header_value("WWW-Authenticate") == "Bearer realm=\"vokter\"");
            CHECK_MESSAGE(at(method.value(), "/responses/401/$ref") ==
                              std::string(kResponsesPrefix) + "Unauthorized",
                          operation);
        }
    }
    CHECK(moderator_routes >= 12);
}

http::ServerOptions with_isso_prefix(std::string prefix) {
    http::ServerOptions options = TestServer::quiet_options();
    options.isso_prefix = std::move(prefix);
    return options;
}

}  // namespace

TEST_CASE("openapi: GET /openapi.json is an OpenAPI 3.1 document of every route") {
    TestServer server;
    const json doc = fetch_document(server);
    REQUIRE(at(doc, "/openapi").is_string());
    CHECK(doc["openapi"].get<std::string>().starts_with("3.1"));
    CHECK(at(doc, "/info/title") == "Vokter");
    check_matches_router(server, doc);
    CHECK(doc["paths"].contains("/isso/new"));
    CHECK(doc["paths"].contains("/api/moderation/me"));
    CHECK(at(doc, "/paths/~11.1~1comment-check/post/requestBody/content")
              .contains("application/x-www-form-urlencoded"));
}

TEST_CASE("openapi: moderator routes declare the bearer token, and only they") {
    TestServer server;
    check_moderator_security(server, fetch_document(server));
}

TEST_CASE("openapi: every error of a JSON route is the one problem+json component") {
    TestServer server;
    const json doc = fetch_document(server);
    check_problem_responses(doc);
    check_problem_schema(server, doc);
}

TEST_CASE("openapi: the Isso paths follow isso_prefix") {
    SUBCASE("another prefix") {
        TestServer server(with_isso_prefix("/kommentarer"));
        const json doc = fetch_document(server);
        check_matches_router(server, doc);
        CHECK(doc["paths"].contains("/kommentarer/new"));
        CHECK(doc["paths"].contains("/kommentarer/css/isso.css"));
        for (auto path = doc["paths"].begin(); path != doc["paths"].end(); ++path)
            CHECK_FALSE_MESSAGE(path.key().starts_with("/isso/"), path.key());
        check_moderator_security(server, doc);
    }
    SUBCASE("none: the Isso API is off") {
        TestServer server(with_isso_prefix(""));
        const json doc = fetch_document(server);
        check_matches_router(server, doc);
        for (auto path = doc["paths"].begin(); path != doc["paths"].end(); ++path)
            CHECK_FALSE_MESSAGE(path.key().starts_with("/isso/"), path.key());
        for (const auto& tag : at(doc, "/tags"))
            CHECK(at(tag, "/name") != "isso");
        CHECK(doc["paths"].contains("/isso.css"));  // the stylesheet itself stays
    }
}

TEST_CASE("openapi: the document is revalidated with its ETag") {
    TestServer server;
    const auto first = server.client().Get("/openapi.json");
    REQUIRE(first);
    const std::string etag = first->get_header_value("ETag");
    REQUIRE(etag.size() > 2);
    CHECK(first->get_header_value("Cache-Control") == "no-cache");
    const auto again = server.client().Get("/openapi.json", {{"If-None-Match", etag}});
    REQUIRE(again);
    CHECK(again->status == 304);
    CHECK(again->body.empty());
    const auto stale = server.client().Get("/openapi.json", {{"If-None-Match", "\"old\""}});
    REQUIRE(stale);
    CHECK(stale->status == 200);
    CHECK(stale->get_header_value("ETag") == etag);
}
