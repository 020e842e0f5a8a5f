// Loader tests: every error kind names the rule and the line; valid files load.
#include "core/rule_set.hpp"

#include <doctest/doctest.h>

#include <string>

namespace vokter::core {

namespace {

ListReader no_lists() {
    return [](std::string_view name) -> Result<std::string> {
        return Error{"list_not_found", "no list " + std::string(name), ""};
    };
}

std::vector<Error> load_errors(const std::string& text, const ListReader& lists = no_lists()) {
    auto result = load_ruleset(text, "t.toml", lists);
    REQUIRE_FALSE(result.ok());
    return result.errors();
}

bool has_error(const std::vector<Error>& errors, std::string_view code, std::string_view where) {
    for (const Error& e : errors) {
        if (e.code == code && e.where.find(where) != std::string::npos) return true;
    }
    return false;
}

std::string dump(const std::vector<Error>& errors) {
    std::string out;
    for (const Error& e : errors)
        out += e.where + ": " + e.code + ": " + e.message + "\n";
    return out;
}

const std::string kHeader = "version = \"v1\"\n[thresholds]\nhold = 5.0\nspam = 10.0\n";

}  // namespace

TEST_CASE("a valid file loads with its version, thresholds and counts") {
    const std::string text = kHeader + R"(
[[rule]]
id = "PHARMA"
description = "pharmacy words"
fields = ["body", "name"]
pattern = '(?i)viagra|cialis'
score = 6
examples.match = ["Billig VIAGRA"]
examples.no_match = ["Takk for innlegget"]

[[rule]]
id = "OFF"
pattern = 'x'
score = 1.0
enabled = false

[[heuristic]]
kind = "flood"
max = 3
window_seconds = 120
score = 4.0

[[heuristic]]
kind = "duplicate_body"
window_seconds = 3600
score = 3.0
)";
    auto result = load_ruleset(text, "t.toml", no_lists());
    REQUIRE_MESSAGE(result.ok(), (result.ok() ? "" : dump(result.errors())));
    const Ruleset& rs = *result.value();
    CHECK(rs.version() == "v1");
    CHECK(rs.thresholds().hold == 5.0);
    CHECK(rs.thresholds().spam == 10.0);
    CHECK(rs.rule_count() == 3);  // the disabled rule is not counted
    CHECK(rs.fact_windows().flood_seconds == 120);
    CHECK(rs.fact_windows().duplicate_seconds == 3600);
    CHECK(rs.fact_windows().count_limit == 4);  // flood max 3: counting to 4 tells "more than 3"
    REQUIRE(rs.rules().size() == 4);
    CHECK(rs.rules()[0].id == "PHARMA");
    CHECK(rs.rules()[0].where == "t.toml:6:1 rule PHARMA");
    CHECK(rs.rules()[3].kind == "duplicate_body");
    CHECK(rs.source_name() == "t.toml");
}

TEST_CASE("fact windows default when no flood or duplicate heuristic is present") {
    auto result = load_ruleset(kHeader, "t.toml", no_lists());
    REQUIRE(result.ok());
    CHECK(result.value()->fact_windows().flood_seconds == FactWindows{}.flood_seconds);
    CHECK(result.value()->fact_windows().duplicate_seconds == FactWindows{}.duplicate_seconds);
    CHECK(result.value()->fact_windows().count_limit == 1);  // nothing compares a count
}

TEST_CASE("approve_all_ruleset has no rules") {
    const RulesetPtr rs = approve_all_ruleset();
    CHECK(rs->version() == "approve-all");
    CHECK(rs->rule_count() == 0);
}

TEST_CASE("TOML syntax errors carry line and column") {
    const auto errors = load_errors(kHeader + "\n[[rule]]\nid = \"X\"\npattern = 'unterminated\n");
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].code == "toml_syntax");
    CHECK(errors[0].where.rfind("t.toml:8:", 0) == 0);
}

TEST_CASE("a missing version is an error") {
    const auto errors = load_errors("[thresholds]\nhold = 1\n");
    CHECK(has_error(errors, "missing_version", "t.toml:"));
}

