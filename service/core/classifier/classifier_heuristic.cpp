#include "core/classifier/classifier_heuristic.hpp"

#include <cmath>
#include <cstdio>

#include "core/classifier/classifier.hpp"

namespace vokter::core {

namespace {

std::string format(double value, const char* spec) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, spec, value);
    return buffer;
}

void append_clues(std::string& out, const char* heading, const std::vector<Clue>& clues) {
    if (clues.empty()) return;
    out += heading;
    for (std::size_t i = 0; i < clues.size(); ++i) {
        out += i ? ", " : " ";
        out.append(clues[i].feature);
        out += ' ';
        out += format(clues[i].probability, "%.2f");
    }
}

}  // namespace

std::vector<std::string> validate_classifier(const ClassifierSettings& settings) {
    std::vector<std::string> errors;
    if (settings.min_ham < 1) errors.push_back("'min_ham' must be at least 1");
    if (settings.min_spam < 1) errors.push_back("'min_spam' must be at least 1");
    if (settings.bands.empty()) errors.push_back("'bands' must list at least one band");
    for (std::size_t i = 0; i < settings.bands.size(); ++i) {
        const ClassifierBand& band = settings.bands[i];
        const std::string which = "band " + std::to_string(i + 1) + ": ";
        if (!(band.min >= 0.0 && band.min <= 1.0)) {
            errors.push_back(which + "'min' must be between 0 and 1");
        } else if (i > 0 && !(band.min > settings.bands[i - 1].min)) {
            errors.push_back(which + "'min' must be above the previous band's");
        }
        if (!std::isfinite(band.score)) errors.push_back(which + "'score' must be a finite number");
    }
    return errors;
}

std::optional<double> band_score(const ClassifierSettings& settings, double probability) {
    std::optional<double> score;
    for (const ClassifierBand& band : settings.bands) {
        if (probability >= band.min) score = band.score;
    }
    return score;
}

std::optional<double> run_classifier(const ClassifierSettings& settings,
                                     const ClassifierModel* model, const FeatureSource& source,
                                     std::string& detail) {
    if (!model || model->ham_messages() < settings.min_ham ||
        model->spam_messages() < settings.min_spam) {
        return std::nullopt;
    }
    const FeatureSet features = extract_features(source);
    const Classification c = classify(*model, features);
    const std::optional<double> score = band_score(settings, c.probability);
    if (!score) return std::nullopt;
    detail = "spam probability " + format(c.probability, "%.3f") + " (learned " +
             std::to_string(model->ham_messages()) + " ham, " +
             std::to_string(model->spam_messages()) + " spam)";
    append_clues(detail, "; toward spam:", c.spam_clues);
    append_clues(detail, "; toward ham:", c.ham_clues);
    return score;
}

}  // namespace vokter::core
