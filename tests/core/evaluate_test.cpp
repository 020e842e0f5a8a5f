// evaluate(): regex rules per field, excerpts, scores, action overrides and hit order.
#include "core/evaluate.hpp"

#include <doctest/doctest.h>

#include <string>

namespace vokter::core {

namespace {

RulesetPtr load(const std::string& body) {
    auto result = load_ruleset("version = \"e1\"\n[thresholds]\nhold = 5\nspam = 10\n" + body,
                               "e.toml", nullptr);
    REQUIRE_MESSAGE(
        result.ok(),
        (result.ok() ? "" : result.errors()[0].where + " " + result.errors()[0].message));
    return result.value();
}

const std::string kRules = R"(
[[rule]]
id = "PHARMA"
fields = ["body", "name"]
words = ["viagra", "cialis"]
score = 6

[[rule]]
id = "LOAN"
words = ["lån uten sikkerhet", "forbrukslån*"]
score = 3

[[rule]]
id = "SHORTENER"
fields = ["links"]
pattern = '(?i)^(https?://)?(bit\.ly|tinyurl\.com)/'
score = 2

[[rule]]
id = "AGENT"
fields = ["user_agent"]
pattern = '(?i)curl|python-requests'
score = 1.5

[[rule]]
id = "FRIEND"
fields = ["email"]
pattern = '@vokter\.example$'
score = -4
)";

}  // namespace

TEST_CASE("an innocent comment is approved with no hits") {
    const auto rs = load(kRules);
    Submission s;
    s.body = "Takk for et godt innlegg om blåbær!";
    const Verdict v = evaluate(*rs, s, {}, 0);
    CHECK(v.hits.empty());
    CHECK(v.score == 0);
    CHECK(v.action == Action::approve);
    CHECK(v.ruleset_version == "e1");
}

TEST_CASE("hits carry rule, score, field and the matched words; sorted by score") {
    const auto rs = load(kRules);
    Submission s;
    s.body = "Trenger du LÅN UTEN SIKKERHET? Se bit.ly/x";
    s.name = "Viagra Shop";
    s.user_agent = "curl/8.0";
    const Verdict v = evaluate(*rs, s, {}, 0);
    REQUIRE(v.hits.size() == 4);
    CHECK(v.hits[0].rule == "PHARMA");
    CHECK(v.hits[0].field == "name");
    CHECK(v.hits[0].detail == "Viagra");
    CHECK(v.hits[1].rule == "LOAN");
    CHECK(v.hits[1].detail == "LÅN UTEN SIKKERHET");
    CHECK(v.hits[2].rule == "SHORTENER");
    CHECK(v.hits[2].field == "links");
    CHECK(v.hits[2].detail == "bit.ly/");
    CHECK(v.hits[3].rule == "AGENT");
    CHECK(v.score == doctest::Approx(12.5));
    CHECK(v.action == Action::spam);
}

TEST_CASE("a rule that matches several fields counts once") {
    const auto rs = load(kRules);
    Submission s;
    s.body = "cialis";
    s.name = "cialis";
    const Verdict v = evaluate(*rs, s, {}, 0);
    REQUIRE(v.hits.size() == 1);
    CHECK(v.hits[0].field == "body");
    CHECK(v.score == 6);
    CHECK(v.action == Action::hold);
}

TEST_CASE("negative scores lower the total") {
    const auto rs = load(kRules);
    Submission s;
    s.body = "viagra";
    s.email = "ola@vokter.example";
    const Verdict v = evaluate(*rs, s, {}, 0);
    CHECK(v.score == 2);
    CHECK(v.action == Action::approve);
    CHECK(v.hits.back().rule == "FRIEND");
}

TEST_CASE("excerpts are cut to 80 bytes on a character boundary") {
    const auto rs = load(R"(
[[rule]]
id = "LONG"
pattern = 'x(æ+)y'
score = 1
)");
    Submission s;
    s.body = "x";
    for (int i = 0; i < 100; ++i)
        s.body += "æ";
    s.body += "y";
    const Verdict v = evaluate(*rs, s, {}, 0);
    REQUIRE(v.hits.size() == 1);
    const std::string& d = v.hits[0].detail;
    CHECK(d.size() == 79 + std::string("…").size());  // "x" + 39 × "æ", then the ellipsis
    CHECK(d.substr(d.size() - 3) == "…");
}

