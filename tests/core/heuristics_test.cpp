// Each heuristic at its boundaries, configured through a rule file and run through evaluate().
#include "core/heuristics.hpp"

#include <doctest/doctest.h>

#include <string>

#include "core/evaluate.hpp"

namespace vokter::core {

namespace {

constexpr std::int64_t kNow = 1'800'000'000;

// A ruleset with one heuristic (its TOML body given) and no rules.
RulesetPtr one(const std::string& heuristic) {
    const std::string text =
        "version = \"h\"\n[thresholds]\nhold = 5\nspam = 10\n[[heuristic]]\n" + heuristic + "\n";
    auto result = load_ruleset(text, "h.toml", [](std::string_view name) -> Result<std::string> {
        if (name == "blocked.txt")
            return std::string("# spam hosts\ncasino.example\nPills.Example # caps\n");
        if (name == "disposable.txt") return std::string("mailinator.com\n");
        return Error{"list_not_found", "no list", ""};
    });
    REQUIRE_MESSAGE(
        result.ok(),
        (result.ok() ? "" : result.errors()[0].where + " " + result.errors()[0].message));
    return result.value();
}

// The score the single heuristic adds (0 when it does not fire).
double score(const RulesetPtr& rs, const Submission& s, const Context& c = {}) {
    return evaluate(*rs, s, c, kNow).score;
}

Submission body(std::string text) {
    Submission s;
    s.body = std::move(text);
    return s;
}

}  // namespace

TEST_CASE("link_count fires at min links") {
    const auto rs = one("kind = \"link_count\"\nmin = 2\nscore = 3");
    CHECK(score(rs, body("one http://a.com")) == 0);
    CHECK(score(rs, body("two http://a.com www.b.net")) == 3);
    CHECK(score(rs, body("same http://a.com http://a.com")) == 0);
    const Verdict v = evaluate(*rs, body("a.com b.org c.net"), {}, kNow);
    REQUIRE(v.hits.size() == 1);
    CHECK(v.hits[0].rule == "LINK_COUNT");
    CHECK(v.hits[0].detail == "3 links");
}

TEST_CASE("url_or_email_in_name") {
    const auto rs = one("kind = \"url_or_email_in_name\"\nscore = 2");
    Submission s;
    s.name = "Kari Nordmann";
    CHECK(score(rs, s) == 0);
    s.name = "cheap-loans.com";
    CHECK(score(rs, s) == 2);
    s.name = "kari@example.no";
    CHECK(score(rs, s) == 2);
    s.name = "Kari @ home";
    CHECK(score(rs, s) == 0);
}

TEST_CASE("caps_ratio counts letters only, from min_letters on") {
    const auto rs = one("kind = \"caps_ratio\"\nmin_ratio = 0.7\nmin_letters = 10\nscore = 2");
    CHECK(score(rs, body("HEI!!")) == 0);       // too few letters
    CHECK(score(rs, body("ÆØÅÆØÅÆabc")) == 2);  // 7 of 10
    CHECK(score(rs, body("ÆØÅÆØÅabcd")) == 0);  // 6 of 10
    CHECK(score(rs, body("KJØP BILLIG NÅ 123 !!!")) == 2);
}

TEST_CASE("repeated_chars and repeated_words") {
    const auto chars = one("kind = \"repeated_chars\"\nmin_run = 5\nscore = 1");
    CHECK(score(chars, body("heiiii")) == 0);
    CHECK(score(chars, body("heiiiii")) == 1);
    CHECK(score(chars, body("!!!!!")) == 1);
    CHECK(score(chars, body("a     b")) == 0);  // white space does not count
    CHECK(score(chars, body("ååååå")) == 1);
    const auto words = one("kind = \"repeated_words\"\nmin_repeats = 3\nscore = 1");
    CHECK(score(words, body("spam spam")) == 0);
    CHECK(score(words, body("Spam, spam SPAM!")) == 1);
    CHECK(score(words, body("bær bær bær")) == 1);
    CHECK(score(words, body("bær blåbær bær")) == 0);
}

TEST_CASE("body_length: fewer than min or more than max code points") {
    const auto rs = one("kind = \"body_length\"\nmin = 3\nmax = 5\nscore = 1");
    CHECK(score(rs, body("æø")) == 1);
    CHECK(score(rs, body("æøå")) == 0);
    CHECK(score(rs, body("æøåæø")) == 0);
    CHECK(score(rs, body("æøåæøå")) == 1);
}

TEST_CASE("honeypot") {
    const auto rs = one("kind = \"honeypot\"\nscore = 10\naction = \"spam\"");
    Submission s = body("hei");
    CHECK(evaluate(*rs, s, {}, kNow).action == Action::approve);
    s.honeypot = "x";
    const Verdict v = evaluate(*rs, s, {}, kNow);
    CHECK(v.score == 10);
    CHECK(v.action == Action::spam);
}

TEST_CASE("time_trap: too fast, in time, and a missing token") {
    const auto rs = one("kind = \"time_trap\"\nmin_seconds = 5\nscore = 4\nscore_missing = 1.5");
    Context c;
    c.form_rendered_at = kNow - 4;
    CHECK(score(rs, body("x"), c) == 4);
    c.form_rendered_at = kNow - 5;
    CHECK(score(rs, body("x"), c) == 0);
    c.form_rendered_at = kNow + 100;  // from the future: not plausible either
    CHECK(score(rs, body("x"), c) == 4);
    c.form_rendered_at.reset();
    CHECK(score(rs, body("x"), c) == 1.5);
    const auto lenient = one("kind = \"time_trap\"\nmin_seconds = 5\nscore = 4");
    CHECK(score(lenient, body("x"), c) == 0);
}

TEST_CASE("flood: more than max comments in the window, by IP or e-mail") {
    const auto rs = one("kind = \"flood\"\nmax = 3\nwindow_seconds = 300\nscore = 5");
    CHECK(rs->fact_windows().flood_seconds == 300);
    Context c;
    c.same_ip_recent = 2;  // this one is the third
    CHECK(score(rs, body("x"), c) == 0);
    c.same_ip_recent = 3;  // the fourth
    CHECK(score(rs, body("x"), c) == 5);
    c.same_ip_recent = 0;
    c.same_email_recent = 3;
    CHECK(score(rs, body("x"), c) == 5);
}

TEST_CASE("duplicate_body") {
    const auto rs = one("kind = \"duplicate_body\"\nwindow_seconds = 600\nscore = 3");
    CHECK(rs->fact_windows().duplicate_seconds == 600);
    Context c;
    CHECK(score(rs, body("x"), c) == 0);
    c.duplicate_body = true;
    CHECK(score(rs, body("x"), c) == 3);
}

TEST_CASE("blocked_domain: links and website, subdomains included, any case") {
    const auto rs = one("kind = \"blocked_domain\"\nlist = \"blocked.txt\"\nscore = 6");
    CHECK(score(rs, body("see casino.example.org")) == 0);
    CHECK(score(rs, body("see https://www.casino.example/x")) == 6);
    CHECK(score(rs, body("see http://PILLS.example")) == 6);
    CHECK(score(rs, body("see notcasino.example")) == 0);
    Submission s = body("hei");
    s.website = "https://shop.casino.example/";
    CHECK(score(rs, s) == 6);
    s.email = "a@casino.example";
    s.website = "";
    CHECK(score(rs, s) == 0);  // email is not among the default fields
    const auto with_email =
        one("kind = \"blocked_domain\"\nlist = \"blocked.txt\"\nfields = [\"email\"]\nscore = 6");
    CHECK(score(with_email, s) == 6);
}

TEST_CASE("disposable_email") {
    const auto rs = one("kind = \"disposable_email\"\nlist = \"disposable.txt\"\nscore = 2");
    Submission s = body("hei");
    s.email = "ola@gmail.com";
    CHECK(score(rs, s) == 0);
    s.email = "ola@Mailinator.com";
    CHECK(score(rs, s) == 2);
    s.email = "ola@eu.mailinator.com";
    CHECK(score(rs, s) == 2);
}

TEST_CASE("script_mix: share of letters in the listed scripts") {
    const auto rs =
        one("kind = \"script_mix\"\nscripts = [\"cyrillic\", \"cjk\"]\nmin_ratio = "
            "0.5\nmin_letters = 4\nscore = 3");
    CHECK(score(rs, body("Привет")) == 3);
    CHECK(score(rs, body("Hei på deg, dette er fint")) == 0);
    CHECK(score(rs, body("abcd Пр")) == 0);  // 2 of 6
    CHECK(score(rs, body("abc При")) == 3);  // 3 of 6
    CHECK(score(rs, body("免费中文")) == 3);
    CHECK(score(rs, body("При")) == 0);  // fewer than min_letters
}

TEST_CASE("known_author earns a negative score from min_approved on") {
    const auto rs = one("kind = \"known_author\"\nmin_approved = 2\nscore = -3");
    Context c;
    c.author_approved = 1;
    CHECK(score(rs, body("x"), c) == 0);
    c.author_approved = 2;
    CHECK(score(rs, body("x"), c) == -3);
}

TEST_CASE("text measurements") {
    CHECK(longest_char_run("aabbbc") == 3);
    CHECK(longest_word_repeat("a b b b c") == 3);
    const CapsMeasure m = measure_caps("ÆØå 12");
    CHECK(m.letters == 3);
    CHECK(m.upper == 2);
}

}  // namespace vokter::core
