// The shipped rule file: it loads, and every rule's examples hold through evaluate() too.
#include "core/default_rules.hpp"

#include <doctest/doctest.h>

#include <string>

#include "core/embedded_file.hpp"
#include "core/evaluate.hpp"
#include "core/field.hpp"

namespace vokter::core {

namespace {

RulesetPtr default_ruleset() {
    auto result = load_default_ruleset();
    if (!result) {
        for (const Error& e : result.errors())
            MESSAGE(e.where << ": " << e.message);
    }
    REQUIRE(result.ok());
    return result.value();
}

// A submission with `text` in `field` (for `links`, in the body, where links are found).
Submission with_field(const std::string& field, const std::string& text) {
    Submission s;
    const auto f = parse_field(field).value_or(Field::body);
    switch (f) {
        case Field::name:
            s.name = text;
            break;
        case Field::email:
            s.email = text;
            break;
        case Field::website:
            s.website = text;
            break;
        case Field::thread:
            s.thread = text;
            break;
        case Field::ip:
            s.ip = text;
            break;
        case Field::user_agent:
            s.user_agent = text;
            break;
        case Field::body:
        case Field::links:
            s.body = text;
            break;
    }
    return s;
}

bool hits(const Verdict& v, const std::string& rule) {
    for (const Hit& h : v.hits) {
        if (h.rule == rule) return true;
    }
    return false;
}

}  // namespace

TEST_CASE("the embedded default rule file and its lists are present") {
    bool toml = false, blocked = false, disposable = false;
    for (const EmbeddedFile& f : default_rule_files()) {
        toml |= f.name == "default.toml";
        blocked |= f.name == "blocked_domains.txt";
        disposable |= f.name == "disposable_domains.txt";
    }
    CHECK(toml);
    CHECK(blocked);
    CHECK(disposable);
    CHECK_FALSE(embedded_list_reader()("nope.txt").ok());
}

TEST_CASE("the default ruleset loads with rules and heuristics") {
    const RulesetPtr rs = default_ruleset();
    CHECK(rs->version().size() > 0);
    CHECK(rs->rule_count() > 30);
    CHECK(rs->thresholds().hold < rs->thresholds().spam);
}

TEST_CASE("every shipped rule has examples, and each one holds through evaluate()") {
    const RulesetPtr rs = default_ruleset();
    for (const RuleSummary& rule : rs->rules()) {
        if (rule.kind != "regex") continue;
        CAPTURE(rule.id);
        CHECK_FALSE(rule.examples_match.empty());
        CHECK_FALSE(rule.examples_no_match.empty());
        REQUIRE_FALSE(rule.fields.empty());
        for (const std::string& text : rule.examples_match) {
            CAPTURE(text);
            CHECK(hits(evaluate(*rs, with_field(rule.fields[0], text), {}, 0), rule.id));
        }
        for (const std::string& text : rule.examples_no_match) {
            CAPTURE(text);
            CHECK_FALSE(hits(evaluate(*rs, with_field(rule.fields[0], text), {}, 0), rule.id));
        }
    }
}

TEST_CASE("default rules: typical Norwegian and English spam is held, a normal comment passes") {
    const RulesetPtr rs = default_ruleset();
    Context c;
    c.form_rendered_at = 1000;
    const auto action = [&](const std::string& body) {
        Submission s;
        s.body = body;
        return evaluate(*rs, s, c, 1060).action;
    };
    CHECK(action("Takk for et flott innlegg! Jeg prøvde oppskriften på blåbærpai i går.") ==
          Action::approve);
    CHECK(action("Great post, I learned a lot about sourdough. Thanks!") == Action::approve);
    CHECK(action("Lån uten sikkerhet, svar samme dag! Søk her: https://lan.example.com") !=
          Action::approve);
    CHECK(action("Sjekk ut kanalen min og abonner på kanalen min!") != Action::approve);
    CHECK(action("Check out my channel and subscribe to me!") != Action::approve);
    CHECK(action("Best online casino, 200 free spins: http://casino.example.xyz") == Action::spam);
    CHECK(action("Buy viagra without prescription at http://pills.example/?ref=12") ==
          Action::spam);
}

TEST_CASE("default rules: honeypot files as spam, known authors earn trust") {
    const RulesetPtr rs = default_ruleset();
    Submission s;
    s.body = "Fin tekst.";
    s.honeypot = "filled";
    CHECK(evaluate(*rs, s, {}, 0).action == Action::spam);
    s.honeypot.clear();
    s.body = "Sjekk ut kanalen min";
    Context trusted;
    trusted.author_approved = 5;
    trusted.form_rendered_at = 0;
    CHECK(evaluate(*rs, s, trusted, 60).action == Action::approve);
}

}  // namespace vokter::core
