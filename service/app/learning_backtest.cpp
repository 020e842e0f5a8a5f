#include "app/learning_backtest.hpp"

#include <algorithm>
#include <cstdio>
#include <iomanip>
#include <ostream>

#include "core/classifier/features.hpp"
#include "core/classifier/model.hpp"
#include "core/evaluate.hpp"

namespace vokter::app {

namespace {

constexpr std::int64_t kNow = 1'800'000'000;

// Spam and ham with the verdicts they got.
struct Tally {
    std::size_t spam = 0, spam_filed = 0, spam_held = 0;
    std::size_t ham = 0, ham_held = 0, ham_filed = 0;

    void add(bool is_spam, core::Action action) {
        if (is_spam) {
            ++spam;
            spam_filed += action == core::Action::spam;
            spam_held += action == core::Action::hold;
        } else {
            ++ham;
            ham_held += action == core::Action::hold;
            ham_filed += action == core::Action::spam;
        }
    }
};

std::string percent(std::size_t part, std::size_t whole) {
    if (whole == 0) return "-";
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.1f%%", 100.0 * static_cast<double>(part) / whole);
    return buffer;
}

std::string cell(std::size_t part, std::size_t whole) {
    return std::to_string(part) + " (" + percent(part, whole) + ")";
}

void print_table(std::ostream& out, const std::vector<std::pair<std::string, Tally>>& columns) {
    const auto row = [&](const std::string& label, auto value) {
        out << "  " << std::left << std::setw(24) << label;
        for (const auto& [name, t] : columns)
            out << std::setw(22) << value(t);
        out << "\n";
    };
    out << "  " << std::left << std::setw(24) << "";
    for (const auto& [name, t] : columns)
        out << std::setw(22) << name;
    out << "\n";
    row("spam", [](const Tally& t) { return std::to_string(t.spam); });
    row("  caught (held or spam)",
        [](const Tally& t) { return cell(t.spam_filed + t.spam_held, t.spam); });
    row("  filed as spam", [](const Tally& t) { return cell(t.spam_filed, t.spam); });
    row("  held", [](const Tally& t) { return cell(t.spam_held, t.spam); });
    row("ham", [](const Tally& t) { return std::to_string(t.ham); });
    row("  held", [](const Tally& t) { return cell(t.ham_held, t.ham); });
    row("  filed as spam", [](const Tally& t) { return cell(t.ham_filed, t.ham); });
}

void learn(core::LiveModel& model, const LabelledComment& comment) {
    core::TrainingDelta delta;
    delta.add(core::extract_features(comment.submission).hashes(),
              comment.spam ? core::Label::spam : core::Label::ham, +1);
    model.apply(delta);
}

// Reads every file; on any error prints them all and returns false.
bool read_all(const std::vector<std::string>& files, const LabelledCsvOptions& options,
              std::vector<LabelledComment>& out, std::ostream& err) {
    bool ok = true;
    for (const std::string& file : files) {
        auto comments = read_labelled_csv(file, options);
        if (!comments) {
            for (const Error& e : comments.errors())
                err << e.where << ": " << e.message << " [" << e.code << "]\n";
            ok = false;
            continue;
        }
        if (comments.value().empty()) {
            err << file << ": no labelled comments\n";
            ok = false;
            continue;
        }
        for (auto& c : comments.value())
            out.push_back(std::move(c));
    }
    return ok;
}

std::string names(const std::vector<std::string>& files) {
    std::string out;
    for (const std::string& f : files)
        out += (out.empty() ? "" : ", ") + f;
    return out;
}

}  // namespace

int run_learning_backtest(const core::Ruleset& rules, const LearningBacktestOptions& options,
                          std::ostream& out, std::ostream& err) {
    std::vector<LabelledComment> learned;
    std::vector<LabelledComment> scored;
    if (options.csv_files.empty()) {
        err << "backtest needs at least one --csv file\n";
        return 1;
    }
    // Both are read, so the errors of every file are reported at once.
    const bool learned_read = read_all(options.learn_files, options.csv, learned, err);
    const bool scored_read = read_all(options.csv_files, options.csv, scored, err);
    if (!learned_read || !scored_read) return 1;

    core::LiveModel model;
    for (const LabelledComment& c : learned)
        learn(model, c);
    // In date order, as they arrived (comments without a date keep their file order).
    std::stable_sort(
        scored.begin(), scored.end(),
        [](const LabelledComment& a, const LabelledComment& b) { return a.created < b.created; });

    Tally all, after_warm_up;
    std::vector<Tally> curve;
    std::vector<std::string> misses;
    core::Context context;
    context.form_rendered_at = kNow - 3600;
    for (std::size_t i = 0; i < scored.size(); ++i) {
        const LabelledComment& c = scored[i];
        context.classifier = model.current();
        const core::Verdict v = core::evaluate(rules, c.submission, context, kNow);
        all.add(c.spam, v.action);
        if (i >= options.warm_up) after_warm_up.add(c.spam, v.action);
        if (i % std::max<std::size_t>(options.block, 1) == 0) curve.emplace_back();
        curve.back().add(c.spam, v.action);
        if (options.show_misses && (c.spam == (v.action == core::Action::approve))) {
            char score[32];
            std::snprintf(score, sizeof score, "%.1f", v.score);
            std::string line =
                "  " + c.source + ":" + std::to_string(c.line) + " " +
                (c.spam ? "spam approved" : "ham " + std::string(to_string(v.action))) +
                ", score " + score + ":";
            for (const core::Hit& hit : v.hits) {
                line += " " + hit.rule;
                if (hit.rule == "CLASSIFIER") line += "(" + hit.detail.substr(17, 5) + ")";
            }
            misses.push_back(std::move(line));
        }
        if (options.online) learn(model, c);
    }

    const core::ModelPtr final_model = model.current();
    out << "Backtest of rules " << rules.version() << " with the learned classifier\n";
    if (!options.learn_files.empty()) {
        out << "  learned first: " << learned.size() << " comments from "
            << names(options.learn_files) << "\n";
    }
    out << "  scored: " << scored.size() << " comments from " << names(options.csv_files)
        << (options.online ? ", in date order, each learned with its label after it was scored"
                           : "")
        << "\n  the model ends with " << final_model->ham_messages() << " ham and "
        << final_model->spam_messages() << " spam learned, " << final_model->features()
        << " features\n\n";

    std::vector<std::pair<std::string, Tally>> columns = {{"all", all}};
    if (options.online && scored.size() > options.warm_up) {
        columns.emplace_back("after the first " + std::to_string(options.warm_up), after_warm_up);
    }
    print_table(out, columns);
    if (options.show_misses) {
        out << "\nMisses (" << misses.size() << ")\n";
        for (const std::string& line : misses)
            out << line << "\n";
    }

    if (options.online) {
        out << "\nLearning curve (" << options.block << " comments a row)\n";
        out << "  " << std::left << std::setw(14) << "comments" << std::setw(18) << "spam caught"
            << std::setw(16) << "ham held"
            << "ham filed as spam\n";
        std::size_t first = 1;
        for (const Tally& t : curve) {
            const std::size_t last = first + t.spam + t.ham - 1;
            out << "  " << std::setw(14) << (std::to_string(first) + "-" + std::to_string(last))
                << std::setw(18) << cell(t.spam_filed + t.spam_held, t.spam) << std::setw(16)
                << cell(t.ham_held, t.ham) << cell(t.ham_filed, t.ham) << "\n";
            first = last + 1;
        }
    }
    return 0;
}

}  // namespace vokter::app