TEST_CASE("every invalid regex is reported at once with rule id, line and RE2's message") {
    const std::string text = kHeader + R"(
[[rule]]
id = "GOOD"
pattern = 'ok'
score = 1

[[rule]]
id = "BAD_ONE"
pattern = '(unclosed'
score = 1

[[rule]]
id = "BAD_TWO"
fields = ["name"]
pattern = 'a{2,1}'
score = 1
)";
    const auto errors = load_errors(text);
    REQUIRE(errors.size() == 2);
    CHECK(errors[0].code == "invalid_regex");
    CHECK(errors[0].where == "t.toml:13:11 rule BAD_ONE");
    CHECK(errors[0].message.find("missing )") != std::string::npos);
    CHECK(errors[1].where == "t.toml:19:11 rule BAD_TWO");
    CHECK(errors[1].message.find("invalid repetition size") != std::string::npos);
}

TEST_CASE("duplicate ids are an error at the second rule") {
    const std::string text = kHeader + R"(
[[rule]]
id = "SAME"
pattern = 'a'
score = 1

[[rule]]
id = "SAME"
pattern = 'b'
score = 1
)";
    const auto errors = load_errors(text);
    CHECK(has_error(errors, "duplicate_id", "t.toml:12:6 rule SAME"));
}

TEST_CASE("unknown fields are errors naming the rule") {
    const auto errors = load_errors(kHeader + R"(
[[rule]]
id = "F"
fields = ["body", "bdoy"]
pattern = 'a'
score = 1
)");
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].code == "unknown_field");
    CHECK(errors[0].where == "t.toml:8:10 rule F");
    CHECK(errors[0].message.find("bdoy") != std::string::npos);
}

TEST_CASE("unknown keys (typos) are errors at the key's line") {
    const auto errors = load_errors(kHeader + R"(
[[rule]]
id = "TYPO"
pattern = 'a'
scroe = 1
score = 1

[[heuristic]]
kind = "link_count"
min = 2
mx = 3
score = 1
)");
    CHECK(has_error(errors, "unknown_key", "t.toml:9:1 rule TYPO"));
    CHECK(has_error(errors, "unknown_key", "t.toml:15:1 heuristic LINK_COUNT"));
}

TEST_CASE("unknown top-level keys and threshold keys are errors") {
    const auto errors = load_errors("version = \"1\"\nversoin = \"2\"\n[thresholds]\nhodl = 3\n");
    CHECK(has_error(errors, "unknown_key", "t.toml:2:1"));
    CHECK(has_error(errors, "unknown_key", "t.toml:4:1 thresholds"));
}

TEST_CASE("a missing score is an error naming the rule and its line") {
    const auto errors = load_errors(kHeader + R"(
[[rule]]
id = "NOSCORE"
pattern = 'a'

[[heuristic]]
kind = "honeypot"
)");
    CHECK(has_error(errors, "missing_score", "t.toml:6:1 rule NOSCORE"));
    CHECK(has_error(errors, "missing_score", "t.toml:10:1 heuristic HONEYPOT"));
}

TEST_CASE("a missing id or pattern is an error") {
    const auto errors = load_errors(kHeader + R"(
[[rule]]
pattern = 'a'
score = 1

[[rule]]
id = "NOPATTERN"
score = 1
)");
    CHECK(has_error(errors, "missing_id", "t.toml:6:1 rule ?"));
    CHECK(has_error(errors, "missing_pattern", "t.toml:10:1 rule NOPATTERN"));
}

TEST_CASE("unknown heuristic kinds are errors") {
    const auto errors = load_errors(kHeader + R"(
[[heuristic]]
kind = "link_cuont"
score = 1
)");
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].code == "unknown_heuristic");
    CHECK(errors[0].where == "t.toml:7:8 heuristic LINK_CUONT");
}

TEST_CASE("heuristic parameters are checked") {
    const auto errors = load_errors(kHeader + R"(
[[heuristic]]
kind = "caps_ratio"
min_ratio = 1.5
score = 1

[[heuristic]]
kind = "link_count"
score = 1

[[heuristic]]
kind = "script_mix"
scripts = ["klingon"]
min_ratio = 0.5
score = 1
)");
    CHECK(has_error(errors, "invalid_value", "t.toml:8:13 heuristic CAPS_RATIO"));
    CHECK(has_error(errors, "missing_min", "t.toml:11:1 heuristic LINK_COUNT"));
    CHECK(has_error(errors, "unknown_script", "t.toml:17:11 heuristic SCRIPT_MIX"));
}

