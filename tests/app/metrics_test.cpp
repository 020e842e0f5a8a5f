// GET /metrics of the real binary, as Prometheus would scrape it: checked by Debian's
// `promtool check metrics`, every family the operators' alerts need present and counting what
// happened, and no label taking a value from what clients send.

#include <doctest/doctest.h>
#include <httplib.h>
#include <signal.h>

#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "support/test_support.hpp"

using vokter::test::metric_value;
using vokter::test::Process;
using vokter::test::TempDir;
using json = nlohmann::json;

namespace {

// A regex rule that holds, one that files as spam, and the classifier, speaking after one ham
// and one spam comment.
constexpr const char* kRules = R"(version = "metrics-test"
[thresholds]
hold = 5.0
spam = 10.0

[[rule]]
id = "HOLD_WORD"
words = ["kjøp"]
score = 6.0

[[rule]]
id = "SPAM_WORD"
words = ["casino"]
score = 12.0

[[heuristic]]
id = "LEARNED"
kind = "classifier"
min_ham = 1
min_spam = 1
bands = [{ min = 0.0, score = -1.0 }, { min = 0.2, score = 0.0 }, { min = 0.8, score = 2.0 }]
)";

const std::map<std::string, std::string> kEnv = {{"VOKTER_RATE_LIMIT_PER_MINUTE", "0"},
                                                 {"VOKTER_LOG_REQUESTS", "false"}};

std::int64_t post(httplib::Client& client, const std::string& body, int expected_status) {
    const json doc = {{"thread", "/blogg/tall"}, {"name", "Kari"}, {"body", body}};
    const auto res = client.Post("/api/comments", doc.dump(), "application/json");
    REQUIRE(res);
    REQUIRE_MESSAGE(res->status == expected_status, res->body);
    return json::parse(res->body)["id"].get<std::int64_t>();
}

double metric(const std::string& text, const std::string& series) {
    const auto value = metric_value(text, series);
    REQUIRE_MESSAGE(value.has_value(), "no series " << series);
    return *value;
}

// `promtool check metrics` on `text`: its exit code, and what it printed.
std::pair<int, std::string> promtool_check(const TempDir& dir, const std::string& text) {
    const auto input = dir / "metrics.txt";
    const auto output = dir / "promtool.out";
    vokter::test::write_file(input, text);
    const std::string command =
        "promtool check metrics < '" + input.string() + "' > '" + output.string() + "' 2>&1";
    const int status = std::system(command.c_str());
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, vokter::test::read_file(output)};
}

}  // namespace

