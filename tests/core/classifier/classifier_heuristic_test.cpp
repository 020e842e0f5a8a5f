#include "core/classifier/classifier_heuristic.hpp"

#include <doctest/doctest.h>

#include <string>

#include "core/evaluate.hpp"
#include "core/rule_set.hpp"

namespace vokter::core {

namespace {

constexpr const char* kRules = R"(version = "t"
[[heuristic]]
id = "CLASSIFIER"
kind = "classifier"
min_ham = 3
min_spam = 2
bands = [{ min = 0.0, score = -2.0 }, { min = 0.2, score = 0.0 }, { min = 0.9, score = 6.0 }]
)";

RulesetPtr load(const std::string& text) {
    auto result = load_ruleset(text, "t.toml", nullptr);
    REQUIRE(result.ok());
    return result.value();
}

std::vector<Error> errors_of(const std::string& bands, const std::string& extra = "") {
    const std::string text = "version = \"t\"\n[[heuristic]]\nkind = \"classifier\"\n" + extra +
                             "bands = " + bands + "\n";
    auto result = load_ruleset(text, "t.toml", nullptr);
    REQUIRE_FALSE(result.ok());
    return result.errors();
}

bool has(const std::vector<Error>& errors, const std::string& words) {
    for (const Error& e : errors) {
        if (e.message.find(words) != std::string::npos) return true;
    }
    return false;
}

void learn(LiveModel& live, const std::string& body, Label label) {
    Submission s;
    s.body = body;
    TrainingDelta d;
    d.add(extract_features(s).hashes(), label, +1);
    live.apply(d);
}

const Hit* classifier_hit(const Verdict& v) {
    for (const Hit& hit : v.hits) {
        if (hit.rule == "CLASSIFIER") return &hit;
    }
    return nullptr;
}

}  // namespace

TEST_CASE("bands: the highest band at or below the probability decides") {
    ClassifierSettings s;
    s.bands = {{0.1, -1.0}, {0.5, 0.0}, {0.9, 5.0}};
    CHECK_FALSE(band_score(s, 0.05));
    CHECK(band_score(s, 0.1) == -1.0);
    CHECK(band_score(s, 0.4999) == -1.0);
    CHECK(band_score(s, 0.5) == 0.0);
    CHECK(band_score(s, 0.9) == 5.0);
    CHECK(band_score(s, 1.0) == 5.0);
    CHECK(validate_classifier(s).empty());
}

TEST_CASE("impossible classifier settings are refused like any rule error") {
    CHECK(has(errors_of("[]"), "at least one band"));
    CHECK(has(errors_of("[{ min = 0.5, score = 1.0 }, { min = 0.5, score = 2.0 }]"),
              "above the previous band"));
    CHECK(has(errors_of("[{ min = 0.9, score = 1.0 }, { min = 0.2, score = 2.0 }]"),
              "above the previous band"));
    CHECK(has(errors_of("[{ min = 1.5, score = 1.0 }]"), "between 0 and 1"));
    CHECK(has(errors_of("[{ min = -0.1, score = 1.0 }]"), "between 0 and 1"));
    CHECK(has(errors_of("[{ min = 0.1 }]"), "each band must be"));
    CHECK(has(errors_of("[{ min = 0.1, score = 1.0, colour = 'red' }]"), "each band must be"));
    CHECK(has(errors_of("[0.5]"), "each band must be"));
    CHECK(has(errors_of("[{ min = 0.1, score = nan }]"), "each band must be"));
    CHECK(has(errors_of("[{ min = 0.1, score = 1.0 }]", "min_ham = 0\n"), "min_ham"));
    CHECK(has(errors_of("[{ min = 0.1, score = 1.0 }]", "score = 3.0\n"), "per band"));
    auto missing =
        load_ruleset("version = \"t\"\n[[heuristic]]\nkind = \"classifier\"\n", "t.toml", nullptr);
    REQUIRE_FALSE(missing.ok());
    CHECK(missing.errors().front().where.starts_with("t.toml:"));
}

TEST_CASE("the classifier says nothing until it has learned min_ham ham and min_spam spam") {
    const RulesetPtr rules = load(kRules);
    LiveModel live;
    Submission probe;
    probe.body = "cheap pills online now";
    Context context;
    context.classifier = live.current();
    CHECK_FALSE(classifier_hit(evaluate(*rules, probe, context, 0)));  // no model at all

    learn(live, "cheap pills online", Label::spam);
    learn(live, "cheap pills today", Label::spam);
    learn(live, "fin tur i marka", Label::ham);
    learn(live, "god tur i dag", Label::ham);
    context.classifier = live.current();
    CHECK_FALSE(classifier_hit(evaluate(*rules, probe, context, 0)));  // 2 ham < min_ham 3

    learn(live, "takk for turen", Label::ham);
    context.classifier = live.current();
    const Verdict v = evaluate(*rules, probe, context, 0);
    const Hit* hit = classifier_hit(v);
    REQUIRE(hit);
    CHECK(hit->score == 6.0);
    CHECK(v.action == Action::hold);
    CHECK(hit->detail.starts_with("spam probability "));
    CHECK(hit->detail.find("(learned 3 ham, 2 spam)") != std::string::npos);
    CHECK(hit->detail.find("toward spam: ") != std::string::npos);
    CHECK(hit->detail.find("w:pills") != std::string::npos);

    Submission ham;
    ham.body = "fin tur i marka i dag";
    const Verdict ham_verdict = evaluate(*rules, ham, context, 0);  // the hit points into it
    const Hit* ham_hit = classifier_hit(ham_verdict);
    REQUIRE(ham_hit);
    CHECK(ham_hit->score == -2.0);
    CHECK(ham_hit->detail.find("toward ham: ") != std::string::npos);
}

}  // namespace vokter::core