TEST_CASE("a failing example is an error naming the rule") {
    const auto errors = load_errors(kHeader + R"(
[[rule]]
id = "EX"
pattern = '(?i)casino'
score = 1
examples.match = ["free spins"]
examples.no_match = ["Best CASINO bonus"]
)");
    REQUIRE(errors.size() == 2);
    CHECK(errors[0].code == "example_failed");
    CHECK(errors[0].where == "t.toml:6:1 rule EX");
    CHECK(errors[0].message.find("should match") != std::string::npos);
    CHECK(errors[1].message.find("should not match but matches \"CASINO\"") != std::string::npos);
}

TEST_CASE("a bad action is an error") {
    const auto errors = load_errors(kHeader + R"(
[[rule]]
id = "ACT"
pattern = 'a'
score = 1
action = "delete"
)");
    CHECK(has_error(errors, "invalid_action", "t.toml:10:10 rule ACT"));
}

TEST_CASE("hostile patterns: too long, or too large for RE2's memory cap") {
    const std::string long_pattern(5000, 'a');
    const auto errors = load_errors(
        kHeader + "[[rule]]\nid = \"LONG\"\npattern = '" + long_pattern +
        "'\nscore = 1\n\n[[rule]]\nid = \"HUGE\"\npattern = '(\\pL{50}){20}'\nscore = 1\n");
    CHECK(has_error(errors, "pattern_too_long", "t.toml:7:11 rule LONG"));
    REQUIRE(has_error(errors, "pattern_too_large", "t.toml:12:11 rule HUGE"));
}

TEST_CASE("list files are read through the ListReader; a missing list is an error") {
    const std::string text = kHeader + R"(
[[heuristic]]
kind = "blocked_domain"
list = "missing.txt"
score = 5
)";
    const auto errors = load_errors(text);
    CHECK(has_error(errors, "list_unreadable", "t.toml:8:8 heuristic BLOCKED_DOMAIN"));

    auto ok = load_ruleset(text, "t.toml", [](std::string_view) -> Result<std::string> {
        return std::string("casino.example\n");
    });
    CHECK(ok.ok());
}

TEST_CASE("flood heuristics must agree on their window") {
    const auto errors = load_errors(kHeader + R"(
[[heuristic]]
id = "FLOOD_A"
kind = "flood"
max = 3
window_seconds = 60
score = 1

[[heuristic]]
id = "FLOOD_B"
kind = "flood"
max = 10
window_seconds = 600
score = 1
)");
    CHECK(has_error(errors, "conflicting_window", "t.toml:13:1 heuristic FLOOD_B"));
}

TEST_CASE("thresholds: hold above spam is an error") {
    const auto errors = load_errors("version = \"1\"\n[thresholds]\nhold = 11\nspam = 10\n");
    CHECK(has_error(errors, "invalid_thresholds", "t.toml:2:1"));
}

TEST_CASE("words and pattern together, or an empty words list, are errors") {
    const auto errors = load_errors(kHeader + R"(
[[rule]]
id = "BOTH"
pattern = 'a'
words = ["a"]
score = 1

[[rule]]
id = "EMPTY"
words = []
score = 1
)");
    CHECK(has_error(errors, "pattern_and_words", "rule BOTH"));
    CHECK(has_error(errors, "empty_words", "t.toml:14:9 rule EMPTY"));
}

TEST_CASE("invalid ids and empty patterns are errors naming the rule and line") {
    const auto errors = load_errors(kHeader + R"(
[[rule]]
id = "has space"
pattern = 'a'
score = 1

[[rule]]
id = "EMPTY"
pattern = ''
score = 1
)");
    CHECK(has_error(errors, "invalid_id", "t.toml:7:6 rule has space"));
    CHECK(has_error(errors, "empty_pattern", "t.toml:13:11 rule EMPTY"));
}

TEST_CASE("a rule's errors of every stage are reported together, in line order") {
    const auto errors = load_errors(kHeader + R"(
[[rule]]
id = "A"
pattern = '(bad'
score = 1

[[rule]]
id = "B"
pattern = 'ok'
scroe = 1
score = 1
)");
    REQUIRE(errors.size() == 2);
    CHECK(errors[0].where == "t.toml:8:11 rule A");
    CHECK(errors[1].where == "t.toml:14:1 rule B");
}

}  // namespace vokter::core

