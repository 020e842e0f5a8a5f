#include "core/classifier/classifier.hpp"

#include <algorithm>
#include <cmath>

namespace vokter::core {

double chi2_upper_tail(double x2, int degrees) {
    const double m = x2 / 2.0;
    double term = std::exp(-m);
    double sum = term;
    for (int i = 1; i < degrees / 2; ++i) {
        term *= m / i;
        sum += term;
    }
    return std::min(sum, 1.0);
}

double feature_probability(TokenCounts counts, std::uint32_t ham_messages,
                           std::uint32_t spam_messages, const ClassifierOptions& options) {
    const double ham_ratio = static_cast<double>(counts.ham) / ham_messages;
    const double spam_ratio = static_cast<double>(counts.spam) / spam_messages;
    const double n = static_cast<double>(counts.ham) + counts.spam;
    if (n == 0) return options.unknown;
    const double p = spam_ratio / (ham_ratio + spam_ratio);
    return (options.unknown_strength * options.unknown + n * p) / (options.unknown_strength + n);
}

Classification classify(const ClassifierModel& model, const FeatureSet& features,
                        const ClassifierOptions& options) {
    Classification result;
    const std::uint32_t ham = model.ham_messages();
    const std::uint32_t spam = model.spam_messages();
    if (ham == 0 || spam == 0) return result;

    struct Candidate {
        const Feature* feature;
        double probability;
        TokenCounts counts;
    };
    std::vector<Candidate> candidates;
    candidates.reserve(features.features.size());
    for (const Feature& f : features.features) {
        const TokenCounts counts = model.counts(f.hash);
        if (counts.ham == 0 && counts.spam == 0) continue;
        const double p = feature_probability(counts, ham, spam, options);
        if (std::abs(p - 0.5) >= options.min_strength) candidates.push_back({&f, p, counts});
    }
    if (candidates.empty()) return result;

    // Strongest first; ties broken by hash so the choice never depends on input order.
    const auto stronger = [](const Candidate& a, const Candidate& b) {
        const double sa = std::abs(a.probability - 0.5), sb = std::abs(b.probability - 0.5);
        return sa != sb ? sa > sb : a.feature->hash < b.feature->hash;
    };
    const std::size_t used =
        std::min(candidates.size(), static_cast<std::size_t>(std::max(options.max_clues, 1)));
    std::partial_sort(candidates.begin(), candidates.begin() + static_cast<std::ptrdiff_t>(used),
                      candidates.end(), stronger);

    double log_ham = 0.0;   // sum of ln p: very negative when the clues say ham
    double log_spam = 0.0;  // sum of ln (1 - p): very negative when they say spam
    for (std::size_t i = 0; i < used; ++i) {
        // Clamp so that one certain-looking feature cannot decide alone (ln 0).
        const double p = std::clamp(candidates[i].probability, 1e-6, 1.0 - 1e-6);
        log_ham += std::log(p);
        log_spam += std::log1p(-p);
    }
    const int degrees = static_cast<int>(2 * used);
    const double spamminess = 1.0 - chi2_upper_tail(-2.0 * log_spam, degrees);
    const double hamminess = 1.0 - chi2_upper_tail(-2.0 * log_ham, degrees);
    result.probability = (spamminess - hamminess + 1.0) / 2.0;
    result.clues = static_cast<int>(used);

    for (std::size_t i = 0; i < used; ++i) {
        const Candidate& c = candidates[i];
        auto& side = c.probability > 0.5 ? result.spam_clues : result.ham_clues;
        if (static_cast<int>(side.size()) < options.explain) {
            side.push_back(Clue{feature_text(*c.feature), c.probability, c.counts});
        }
    }
    return result;
}

}  // namespace vokter::core
