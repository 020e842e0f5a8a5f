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

TEST_CASE("default rules: the blog's languages are Norwegian and English") {
    const RulesetPtr rs = default_ruleset();
    CHECK(rs->languages() == std::vector<std::string>{"nb", "nn", "en"});
    Context c;
    c.form_rendered_at = 1000;
    const auto verdict = [&](const std::string& text) {
        Submission s;
        s.body = text;
        return evaluate(*rs, s, c, 1060);
    };
    for (const char* text : {
             "Jeg er helt enig med deg. Det er viktig å tenke på barna først.",
             "Eg er heilt einig med deg. Det er viktig å tenkje på borna fyrst, meiner eg.",
             "I completely agree with you, it is important to think of the children first.",
         }) {
        CAPTURE(text);
        CHECK_FALSE(hits(verdict(text), "LANGUAGE"));
        CHECK(verdict(text).action == Action::approve);
    }
    // Another language alone is not held; with a link it is.
    const std::string french =
        "Si vous recherchez un crédit, un prêt, un financement rapide et sérieux, contactez-nous.";
    CHECK(hits(verdict(french), "LANGUAGE"));
    CHECK(verdict(french).action == Action::approve);
    CHECK(verdict(french + " https://credit.example.fr").action == Action::hold);
}

TEST_CASE("default rules: blog link spam is held, never filed as spam on new signs alone") {
    const RulesetPtr rs = default_ruleset();
    Context c;
    c.form_rendered_at = 1000;
    Submission spam;
    spam.name = "Cheap Bedroom Furniture";
    spam.website = "http://windowairconditioner.example/";
    spam.title = "Fem læringspunkter fra prosjektet";
    spam.body =
        "I like what you guys are up too. Such clever work and reporting! Keep up the "
        "awesome works guys.";
    const Verdict v = evaluate(*rs, spam, c, 1060);
    CHECK(hits(v, "NAME_KEYWORDS"));
    CHECK(hits(v, "GENERIC_PRAISE"));
    CHECK(v.action == Action::hold);

    // One more independent sign files it as spam: a profile page on someone else's site.
    spam.website = "http://www.enagames.example/profile/renatevfl00";
    CHECK(evaluate(*rs, spam, c, 1060).action == Action::spam);

    // A keyword name with a website is held on its own; generic praise alone is not.
    Submission name_only;
    name_only.name = "Best Car To Buy";
    name_only.website = "http://bestcartobuy.example/";
    name_only.title = "Fem læringspunkter";
    name_only.body = "Jeg kjente meg igjen i punkt tre, særlig det om tidsplanen.";
    CHECK(evaluate(*rs, name_only, c, 1060).action == Action::hold);
    name_only.website.clear();  // no website: the name links to nothing
    CHECK(evaluate(*rs, name_only, c, 1060).action == Action::approve);

    Submission praise;
    praise.name = "Anne";
    praise.website = "https://anne.example";
    praise.title = "Surdeig for nybegynnere";
    praise.body = "Great post, thanks for sharing!";
    const Verdict p = evaluate(*rs, praise, c, 1060);
    CHECK(hits(p, "GENERIC_PRAISE"));
    CHECK(p.action == Action::approve);
}

TEST_CASE("default rules: readers with websites who write about the post pass") {
    const RulesetPtr rs = default_ruleset();
    Context c;
    c.form_rendered_at = 1000;
    Submission s;
    s.name = "Kari Nordmann";
    s.website = "https://karinordmann.example.no";
    s.title = "Fem læringspunkter fra prosjektet";
    s.body = "Takk for et flott innlegg! Punkt tre om tidsplanen kjente jeg meg igjen i.";
    Verdict v = evaluate(*rs, s, c, 1060);
    CHECK_FALSE(hits(v, "GENERIC_PRAISE"));  // "punkt" is part of "læringspunkter"
    CHECK(v.action == Action::approve);
    s.title = "Surdeig for nybegynnere";
    s.body = "Great post! My sourdough starter died twice before I found your surdeig tips.";
    v = evaluate(*rs, s, c, 1060);
    CHECK_FALSE(hits(v, "GENERIC_PRAISE"));
    CHECK(v.action == Action::approve);
}

TEST_CASE("default rules: fake technical support with a phone number is held") {
    const RulesetPtr rs = default_ruleset();
    Context c;
    c.form_rendered_at = 1000;
    Submission s;
    s.body =
        "If you are facing issues with your Kaspersky antivirus, call our toll free number "
        "1-888-555-0199 for instant help.";
    const Verdict v = evaluate(*rs, s, c, 1060);
    CHECK(hits(v, "SUPPORT_SCAM"));
    CHECK(hits(v, "SUPPORT_NUMBER"));
    CHECK(v.action == Action::hold);
    s.body = "Jeg ringte kundeservice i går, og de løste det på fem minutter.";
    CHECK(evaluate(*rs, s, c, 1060).action == Action::approve);
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
