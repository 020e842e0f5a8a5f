// `vokter rules check | test | backtest`, called as functions and through CLI11.
#include "app/rules_cli.hpp"

#include <doctest/doctest.h>

#include <sstream>

#include "support/test_support.hpp"

namespace vokter::app {

namespace {

const char* kGoodRules = R"(version = "cli-1"
[thresholds]
hold = 5
spam = 10

[[rule]]
id = "CASINO"
description = "casino offers"
words = ["casino", "free spins"]
score = 6
examples.match = ["best CASINO"]
examples.no_match = ["nettcasinoer"]

[[rule]]
id = "LINKY"
fields = ["links"]
pattern = '\.example/'
score = 2

[[heuristic]]
kind = "blocked_domain"
list = "lists/blocked.txt"
score = 5
)";

const char* kBadRules = R"(version = "cli-2"

[[rule]]
id = "BROKEN"
pattern = '(unclosed'
score = 1

[[rule]]
id = "NOSCORE"
pattern = 'x'

[[heuristic]]
kind = "link_cuont"
score = 1
)";

struct Files {
    test::TempDir dir;
    std::string good;
    std::string bad;
    Files() {
        std::filesystem::create_directories(dir / "lists");
        test::write_file(dir / "lists/blocked.txt", "spam.example\n");
        good = (dir / "good.toml").string();
        bad = (dir / "bad.toml").string();
        test::write_file(good, kGoodRules);
        test::write_file(bad, kBadRules);
    }
};

// Runs the CLI as main would: returns the exit code.
int run_cli(std::vector<std::string> args) {
    CLI::App app{"vokter"};
    add_rules_commands(app);
    std::vector<const char*> argv{"vokter"};
    for (const std::string& a : args)
        argv.push_back(a.c_str());
    try {
        app.parse(static_cast<int>(argv.size()), const_cast<char**>(argv.data()));
    } catch (const CLI::ParseError& e) {
        return app.exit(e);
    }
    return 0;
}

}  // namespace

TEST_CASE("rules check: a good file exits 0 with a summary") {
    Files files;
    std::ostringstream out, err;
    CHECK(run_rules_check(files.good, out, err) == 0);
    CHECK(out.str().find("OK, version cli-1, 3 rules") != std::string::npos);
    CHECK(out.str().find("2 examples passed") != std::string::npos);
    CHECK(err.str().empty());
}

TEST_CASE("rules check: a bad file exits 1 listing every error with line and rule id") {
    Files files;
    std::ostringstream out, err;
    CHECK(run_rules_check(files.bad, out, err) == 1);
    const std::string text = err.str();
    CHECK(text.find(files.bad + ":5:11 rule BROKEN: missing ): (unclosed [invalid_regex]") !=
          std::string::npos);
    CHECK(
        text.find(files.bad + ":8:1 rule NOSCORE: missing required key 'score' [missing_score]") !=
        std::string::npos);
    CHECK(text.find(":13:8 heuristic LINK_CUONT: unknown heuristic kind 'link_cuont'") !=
          std::string::npos);
    CHECK(text.find("3 errors, rules not loaded") != std::string::npos);
}

TEST_CASE("rules check: a missing file or list is an error") {
    Files files;
    std::ostringstream out, err;
    CHECK(run_rules_check((files.dir / "nope.toml").string(), out, err) == 1);
    CHECK(err.str().find("cannot open") != std::string::npos);
    std::filesystem::remove(files.dir / "lists/blocked.txt");
    std::ostringstream err2;
    CHECK(run_rules_check(files.good, out, err2) == 1);
    CHECK(err2.str().find("heuristic BLOCKED_DOMAIN: cannot read list 'lists/blocked.txt'") !=
          std::string::npos);
}

TEST_CASE("list names may not leave the rule folder") {
    Files files;
    const core::ListReader read = folder_list_reader(files.dir.path());
    CHECK(read("lists/blocked.txt").ok());
    CHECK_FALSE(read("../etc/passwd").ok());
    CHECK_FALSE(read("/etc/passwd").ok());
}

TEST_CASE("rules check: no file or '-' checks the embedded default") {
    std::ostringstream out, err;
    CHECK(run_rules_check("-", out, err) == 0);
    CHECK(out.str().find("embedded default.toml: OK") != std::string::npos);
}

TEST_CASE("rules check through CLI11 returns the exit code") {
    Files files;
    CHECK(run_cli({"rules", "check", files.good}) == 0);
    CHECK(run_cli({"rules", "check", files.bad}) == 1);
}

TEST_CASE("rules test prints the verdict and each hit with its reason") {
    Files files;
    core::Submission s;
    s.body = "Best Casino here: http://www.spam.example/win";
    core::Context c;
    c.form_rendered_at = 0;
    std::ostringstream out, err;
    CHECK(run_rules_test(files.good, s, c, 100, out, err) == 0);
    const std::string text = out.str();
    CHECK(text.find("verdict: spam  score +13.0") != std::string::npos);
    CHECK(text.find("+6.0  CASINO [body]  \"Casino\"  - casino offers") != std::string::npos);
    CHECK(text.find("+5.0  BLOCKED_DOMAIN  \"www.spam.example\"") != std::string::npos);
    CHECK(text.find("+2.0  LINKY [links]") != std::string::npos);
    CHECK(text.find("ruleset cli-1") != std::string::npos);
}

