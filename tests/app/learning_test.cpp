// The classifier through the real binary: moderators' decisions teach it and survive kill -9
// while the trainer works; `vokter learn` and `rules backtest --learn/--online` on small labelled
// files written here.

#include <doctest/doctest.h>
#include <httplib.h>
#include <signal.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <thread>

#include "app/learning_backtest.hpp"
#include "core/default_rules.hpp"
#include "support/test_support.hpp"

using vokter::test::Process;
using vokter::test::TempDir;
using json = nlohmann::json;

namespace {

// A rule file whose only heuristic is the classifier, speaking after 5 ham and 5 spam.
constexpr const char* kClassifierRules = R"(version = "learning-test"
[thresholds]
hold = 5.0
spam = 10.0

[[heuristic]]
id = "CLASSIFIER"
kind = "classifier"
min_ham = 5
min_spam = 5
bands = [{ min = 0.0, score = -1.0 }, { min = 0.2, score = 0.0 }, { min = 0.9, score = 6.0 }]
)";

std::vector<std::string> serve_args(const TempDir& dir) {
    return {VOKTER_BINARY, "serve",
            "--listen",    "127.0.0.1:0",
            "--db",        (dir / "vokter.db").string(),
            "--rules",     (dir / "rules.toml").string()};
}

const std::map<std::string, std::string> kEnv = {{"VOKTER_RATE_LIMIT_PER_MINUTE", "0"},
                                                 {"VOKTER_LOG_REQUESTS", "false"}};

std::int64_t post(httplib::Client& client, const std::string& body, const std::string& name) {
    const json doc = {{"thread", "/blogg/turer"}, {"name", name}, {"body", body}};
    const auto res = client.Post("/api/comments", doc.dump(), "application/json");
    REQUIRE(res);
    REQUIRE_MESSAGE((res->status == 201 || res->status == 202), res->body);
    return json::parse(res->body)["id"].get<std::int64_t>();
}

// The value of a metric line that starts with `name` (e.g. vokter_classifier_learned{label="ham"}).
long metric(httplib::Client& client, const std::string& name) {
    const auto res = client.Get("/metrics");
    REQUIRE(res);
    const auto value = vokter::test::metric_value(res->body, name);
    REQUIRE_MESSAGE(value.has_value(), "no metric " << name);
    return static_cast<long>(*value);
}

std::string spam_text(int i) {
    return "Greetings! Very useful advice in this particular post, visit my site for cheap "
           "insurance quotes " +
           std::to_string(i);
}

std::string ham_text(int i) {
    return "Vi gikk turen fra Sognsvann til Ullevålseter i går, nydelig føre i løypene " +
           std::to_string(i);
}

}  // namespace

