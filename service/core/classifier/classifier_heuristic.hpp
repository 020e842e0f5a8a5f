#pragma once
// The classifier as a heuristic of the rule file (`kind = "classifier"`): it scores a comment
// with the learned model in force and adds the score of the confidence band the comment's spam
// probability falls in. Until the model has learned `min_ham` ham and `min_spam` spam comments it
// adds nothing, so a new install starts on its rules alone. Its hit names the strongest features
// each way, so a moderator sees why.
//
//   [[heuristic]]
//   kind = "classifier"
//   min_ham = 20
//   min_spam = 20
//   bands = [ { min = 0.0, score = -2.0 }, { min = 0.1, score = 0.0 }, { min = 0.9, score = 6.0 } ]
//
// A band applies from its `min` (inclusive) up to the next band's; `min` rises strictly from
// band to band within [0, 1]. A probability below the first band's `min` adds nothing.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/classifier/features.hpp"
#include "core/classifier/model.hpp"

namespace vokter::core {

struct ClassifierBand {
    double min = 0.0;  // lowest spam probability of the band
    double score = 0.0;
};

struct ClassifierSettings {
    std::int64_t min_ham = 20;
    std::int64_t min_spam = 20;
    std::vector<ClassifierBand> bands;
};

// Every problem with `settings`, as messages for the rule file's error list (empty when valid):
// counts below 1, no bands, a `min` outside [0, 1] or not rising, a score that is not finite.
std::vector<std::string> validate_classifier(const ClassifierSettings& settings);

// The score of the band `probability` falls in, or nullopt below the first band.
std::optional<double> band_score(const ClassifierSettings& settings, double probability);

// Scores the submission with `model` (may be null). Returns the band's score and writes the
// explanation to `detail`, e.g. "spam probability 0.998 (learned 240 ham, 180 spam); toward spam:
// n:insurance 0.99, s:cheap-insurance.example 0.98; toward ham: w:takk 0.03"; nullopt when the
// model has not learned enough or the probability is below every band.
std::optional<double> run_classifier(const ClassifierSettings& settings,
                                     const ClassifierModel* model, const FeatureSource& source,
                                     std::string& detail);

}  // namespace vokter::core
