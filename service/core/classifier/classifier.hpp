#pragma once
// The learned classifier: Robinson's token probabilities combined with Fisher's chi-squared
// method, as SpamBayes does it. Each feature's spam probability comes from the comments it was
// learned in, pulled toward `unknown` while it has been seen only a few times; the strongest
// features of a comment (those furthest from 0.5) are combined into one probability that is near
// 1 when they agree on spam, near 0 when they agree on ham, and near 0.5 when they disagree or
// are unknown. bench/classifier_compare.cpp measures it against online logistic regression;
// docs/classifier.md has the figures.
//
// Pure: it scores from an immutable model snapshot; safe to call from any thread.

#include <cstdint>
#include <string>
#include <vector>

#include "core/classifier/features.hpp"
#include "core/classifier/model.hpp"

namespace vokter::core {

struct ClassifierOptions {
    double unknown_strength = 0.45;  // Robinson's s: how much weight the prior `unknown` has
    double unknown = 0.5;            // Robinson's x: the probability of a feature never seen
    double min_strength = 0.1;       // features with |p - 0.5| below this are ignored
    int max_clues = 150;             // at most this many of the strongest features are combined
    int explain = 4;                 // clues kept for the explanation, each way
};

struct Clue {
    std::string feature;       // its text (feature_text())
    double probability = 0.5;  // the feature's spam probability
    TokenCounts counts;
};

struct Classification {
    double probability = 0.5;      // spam probability of the comment
    int clues = 0;                 // features combined
    std::vector<Clue> spam_clues;  // the strongest toward spam, strongest first
    std::vector<Clue> ham_clues;   // the strongest toward ham, strongest first
};

// The spam probability of one feature seen `counts` times, given how many ham and spam comments
// were learned. Precondition: ham_messages > 0 and spam_messages > 0.
double feature_probability(TokenCounts counts, std::uint32_t ham_messages,
                           std::uint32_t spam_messages, const ClassifierOptions& options = {});

// Scores `features` with `model`. A model that has learned no ham or no spam gives 0.5 and no
// clues.
Classification classify(const ClassifierModel& model, const FeatureSet& features,
                        const ClassifierOptions& options = {});

// Upper tail of the chi-squared distribution with `degrees` (even) degrees of freedom at x2.
double chi2_upper_tail(double x2, int degrees);

}  // namespace vokter::core