TEST_CASE("decisions teach the classifier and nothing is lost to kill -9 while it trains") {
    TempDir dir;
    vokter::test::write_file(dir / "rules.toml", kClassifierRules);
    const auto added = vokter::test::run_vokter_command(dir, {"moderator", "add", "kari"});
    REQUIRE(added.code == 0);
    const std::string token = vokter::test::second_line(added.output);
    const httplib::Headers auth = {{"Authorization", "Bearer " + token}};

    constexpr int kEach = 40;
    std::vector<std::int64_t> spam_ids, ham_ids;
    {
        Process server(serve_args(dir), dir / "server1.log", kEnv);
        const int port = server.wait_for_port();
        REQUIRE_MESSAGE(port > 0, server.log());
        httplib::Client client("127.0.0.1", port);
        client.set_read_timeout(20);
        for (int i = 0; i < kEach; ++i) {
            spam_ids.push_back(post(client, spam_text(i), "Cheap Insurance Quotes"));
            ham_ids.push_back(post(client, ham_text(i), "Kari"));
        }
        const auto decide = [&](const std::vector<std::int64_t>& ids, const char* action) {
            const auto res =
                client.Post("/api/moderation/decisions", auth,
                            json{{"ids", ids}, {"action", action}}.dump(), "application/json");
            REQUIRE(res);
            REQUIRE_MESSAGE(res->status == 200, res->body);
        };
        decide(spam_ids, "spam");
        decide(ham_ids, "approve");
        server.signal(SIGKILL);  // the decisions are answered; their training may not be done
        CHECK(server.wait() == 128 + SIGKILL);
    }

    Process server(serve_args(dir), dir / "server2.log", kEnv);
    const int port = server.wait_for_port();
    REQUIRE_MESSAGE(port > 0, server.log());
    httplib::Client client("127.0.0.1", port);
    client.set_read_timeout(20);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (metric(client, "vokter_classifier_training_pending") > 0 &&
           std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    CHECK(metric(client, "vokter_classifier_training_pending") == 0);
    CHECK(metric(client, "vokter_classifier_learned{label=\"spam\"}") == kEach);
    CHECK(metric(client, "vokter_classifier_learned{label=\"ham\"}") == kEach);

    // What it learned now holds a new comment of the same kind, and says why.
    const json doc = {{"thread", "/blogg/turer"},
                      {"name", "Cheap Insurance Quotes"},
                      {"body", "Greetings, very useful advice! Cheap insurance quotes on my site"}};
    const auto res = client.Post("/api/comments", doc.dump(), "application/json");
    REQUIRE(res);
    CHECK(res->status == 202);
    const auto queue = client.Get("/api/moderation/queue?status=pending", auth);
    REQUIRE(queue);
    const json items = json::parse(queue->body)["items"];
    REQUIRE(items.size() == 1);
    bool explained = false;
    for (const auto& hit : items[0]["hits"]) {
        if (hit["rule"] != "CLASSIFIER") continue;
        const std::string detail = hit["detail"];
        explained = detail.rfind("spam probability ", 0) == 0 &&
                    detail.find("toward spam: ") != std::string::npos;
        CHECK(hit["score"].get<double>() == doctest::Approx(6.0));
    }
    CHECK(explained);
    // A reader's comment like those approved goes through.
    CHECK(post(client, "Nydelig føre fra Sognsvann i dag, takk for tipset", "Ola") > 0);
    server.signal(SIGTERM);
    CHECK(server.wait() == 0);
}

TEST_CASE("vokter learn teaches labelled files, and refuses a bad file whole") {
    TempDir dir;
    std::string csv = "COMMENT_ID,AUTHOR,DATE,CONTENT,CLASS\n";
    for (int i = 0; i < 6; ++i) {
        csv += "s" + std::to_string(i) + ",Promo,2015-01-0" + std::to_string(i + 1) +
               "T10:00:00,\"" + spam_text(i) + "\",1\n";
        csv += "h" + std::to_string(i) + ",Kari,2015-01-0" + std::to_string(i + 1) +
               "T11:00:00,\"" + ham_text(i) + "\",0\n";
    }
    vokter::test::write_file(dir / "good.csv", csv);
    vokter::test::write_file(dir / "bad.csv",
                             "COMMENT_ID,AUTHOR,DATE,CONTENT,CLASS\nx,A,2015-01-01,hei,maybe\n");
    vokter::test::write_file(dir / "empty.csv", "");

    const auto bad = vokter::test::run_vokter_command(
        dir, {"learn", "--csv", (dir / "good.csv").string(), "--csv", (dir / "bad.csv").string()});
    CHECK(bad.code == 1);
    CHECK(bad.output.find("bad.csv:2") != std::string::npos);
    CHECK(bad.output.find("nothing was learned") != std::string::npos);
    const auto empty =
        vokter::test::run_vokter_command(dir, {"learn", "--csv", (dir / "empty.csv").string()});
    CHECK(empty.code == 1);
    CHECK(empty.output.find("empty.csv") != std::string::npos);

    const auto good =
        vokter::test::run_vokter_command(dir, {"learn", "--csv", (dir / "good.csv").string()});
    CHECK_MESSAGE(good.code == 0, good.output);
    CHECK(good.output.find("learned 6 ham and 6 spam") != std::string::npos);
    CHECK(good.output.find("now knows 6 ham and 6 spam") != std::string::npos);
    // Learning twice counts twice: a file is a list of lessons, not of comments.
    const auto again =
        vokter::test::run_vokter_command(dir, {"learn", "--csv", (dir / "good.csv").string()});
    CHECK(again.output.find("now knows 12 ham and 12 spam") != std::string::npos);
}

TEST_CASE("the online backtest learns as it goes and reports the curve") {
    TempDir dir;
    // Ten spam and ten ham, alternating in time; the rules alone (nothing but the classifier)
    // catch nothing until it has learned 5 of each.
    std::string csv = "COMMENT_ID,AUTHOR,DATE,CONTENT,CLASS\n";
    for (int i = 0; i < 20; ++i) {
        const bool spam = i % 2 == 0;
        csv += "c" + std::to_string(i) + "," + (spam ? "Promo" : "Kari") +
               ",2015-02-01T10:" + (i < 10 ? "0" : "") + std::to_string(i) + ":00,\"" +
               (spam ? spam_text(i) : ham_text(i)) + "\"," + (spam ? "1" : "0") + "\n";
    }
    vokter::test::write_file(dir / "c.csv", csv);
    auto rules = vokter::core::load_ruleset(kClassifierRules, "rules.toml", nullptr);
    REQUIRE(rules);

    vokter::app::LearningBacktestOptions options;
    options.csv_files = {(dir / "c.csv").string()};
    options.online = true;
    options.warm_up = 10;
    options.block = 10;
    std::ostringstream out, err;
    CHECK(vokter::app::run_learning_backtest(*rules.value(), options, out, err) == 0);
    const std::string report = out.str();
    CHECK(report.find("after the first 10") != std::string::npos);
    CHECK(report.find("the model ends with 10 ham and 10 spam learned") != std::string::npos);
    // The first ten comments come before the classifier may speak; the last ten are all caught.
    CHECK(report.find("1-10          0 (0.0%)") != std::string::npos);
    CHECK(report.find("11-20         5 (100.0%)        0 (0.0%)") != std::string::npos);

    // Learning one file first and scoring another without learning.
    vokter::app::LearningBacktestOptions split;
    split.learn_files = {(dir / "c.csv").string()};
    split.csv_files = {(dir / "c.csv").string()};
    std::ostringstream out2;
    CHECK(vokter::app::run_learning_backtest(*rules.value(), split, out2, err) == 0);
    CHECK(out2.str().find("learned first: 20 comments") != std::string::npos);
    CHECK(out2.str().find("caught (held or spam) 10 (100.0%)") != std::string::npos);

    vokter::test::write_file(dir / "bad.csv", "COMMENT_ID,AUTHOR,DATE,CONTENT,CLASS\nx,A,,b,7\n");
    options.csv_files = {(dir / "bad.csv").string()};
    std::ostringstream err2;
    CHECK(vokter::app::run_learning_backtest(*rules.value(), options, out, err2) == 1);
    CHECK(err2.str().find("bad.csv:2") != std::string::npos);
}
