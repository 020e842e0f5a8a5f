#include "core/classifier/classifier.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

namespace vokter::core {

namespace {

Submission comment(std::string body, std::string name = "", std::string website = "") {
    Submission s;
    s.body = std::move(body);
    s.name = std::move(name);
    s.website = std::move(website);
    return s;
}

void learn(LiveModel& live, const Submission& s, Label label, int sign = +1) {
    TrainingDelta d;
    d.add(extract_features(s).hashes(), label, sign);
    live.apply(d);
}

Classification classify_text(const LiveModel& live, const Submission& s) {
    const FeatureSet f = extract_features(s);
    Classification c = classify(*live.current(), f);
    // Clues view into `f`: copy what the test reads before it goes.
    for (auto* side : {&c.spam_clues, &c.ham_clues})
        side->clear();
    return c;
}

}  // namespace

TEST_CASE("chi-squared tail: known values") {
    CHECK(chi2_upper_tail(0.0, 2) == doctest::Approx(1.0));
    CHECK(chi2_upper_tail(2.0, 2) == doctest::Approx(0.367879).epsilon(1e-5));  // e^-1
    CHECK(chi2_upper_tail(9.488, 4) == doctest::Approx(0.05).epsilon(1e-3));
    CHECK(chi2_upper_tail(5000.0, 300) == doctest::Approx(0.0));
}

TEST_CASE("a feature's probability follows its counts and starts at `unknown`") {
    CHECK(feature_probability({0, 0}, 10, 10) == doctest::Approx(0.5));
    CHECK(feature_probability({0, 10}, 10, 10) > 0.95);
    CHECK(feature_probability({10, 0}, 10, 10) < 0.05);
    CHECK(feature_probability({5, 5}, 10, 10) == doctest::Approx(0.5));
    // Seen once: pulled toward 0.5 (s = 0.45): (0.45 * 0.5 + 1) / 1.45.
    CHECK(feature_probability({0, 1}, 10, 10) == doctest::Approx(0.8448).epsilon(1e-3));
    // Ratios, not raw counts: 1 of 10 ham against 10 of 100 spam is even.
    CHECK(feature_probability({1, 10}, 10, 100) == doctest::Approx(0.5));
}

TEST_CASE("a model with no ham or no spam says 0.5") {
    LiveModel live;
    learn(live, comment("buy cheap pills now"), Label::spam);
    const Classification c = classify_text(live, comment("buy cheap pills now"));
    CHECK(c.probability == doctest::Approx(0.5));
    CHECK(c.clues == 0);
}

TEST_CASE("learned spam and ham separate, and the strongest clues explain why") {
    LiveModel live;
    for (int i = 0; i < 20; ++i) {
        learn(live,
              comment("Greetings! Very helpful advice within this post " + std::to_string(i),
                      "Best Car Insurance", "http://cheap-insurance.example/"),
              Label::spam);
        learn(live,
              comment("Takk for et godt innlegg om skiturer i Nordmarka " + std::to_string(i),
                      "Kari Nordmann"),
              Label::ham);
    }
    const Submission spam = comment("Very helpful advice! Greetings", "Cheap Car Insurance",
                                    "http://cheap-insurance.example/");
    const FeatureSet f = extract_features(spam);
    const Classification c = classify(*live.current(), f);
    CHECK(c.probability > 0.95);
    REQUIRE_FALSE(c.spam_clues.empty());
    CHECK(c.spam_clues.size() <= 4);
    for (const Clue& clue : c.spam_clues)
        CHECK(clue.probability > 0.5);

    const Classification h = classify_text(live, comment("Godt innlegg om Nordmarka", "Ola"));
    CHECK(h.probability < 0.05);

    // Words never learned leave only the shape features, which do not decide alone.
    const Classification u = classify_text(live, comment("Zebra quantum lattice"));
    CHECK(u.probability > 0.2);
    CHECK(u.probability < 0.8);
}

TEST_CASE("unlearning a comment gives back the probabilities before it") {
    LiveModel live;
    for (int i = 0; i < 5; ++i) {
        learn(live, comment("cheap pills " + std::to_string(i)), Label::spam);
        learn(live, comment("fin tur i dag " + std::to_string(i)), Label::ham);
    }
    const Submission probe = comment("cheap tur");
    const double before = classify_text(live, probe).probability;
    const Submission odd = comment("cheap tur cheap tur");
    learn(live, odd, Label::ham);
    CHECK(classify_text(live, probe).probability != doctest::Approx(before));
    learn(live, odd, Label::ham, -1);
    CHECK(classify_text(live, probe).probability == doctest::Approx(before));
}

}  // namespace vokter::core