namespace vokter::core {

TEST_CASE("languages: a top-level list of known codes, stored as written") {
    const std::string text = R"(version = "v1"
languages = ["nb", "nn", "en"]

[[heuristic]]
kind = "language"
min_letters = 30
score = 4
)";
    auto result = load_ruleset(text, "t.toml", no_lists());
    REQUIRE_MESSAGE(result.ok(), (result.ok() ? "" : dump(result.errors())));
    CHECK(result.value()->languages() == std::vector<std::string>{"nb", "nn", "en"});
    CHECK(result.value()->rules().back().kind == "language");

    // Without a language heuristic the list is still checked and kept.
    auto plain = load_ruleset("version = \"v1\"\nlanguages = [\"sv\"]\n", "t.toml", no_lists());
    REQUIRE(plain.ok());
    CHECK(plain.value()->languages() == std::vector<std::string>{"sv"});
    auto none = load_ruleset("version = \"v1\"\n", "t.toml", no_lists());
    REQUIRE(none.ok());
    CHECK(none.value()->languages().empty());
}

TEST_CASE("languages: unknown codes, an empty list or a wrong type are errors") {
    const auto unknown =
        load_errors("version = \"v1\"\nlanguages = [\"nb\", \"klingon\", \"EN\"]\n");
    INFO(dump(unknown));
    REQUIRE(unknown.size() == 2);
    CHECK(has_error(unknown, "unknown_language", "t.toml:2:13"));
    CHECK(unknown[0].message.find("'klingon'") != std::string::npos);
    CHECK(unknown[1].message.find("'EN'") != std::string::npos);
    CHECK(has_error(load_errors("version = \"v1\"\nlanguages = []\n"), "invalid_value",
                    "t.toml:2:13"));
    CHECK(has_error(load_errors("version = \"v1\"\nlanguages = \"nb\"\n"), "invalid_value",
                    "t.toml:2:13"));
}

TEST_CASE("a language heuristic without the languages list is refused") {
    const auto errors = load_errors(R"(version = "v1"

[[heuristic]]
kind = "language"
score = 4
enabled = false
)");
    INFO(dump(errors));
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].code == "missing_languages");
    CHECK(errors[0].where == "t.toml:3:1 heuristic LANGUAGE");
    CHECK(errors[0].message.find("languages = [\"nb\", \"nn\", \"en\"]") != std::string::npos);
}

TEST_CASE("keyword_name and generic_praise parameters are checked") {
    const ListReader lists = [](std::string_view name) -> Result<std::string> {
        if (name == "words.txt") return std::string("cheap*\n");
        return Error{"list_not_found", "no list " + std::string(name), ""};
    };
    const auto errors = load_errors(kHeader + R"(
[[heuristic]]
id = "NOTHING"
kind = "keyword_name"
score = 1

[[heuristic]]
id = "SHORT"
kind = "keyword_name"
min_words = 1
max_words = 3
score = 1

[[heuristic]]
kind = "generic_praise"
max_words = 0
score = 1

[[heuristic]]
id = "PRAISE_LIST"
kind = "generic_praise"
list = "nope.txt"
match_website = true
score = 1
)",
                                    lists);
    INFO(dump(errors));
    CHECK(has_error(errors, "missing_list", "t.toml:6:1 heuristic NOTHING"));
    CHECK(has_error(errors, "invalid_value", "t.toml:14:13 heuristic SHORT"));
    CHECK(has_error(errors, "unknown_key", "t.toml:15:1 heuristic SHORT"));
    CHECK(has_error(errors, "missing_list", "t.toml:18:1 heuristic GENERIC_PRAISE"));
    CHECK(has_error(errors, "invalid_value", "t.toml:20:13 heuristic GENERIC_PRAISE"));
    CHECK(has_error(errors, "list_unreadable", "t.toml:26:8 heuristic PRAISE_LIST"));
    CHECK(has_error(errors, "unknown_key", "t.toml:27:1 heuristic PRAISE_LIST"));

    auto ok = load_ruleset(kHeader + R"(
[[heuristic]]
kind = "keyword_name"
list = "words.txt"
min_words = 5
match_website = true
require_website = false
score = 3

[[heuristic]]
kind = "generic_praise"
list = "words.txt"
max_words = 40
require_website = false
score = 3
)",
                           "t.toml", lists);
    REQUIRE_MESSAGE(ok.ok(), (ok.ok() ? "" : dump(ok.errors())));
    CHECK(ok.value()->rule_count() == 2);
}

}  // namespace vokter::core