TEST_CASE("action overrides: spam beats hold beats approve, and replace the thresholds") {
    const auto rs = load(R"(
[[rule]]
id = "WHITELIST"
pattern = 'trusted'
score = 0
action = "approve"

[[rule]]
id = "REVIEW"
pattern = 'lawyer'
score = 0
action = "hold"

[[rule]]
id = "KILL"
pattern = 'kill'
score = 0
action = "spam"

[[rule]]
id = "HEAVY"
pattern = 'heavy'
score = 20
)");
    const auto action = [&](const std::string& text) {
        Submission s;
        s.body = text;
        return evaluate(*rs, s, {}, 0).action;
    };
    CHECK(action("lawyer") == Action::hold);
    CHECK(action("kill") == Action::spam);
    CHECK(action("trusted heavy") == Action::approve);
    CHECK(action("trusted lawyer") == Action::hold);
    CHECK(action("trusted lawyer kill") == Action::spam);
    CHECK(action("heavy") == Action::spam);
    CHECK(action("heavy lawyer") == Action::hold);
}

TEST_CASE("disabled rules do not run") {
    const auto rs = load(R"(
[[rule]]
id = "OFF"
pattern = 'x'
score = 9
enabled = false
)");
    Submission s;
    s.body = "x";
    CHECK(evaluate(*rs, s, {}, 0).hits.empty());
}

TEST_CASE("the approve-all ruleset approves everything") {
    Submission s;
    s.body = "viagra casino";
    const Verdict v = evaluate(*approve_all_ruleset(), s, {}, 0);
    CHECK(v.action == Action::approve);
    CHECK(v.ruleset_version == "approve-all");
}

TEST_CASE("many rules on one field all report") {
    std::string text;
    for (int i = 0; i < 300; ++i) {
        text += "[[rule]]\nid = \"R" + std::to_string(i) + "\"\npattern = 'w" + std::to_string(i) +
                "x'\nscore = 0.5\n";
    }
    const auto rs = load(text);
    Submission s;
    s.body = "w1x w299x w150x nothing";
    const Verdict v = evaluate(*rs, s, {}, 0);
    CHECK(v.hits.size() == 3);
    CHECK(v.score == 1.5);
}

TEST_CASE("rules match normalised text: homoglyphs, full width and soft hyphens") {
    const auto rs = load(R"(
[[rule]]
id = "VIAGRA"
fields = ["body", "name", "website"]
pattern = '(?i)\bviagra\b'
score = 6

[[rule]]
id = "BLABAER"
words = ["blåbær"]
score = 1
)");
    const auto hit_ids = [&](const std::string& body) {
        Submission s;
        s.body = body;
        std::vector<std::string> ids;
        for (const Hit& hit : evaluate(*rs, s, {}, 0).hits)
            ids.push_back(hit.rule);
        return ids;
    };
    using Ids = std::vector<std::string>;
    CHECK(hit_ids("kjøp v\u0456\u0430gr\u0430 her") == Ids{"VIAGRA"});  // Cyrillic і а
    CHECK(hit_ids("kjøp ｖｉａｇｒａ her") == Ids{"VIAGRA"});
    CHECK(hit_ids("kjøp via\u00ADgra her") == Ids{"VIAGRA"});
    CHECK(hit_ids("kjøp VIA\u200BGRA her") == Ids{"VIAGRA"});
    CHECK(hit_ids("viagraen") == Ids{});
    CHECK(hit_ids("BLÅBÆR i skogen") == Ids{"BLABAER"});
    CHECK(hit_ids("blå\u00ADbær i skogen") == Ids{"BLABAER"});
    CHECK(hit_ids("blåbærsyltetøy") == Ids{});
    CHECK(hit_ids("krøkebær og blåbærene") == Ids{});

    Submission s;
    s.name = "V\u0406\u0410GR\u0410";  // Cyrillic capitals
    const Verdict v = evaluate(*rs, s, {}, 0);
    REQUIRE(v.hits.size() == 1);
    CHECK(v.hits[0].field == "name");
    CHECK(v.hits[0].detail == "VIAGRA");  // the excerpt quotes the normalised text
}

}  // namespace vokter::core