TEST_CASE("promtool accepts /metrics, and its families count what happened") {
    TempDir dir;
    vokter::test::write_file(dir / "rules.toml", kRules);
    const auto added = vokter::test::run_vokter_command(dir, {"moderator", "add", "kari"});
    REQUIRE(added.code == 0);
    const httplib::Headers auth = {
        {"Authorization", "Bearer " + vokter::test::second_line(added.output)}};
    Process server({VOKTER_BINARY, "serve", "--listen", "127.0.0.1:0", "--db",
                    (dir / "vokter.db").string(), "--rules", (dir / "rules.toml").string()},
                   dir / "server.log", kEnv);
    const int port = server.wait_for_port();
    REQUIRE_MESSAGE(port > 0, server.log());
    httplib::Client client("127.0.0.1", port);
    client.set_read_timeout(20);

    // Verdicts: one approved, two held, one spam; the classifier abstains (nothing learned).
    const std::int64_t ham = post(client, "Fin tur til Ullevålseter i går, takk for tipset", 201);
    const std::int64_t held = post(client, "Kjøp billige klokker her, kjøp nå", 202);
    post(client, "Kjøp ny sykkel hos oss", 202);
    post(client, "Best online casino bonus", 202);
    // Teach it one of each; then the next comment is decided by it too.
    for (const auto& [id, action] : {std::pair{ham, "approve"}, {held, "spam"}}) {
        const auto res =
            client.Post("/api/moderation/decisions", auth,
                        json{{"ids", {id}}, {"action", action}}.dump(), "application/json");
        REQUIRE(res);
        REQUIRE_MESSAGE(res->status == 200, res->body);
    }
    const auto learned = [&] {
        const std::string now = client.Get("/metrics")->body;
        return metric(now, "vokter_classifier_training_pending") == 0 &&
               metric(now, "vokter_classifier_learned{label=\"spam\"}") == 1 &&
               metric(now, "vokter_classifier_learned{label=\"ham\"}") == 1;
    };
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (!learned() && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    REQUIRE(learned());
    post(client, "Kjøp billige klokker her i dag", 202);

    // Requests no route matches, on many paths, and routes with ids: none becomes a label.
    for (int i = 0; i < 20; ++i) {
        CHECK(client.Get("/finnes-ikke/" + std::to_string(i))->status == 404);
        CHECK(client.Get("/api/moderation/comments/" + std::to_string(1000 + i), auth)->status ==
              404);
    }
    CHECK(client.Get("/api/moderation/queue")->status == 401);
    CHECK(client.Get("/api/comments?thread=/blogg/tall")->status == 200);
    // Refused before routing: a header field larger than the limit.
    CHECK(client.Get("/api/counts?thread=/a", {{"X-Padding", std::string(40000, 'x')}})->status ==
          431);
    // A rule file that does not load: refused, counted, the old rules stay.
    vokter::test::write_file(dir / "rules.toml", "version = \"broken\"\n[[rule]]\nid = \"X\"\n");
    CHECK(client.Post("/api/rules/reload", auth, "", "application/json")->status == 422);

    const auto res = client.Get("/metrics");
    REQUIRE(res);
    REQUIRE(res->status == 200);
    CHECK(res->get_header_value("Content-Type").starts_with("text/plain; version=0.0.4"));
    const std::string& text = res->body;
    const auto checked = promtool_check(dir, text);
    CHECK_MESSAGE(checked.first == 0, checked.second);
    CHECK_MESSAGE(checked.second.empty(), checked.second);

    // Requests by route and status, latency per route.
    CHECK(metric(
              text,
              R"(vokter_http_responses_total{route="/api/comments",method="POST",status="201"})") ==
          1);
    CHECK(metric(
              text,
              R"(vokter_http_responses_total{route="/api/comments",method="POST",status="202"})") ==
          4);
    CHECK(metric(text,
                 R"(vokter_http_responses_total{route="unmatched",method="",status="404"})") == 20);
    CHECK(
        metric(
            text,
            R"(vokter_http_responses_total{route="/api/moderation/comments/{id}",method="GET",status="404"})") ==
        20);
    CHECK(
        metric(
            text,
            R"(vokter_http_responses_total{route="/api/moderation/queue",method="GET",status="401"})") ==
        1);
    CHECK(metric(text, R"(vokter_http_responses_total{route="refused",method="",status="431"})") ==
          1);
    CHECK(
        metric(
            text,
            R"(vokter_http_request_duration_seconds_count{route="/api/comments",method="POST"})") ==
        5);
    CHECK(
        metric(
            text,
            R"(vokter_http_request_duration_seconds_bucket{route="/api/comments",method="POST",le="+Inf"})") ==
        5);
    CHECK(
        metric(text,
               R"(vokter_http_request_duration_seconds_sum{route="/api/comments",method="POST"})") >
        0);
    // Verdicts, hits, the classifier.
    CHECK(metric(text, R"(vokter_verdicts_total{api="comments",action="approve"})") == 1);
    CHECK(metric(text, R"(vokter_verdicts_total{api="comments",action="hold"})") == 3);
    CHECK(metric(text, R"(vokter_verdicts_total{api="comments",action="spam"})") == 1);
    CHECK(metric(text, R"(vokter_verdicts_total{api="akismet",action="spam"})") == 0);
    CHECK(metric(text, R"(vokter_rule_hits_total{rule="HOLD_WORD"})") == 3);
    CHECK(metric(text, R"(vokter_rule_hits_total{rule="SPAM_WORD"})") == 1);
    CHECK(metric(text, R"(vokter_classifier_decisions_total{decision="abstained"})") == 4);
    CHECK(metric(text, R"(vokter_classifier_decisions_total{decision="spam"})") +
              metric(text, R"(vokter_classifier_decisions_total{decision="ham"})") +
              metric(text, R"(vokter_classifier_decisions_total{decision="neutral"})") ==
          1);
    // The queue: the second held comment and the last one wait; one held was decided spam.
    CHECK(metric(text, R"(vokter_comments{status="pending"})") == 2);
    CHECK(metric(text, R"(vokter_comments{status="spam"})") == 2);
    CHECK(metric(text, R"(vokter_comments{status="approved"})") == 1);
    CHECK(metric(text, "vokter_queue_oldest_pending_age_seconds") > 0);
    // The writer: batches, their sizes, commit latency, the WAL.
    CHECK(metric(text, "vokter_store_batch_size_count") >= 4);
    CHECK(metric(text, R"(vokter_store_batch_size_bucket{le="+Inf"})") ==
          metric(text, "vokter_store_batch_size_count"));
    CHECK(metric(text, "vokter_store_commit_duration_seconds_count") >= 4);
    CHECK(metric(text, R"(vokter_store_file_bytes{file="wal"})") > 0);
    CHECK(metric(text, R"(vokter_store_file_bytes{file="database"})") > 0);
    // Rules reloads.
    CHECK(metric(text, "vokter_rules_reload_failures_total") == 1);
    CHECK(metric(text, "vokter_rules_last_reload_failed") == 1);
    // The process.
    CHECK(metric(text, "process_resident_memory_bytes") > 1e6);
    CHECK(metric(text, "process_threads") >= 4);
    CHECK(metric(text, "process_open_fds") >= 4);
    CHECK(metric(text, "process_max_fds") >= metric(text, "process_open_fds"));
    CHECK(metric(text, "process_start_time_seconds") > 1.7e9);
    CHECK(metric(text, "process_cpu_seconds_total") > 0);

    // No label value comes from a request: every route label is a pattern of the router.
    std::set<std::string> routes;
    const std::regex route_label(R"(route="([^"]*)\")");
    for (std::sregex_iterator it(text.begin(), text.end(), route_label), end; it != end; ++it)
        routes.insert((*it)[1]);
    for (const std::string& route : routes) {
        CAPTURE(route);
        CHECK((route == "unmatched" || route == "refused" || route.starts_with("/")));
        CHECK(route.find("finnes-ikke") == std::string::npos);
        CHECK(std::regex_search(route, std::regex(R"(\d{4})")) == false);
    }
    server.signal(SIGTERM);
    CHECK(server.wait() == 0);
}

TEST_CASE("promtool refuses what /metrics must never be, so the check above can fail") {
    TempDir dir;
    // A counter without _total: a lint problem promtool reports.
    const auto checked = promtool_check(
        dir, "# HELP vokter_things Things.\n# TYPE vokter_things counter\nvokter_things 1\n");
    CHECK(checked.first != 0);
    CHECK(checked.second.find("_total") != std::string::npos);
}