TEST_CASE("rules test reads a comment as JSON") {
    auto parsed = parse_test_comment(
        R"({"body":"hei","name":"Kari","email":"k@x.no","context":{"same_ip_recent":4,"form_age_seconds":2}})",
        1000);
    REQUIRE(parsed.ok());
    CHECK(parsed.value().first.body == "hei");
    CHECK(parsed.value().first.name == "Kari");
    CHECK(parsed.value().second.same_ip_recent == 4);
    CHECK(parsed.value().second.form_rendered_at == 998);
    CHECK_FALSE(parse_test_comment("not json", 0).ok());
    auto wrong = parse_test_comment(R"({"body": 3})", 0);
    REQUIRE_FALSE(wrong.ok());
    CHECK(wrong.errors()[0].message == "body must be a string");
}

TEST_CASE("rules backtest prints the confusion table and hit frequencies") {
    Files files;
    const std::string csv = (files.dir / "labelled.csv").string();
    test::write_file(csv,
                     "COMMENT_ID,AUTHOR,DATE,CONTENT,TAG\n"
                     "a,Ann,2014-11-07T06:20:48,\"Best casino, free spins\",1\n"
                     "b,Bob,2014-11-07,\"casino &amp; more at http://www.spam.example/a\",1\n"
                     "c,Cid,,\"just spam without words\",1\n"
                     "d,Dan,2014-11-08T10:00,\"Nice song<br />really\",0\n"
                     "e,Eve,2014-11-09T10:00:00Z,\"I love this casino scene\xEF\xBB\xBF\",0\n");
    BacktestOptions options;
    options.csv_files = {csv};
    std::ostringstream out, err;
    REQUIRE(run_rules_backtest(files.good, options, out, err) == 0);
    const std::string text = out.str();
    INFO(text);
    CHECK(text.find("on 5 comments (3 spam, 2 ham) from 1 file") != std::string::npos);
    CHECK(text.find("  spam                1         1         1") != std::string::npos);
    CHECK(text.find("  ham                 1         1         0") != std::string::npos);
    CHECK(text.find("spam held or spam           2   66.7%") != std::string::npos);
    CHECK(text.find("ham held                    1   50.0%") != std::string::npos);
    CHECK(text.find("ham filed as spam           0    0.0%") != std::string::npos);
    CHECK(text.find("CASINO                    66.7%    50.0%      66.7%   2/1") !=
          std::string::npos);
    CHECK(text.find("LINKY                     33.3%     0.0%     100.0%   1/0") !=
          std::string::npos);
}

TEST_CASE("rules backtest: columns are configurable and errors are clear") {
    Files files;
    const std::string csv = (files.dir / "other.csv").string();
    test::write_file(csv, "label,message\nyes,casino\nno,hello\n");
    BacktestOptions options;
    options.csv_files = {csv};
    std::ostringstream out, err;
    CHECK(run_rules_backtest(files.good, options, out, err) == 1);
    CHECK(err.str().find(csv + ":1: the header has no body column") != std::string::npos);
    options.csv.body_column = "message";
    options.csv.label_column = "label";
    options.csv.spam_labels = {"yes"};
    options.csv.ham_labels = {"no"};
    std::ostringstream out2, err2;
    CHECK(run_rules_backtest(files.good, options, out2, err2) == 0);
    CHECK(out2.str().find("on 2 comments (1 spam, 1 ham)") != std::string::npos);
    CHECK(run_cli({"rules", "backtest", files.good, "--csv", csv, "--body-column", "message",
                   "--label-column", "label", "--spam-label", "yes", "--ham-label", "no"}) == 0);
    // Without --ham-label, "no" is not a label the backtest knows.
    CHECK(run_cli({"rules", "backtest", files.good, "--csv", csv, "--body-column", "message",
                   "--spam-label", "yes"}) == 1);
    CHECK(run_cli({"rules", "backtest", files.good, "--csv", (files.dir / "none.csv").string()}) ==
          1);
}

TEST_CASE("rules backtest reads a WordPress export with its website and lists misses by line") {
    Files files;
    const std::string csv = (files.dir / "wp.csv").string();
    test::write_file(csv,
                     "comment_number,author,author_url,author_email,submitted_local,post_title,"
                     "content,label\n"
                     "1,Casino Bob,http://www.spam.example/,x@y.example,2016-02-01T21:12,Design,"
                     "\"Nice post\",spam\n"
                     "2,Ann,,,2016-02-02T10:00,Design,\"Good design,\nreally\",spam\n");
    BacktestOptions options;
    options.csv_files = {csv};
    options.show_misses = true;
    std::ostringstream out, err;
    REQUIRE(run_rules_backtest(files.good, options, out, err) == 0);
    const std::string text = out.str();
    INFO(text);
    CHECK(text.find("on 2 comments (2 spam, 0 ham)") != std::string::npos);
    // The website field was filled: the blocked_domain heuristic saw it.
    CHECK(text.find("BLOCKED_DOMAIN            50.0%") != std::string::npos);
    CHECK(text.find(csv + ":3 spam approved +0.0 | Good design, really") != std::string::npos);
}

}  // namespace vokter::app
