// Compares designs for the learned spam classifier on labelled comment exports and prints a
// markdown report (docs/classifier.md explains the figures and the choice). A plain main: the
// figures are accuracies, with one timing section, so Google Benchmark would add nothing.
//
//   classifier_compare [--rate R] [--passes P] [--bits B] [--no-tuning] FILE.csv FILE.csv...
//
// Each FILE is a labelled export that app::read_labelled_csv() reads, e.g. the YouTube Spam
// Collection (COMMENT_ID,AUTHOR,DATE,CONTENT,CLASS; 1 spam, 0 ham; HTML-escaped text). Designs, all
// on the same features (core/classifier/features.hpp):
//   A   Robinson–Fisher chi-squared, the shipped core::classify() with its default options;
//   B   online logistic regression on hashed binary features (2^bits float weights, SGD on the
//       logistic loss, one example at a time; `passes` shuffled passes in the batch protocol);
//   C1  A without the b: word-pair features;  C2  B without them.
// Protocols, none scoring a comment its model learned: cross-video (learn all of one file, score
// all of another, every ordered pair); within a file by date (learn the oldest 70%, score the
// newest 30%); online over each file in date order (score each comment, then learn its true
// label). Then speed and memory with a model learned from every file, bootstrap intervals of
// A - B, a check that unlearning restores the scores, and a small tuning grid for B. Every
// figure but the timings is deterministic. Exit code 0, or 2 on bad arguments or an unreadable
// file.

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <iostream>
#include <iterator>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "app/labelled_csv.hpp"
#include "core/classifier/classifier.hpp"
#include "core/classifier/features.hpp"
#include "core/classifier/model.hpp"

namespace {

using vokter::core::FeatureSet;
using vokter::core::Label;
namespace core = vokter::core;

constexpr double kHold = 0.9;   // the product holds a comment for a moderator from here
constexpr double kSpam = 0.99;  // and files it as spam from here
constexpr std::size_t kWarmUp = 100;
constexpr std::size_t kBlock = 50;

// --- Data -------------------------------------------------------------------------------------

struct Example {
    std::int64_t created = 0;  // Unix seconds of the date column
    Label label = Label::ham;
    core::Submission submission;
    FeatureSet all;       // extract_features(submission)
    FeatureSet no_pairs;  // the same without the b: word pairs
};

struct Corpus {
    std::string name;
    std::vector<Example> examples;  // in file order
    int spam = 0;
    int ham = 0;
};

// The features of `all` but its word pairs; they view the texts `all` keeps, so `all` must
// outlive the result (both live in one Example).
FeatureSet without_pairs(const FeatureSet& all) {
    FeatureSet out;
    for (const core::Feature& f : all.features) {
        if (f.prefix != "b:") out.features.push_back(f);
    }
    return out;
}

// Reads one export with app::read_labelled_csv() (YouTube and WordPress layouts, HTML entities
// decoded), or returns nullopt after printing why to stderr.
std::optional<Corpus> read_corpus(const std::string& path) {
    auto comments = vokter::app::read_labelled_csv(path);
    if (!comments) {
        for (const vokter::Error& e : comments.errors())
            std::cerr << e.where << ": " << e.message << " [" << e.code << "]\n";
        return std::nullopt;
    }
    Corpus corpus;
    corpus.name = std::filesystem::path(path).stem().string();
    for (vokter::app::LabelledComment& c : comments.value()) {
        Example e;
        e.created = c.created;
        e.label = c.spam ? Label::spam : Label::ham;
        e.submission = std::move(c.submission);
        e.all = core::extract_features(e.submission);
        e.no_pairs = without_pairs(e.all);
        (e.label == Label::spam ? corpus.spam : corpus.ham) += 1;
        corpus.examples.push_back(std::move(e));
    }
    return corpus;
}

// --- Designs ----------------------------------------------------------------------------------

class Design {
  public:
    explicit Design(bool pairs) : pairs_(pairs) {}
    virtual ~Design() = default;
    virtual std::string name() const = 0;
    // Forgets everything learned.
    virtual void clear() = 0;
    // Learns one comment as `label` (sign +1), or takes that back (sign -1).
    virtual void learn(const Example& e, Label label, int sign) = 0;
    // Learns a whole training set (the batch protocol); by default one pass in order.
    virtual void train(const std::vector<const Example*>& set) {
        for (const Example* e : set)
            learn(*e, e->label, 1);
    }
    // The spam probability of `e`.
    virtual double score(const Example& e) const = 0;
    virtual std::size_t memory_bytes() const = 0;

  protected:
    const FeatureSet& features(const Example& e) const { return pairs_ ? e.all : e.no_pairs; }
    bool pairs_;
};

class FisherDesign final : public Design {
  public:
    using Design::Design;
    std::string name() const override {
        return pairs_ ? "A Robinson–Fisher" : "C1 Robinson–Fisher, no pairs";
    }
    void clear() override { model_.reset({}, 0, 0); }
    void learn(const Example& e, Label label, int sign) override {
        core::TrainingDelta delta;
        delta.add(features(e).hashes(), label, sign);
        model_.apply(delta);
    }
    void train(const std::vector<const Example*>& set) override {
        core::TrainingDelta delta;
        for (const Example* e : set)
            delta.add(features(*e).hashes(), e->label, 1);
        model_.apply(delta);
    }
    double score(const Example& e) const override {
        return core::classify(*model_.current(), features(e)).probability;
    }
    std::size_t memory_bytes() const override { return model_.current()->memory_bytes(); }
    std::size_t features_known() const { return model_.current()->features(); }

  private:
    core::LiveModel model_;
};

struct LogisticOptions {
    double rate = 0.2;
    int passes = 20;
    int bits = 20;
};

class LogisticDesign final : public Design {
  public:
    LogisticDesign(bool pairs, LogisticOptions options)
        : Design(pairs), options_(options), weights_(std::size_t{1} << options.bits, 0.0f) {}
    std::string name() const override {
        return pairs_ ? "B logistic regression" : "C2 logistic regression, no pairs";
    }
    void clear() override { std::fill(weights_.begin(), weights_.end(), 0.0f); }
    // One step of stochastic gradient descent on the logistic loss. Sign -1 steps the other way
    // at the current weights: the nearest a linear model has to unlearning, and not exact.
    void learn(const Example& e, Label label, int sign) override {
        const double target = label == Label::spam ? 1.0 : 0.0;
        const double step = sign * options_.rate * (target - sigmoid(margin(e)));
        for (const core::Feature& f : features(e).features)
            weights_[slot(f.hash)] += static_cast<float>(step);
    }
    void train(const std::vector<const Example*>& set) override {
        std::vector<const Example*> order = set;
        std::mt19937_64 random(20240601);  // fixed, so every run gives the same figures
        for (int pass = 0; pass < options_.passes; ++pass) {
            for (std::size_t i = order.size(); i > 1; --i)  // Fisher–Yates, portable
                std::swap(order[i - 1], order[random() % i]);
            for (const Example* e : order)
                learn(*e, e->label, 1);
        }
    }
    double score(const Example& e) const override { return sigmoid(margin(e)); }
    std::size_t memory_bytes() const override { return weights_.size() * sizeof(float); }

  private:
    static double sigmoid(double z) { return 1.0 / (1.0 + std::exp(-z)); }
    std::size_t slot(std::uint64_t hash) const { return hash >> (64 - options_.bits); }
    double margin(const Example& e) const {
        double z = 0.0;
        for (const core::Feature& f : features(e).features)
            z += weights_[slot(f.hash)];
        return z;
    }

    LogisticOptions options_;
    std::vector<float> weights_;
};

// --- Figures ----------------------------------------------------------------------------------

struct Scored {
    double probability;
    bool spam;
};

struct Summary {
    int spam = 0, ham = 0;
    int caught_hold = 0, flagged_hold = 0;  // at p >= kHold
    int caught_spam = 0, flagged_spam = 0;  // at p >= kSpam
    int caught_clean = 0;                   // spam scored above every ham
    int caught_percent = 0;                 // spam caught with at most 1% of ham flagged
    double auc = 0.0;                       // ROC AUC, ties counted half
};

Summary summarise(const std::vector<Scored>& scored) {
    Summary s;
    std::vector<double> hams;
    for (const Scored& x : scored) {
        (x.spam ? s.spam : s.ham) += 1;
        if (x.probability >= kHold) (x.spam ? s.caught_hold : s.flagged_hold) += 1;
        if (x.probability >= kSpam) (x.spam ? s.caught_spam : s.flagged_spam) += 1;
        if (!x.spam) hams.push_back(x.probability);
    }
    // The spam scored above the (k+1)-th highest ham, so that at most k ham are flagged.
    std::sort(hams.begin(), hams.end(), std::greater<>());
    const auto caught_above = [&](std::size_t k) {
        const double bar = k < hams.size() ? hams[k] : -1.0;
        int n = 0;
        for (const Scored& x : scored)
            n += x.spam && x.probability > bar;
        return n;
    };
    s.caught_clean = caught_above(0);
    s.caught_percent = caught_above(hams.size() / 100);
    // AUC by ranks: sort ascending, average ranks over ties (Mann–Whitney U).
    std::vector<Scored> sorted = scored;
    std::sort(sorted.begin(), sorted.end(),
              [](const Scored& a, const Scored& b) { return a.probability < b.probability; });
    double spam_rank_sum = 0.0;
    for (std::size_t i = 0; i < sorted.size();) {
        std::size_t j = i;
        while (j < sorted.size() && sorted[j].probability == sorted[i].probability)
            ++j;
        const double rank = (static_cast<double>(i + 1) + static_cast<double>(j)) / 2.0;
        for (std::size_t k = i; k < j; ++k) {
            if (sorted[k].spam) spam_rank_sum += rank;
        }
        i = j;
    }
    if (s.spam > 0 && s.ham > 0) {
        const double u = spam_rank_sum - static_cast<double>(s.spam) * (s.spam + 1) / 2.0;
        s.auc = u / (static_cast<double>(s.spam) * s.ham);
    }
    return s;
}

std::string percent(int n, int total) {
    char buf[48];
    if (total == 0) return "–";
    std::snprintf(buf, sizeof buf, "%.1f (%d)", 100.0 * n / total, n);
    return buf;
}

std::string fixed(double x, int digits) {
    char buf[48];
    std::snprintf(buf, sizeof buf, "%.*f", digits, x);
    return buf;
}

std::string summary_header() {
    return "| design | spam caught, p≥0.9 | ham flagged, p≥0.9 | spam caught, p≥0.99 | ham "
           "flagged, p≥0.99 | ROC AUC | spam caught at 0 ham flagged | spam caught at ≤1% ham "
           "flagged |\n"
           "|---|---|---|---|---|---|---|---|\n";
}

std::string summary_row(const std::string& name, const Summary& s) {
    return "| " + name + " | " + percent(s.caught_hold, s.spam) + " | " +
           percent(s.flagged_hold, s.ham) + " | " + percent(s.caught_spam, s.spam) + " | " +
           percent(s.flagged_spam, s.ham) + " | " + fixed(s.auc, 4) + " | " +
           percent(s.caught_clean, s.spam) + " | " + percent(s.caught_percent, s.spam) + " |\n";
}

// --- Protocols --------------------------------------------------------------------------------

std::vector<const Example*> pointers(const Corpus& c) {
    std::vector<const Example*> out;
    for (const Example& e : c.examples)
        out.push_back(&e);
    return out;
}

// Learns all of `train`, scores all of `test`.
std::vector<Scored> cross(Design& design, const std::vector<const Example*>& train,
                          const std::vector<const Example*>& test) {
    design.clear();
    design.train(train);
    std::vector<Scored> out;
    for (const Example* e : test)
        out.push_back({design.score(*e), e->label == Label::spam});
    return out;
}

std::vector<Scored> cross(Design& design, const Corpus& train, const Corpus& test) {
    return cross(design, pointers(train), pointers(test));
}

std::vector<const Example*> by_date(const Corpus& c) {
    std::vector<const Example*> out = pointers(c);
    std::stable_sort(out.begin(), out.end(),
                     [](const Example* a, const Example* b) { return a->created < b->created; });
    return out;
}

// Scores each comment in date order before learning its true label.
std::vector<Scored> online(Design& design, const Corpus& c) {
    design.clear();
    std::vector<Scored> out;
    for (const Example* e : by_date(c)) {
        out.push_back({design.score(*e), e->label == Label::spam});
        design.learn(*e, e->label, 1);
    }
    return out;
}

std::vector<Scored> slice(const std::vector<Scored>& v, std::size_t from, std::size_t to) {
    to = std::min(to, v.size());
    from = std::min(from, to);
    return {v.begin() + static_cast<std::ptrdiff_t>(from),
            v.begin() + static_cast<std::ptrdiff_t>(to)};
}

void append(std::vector<Scored>& to, const std::vector<Scored>& from) {
    to.insert(to.end(), from.begin(), from.end());
}

// The scores of one run of every design on the same comments, in the same order.
struct Runs {
    std::string label;
    std::vector<std::vector<Scored>> by_design;
};

std::vector<Runs> report_cross(std::vector<std::unique_ptr<Design>>& designs,
                               const std::vector<Corpus>& corpora) {
    std::vector<Runs> all;
    std::cout << "## 1. Cross-video: learn all of one file, score all of the other\n\n"
                 "Percent of the scored file's spam or ham (count in brackets). No design scores "
                 "a comment it learned.\n\n";
    for (std::size_t i = 0; i < corpora.size(); ++i) {
        for (std::size_t j = 0; j < corpora.size(); ++j) {
            if (i == j) continue;
            std::cout << "### Learn " << corpora[i].name << ", score " << corpora[j].name << " ("
                      << corpora[j].spam << " spam, " << corpora[j].ham << " ham)\n\n"
                      << summary_header();
            Runs runs{"cross: learn " + corpora[i].name + ", score " + corpora[j].name, {}};
            for (auto& d : designs) {
                runs.by_design.push_back(cross(*d, corpora[i], corpora[j]));
                std::cout << summary_row(d->name(), summarise(runs.by_design.back()));
            }
            all.push_back(std::move(runs));
            std::cout << "\n";
        }
    }
    return all;
}

// Within each file, as the TubeSpam paper splits it: learn the oldest 70%, score the newest 30%.
std::vector<Runs> report_split(std::vector<std::unique_ptr<Design>>& designs,
                               const std::vector<Corpus>& corpora) {
    std::vector<Runs> all;
    std::cout << "## 2. Within one video: learn the oldest 70%, score the newest 30%\n\n"
                 "The split of the TubeSpam paper (Alberto et al., 2015), whose best classifiers "
                 "catch about 89–96% of spam at 0% ham blocked on these files.\n\n";
    for (const Corpus& c : corpora) {
        const std::vector<const Example*> dated = by_date(c);
        const auto cut = static_cast<std::ptrdiff_t>(dated.size() * 7 / 10);
        const std::vector<const Example*> train(dated.begin(), dated.begin() + cut);
        const std::vector<const Example*> test(dated.begin() + cut, dated.end());
        int spam = 0;
        for (const Example* e : test)
            spam += e->label == Label::spam;
        std::cout << "### " << c.name << ": learn " << train.size() << ", score " << test.size()
                  << " (" << spam << " spam, " << test.size() - spam << " ham)\n\n"
                  << summary_header();
        Runs runs{"70/30: " + c.name, {}};
        for (auto& d : designs) {
            runs.by_design.push_back(cross(*d, train, test));
            std::cout << summary_row(d->name(), summarise(runs.by_design.back()));
        }
        all.push_back(std::move(runs));
        std::cout << "\n";
    }
    return all;
}

// Returns the scores after the first kWarmUp comments of each file, pooled.
Runs report_online(std::vector<std::unique_ptr<Design>>& designs,
                   const std::vector<Corpus>& corpora) {
    std::cout << "## 3. Online, in date order: score each comment, then learn its true label\n\n"
                 "Each comment is scored by a model that has learned only the comments posted "
                 "before it (a moderator correcting every verdict). \"After 100\" leaves out the "
                 "first "
              << kWarmUp << " comments of each file.\n\n";
    std::vector<std::vector<Scored>> pooled(designs.size());
    for (const Corpus& c : corpora) {
        std::vector<std::vector<Scored>> runs;
        for (auto& d : designs)
            runs.push_back(online(*d, c));
        std::cout << "### " << c.name << "\n\n"
                  << "| design | spam caught, p≥0.9, all | ham flagged, p≥0.9, all | spam caught, "
                     "p≥0.9, after 100 | ham flagged, p≥0.9, after 100 | ROC AUC, after 100 |\n"
                     "|---|---|---|---|---|---|\n";
        for (std::size_t k = 0; k < designs.size(); ++k) {
            const Summary all = summarise(runs[k]);
            const Summary late = summarise(slice(runs[k], kWarmUp, runs[k].size()));
            std::cout << "| " << designs[k]->name() << " | " << percent(all.caught_hold, all.spam)
                      << " | " << percent(all.flagged_hold, all.ham) << " | "
                      << percent(late.caught_hold, late.spam) << " | "
                      << percent(late.flagged_hold, late.ham) << " | " << fixed(late.auc, 4)
                      << " |\n";
            append(pooled[k], slice(runs[k], kWarmUp, runs[k].size()));
        }
        std::cout << "\nLearning curve: spam caught % / ham flagged % at p≥0.9, per block of "
                  << kBlock << " comments in date order.\n\n| comments | spam, ham |";
        for (auto& d : designs)
            std::cout << " " << d->name() << " |";
        std::cout << "\n|---|---|";
        for (std::size_t k = 0; k < designs.size(); ++k)
            std::cout << "---|";
        std::cout << "\n";
        for (std::size_t from = 0; from < runs[0].size(); from += kBlock) {
            const std::size_t to = std::min(from + kBlock, runs[0].size());
            const Summary first = summarise(slice(runs[0], from, to));
            std::cout << "| " << from + 1 << "–" << to << " | " << first.spam << ", " << first.ham
                      << " |";
            for (const auto& run : runs) {
                const Summary s = summarise(slice(run, from, to));
                std::cout << " "
                          << (s.spam ? fixed(100.0 * s.caught_hold / s.spam, 0) : std::string("–"))
                          << " / "
                          << (s.ham ? fixed(100.0 * s.flagged_hold / s.ham, 0) : std::string("–"))
                          << " |";
            }
            std::cout << "\n";
        }
        std::cout << "\n";
    }
    if (corpora.size() > 1) {
        std::cout << "### All files, after the first " << kWarmUp << " of each\n\n"
                  << summary_header();
        for (std::size_t k = 0; k < designs.size(); ++k)
            std::cout << summary_row(designs[k]->name(), summarise(pooled[k]));
        std::cout << "\n(ROC AUC here pools scores from separate runs, one per file.)\n\n";
    }
    return {"online: all files after the first " + std::to_string(kWarmUp) + " of each",
            std::move(pooled)};
}

// Best of ten timings of `f` over every example, in nanoseconds per example.
template <class F>
double time_per_example(const std::vector<const Example*>& set, F&& f) {
    double best = 1e300;
    volatile double sink = 0.0;
    for (int round = 0; round < 10; ++round) {
        std::size_t done = 0;
        const auto start = std::chrono::steady_clock::now();
        std::chrono::duration<double> elapsed{};
        do {
            for (const Example* e : set)
                sink = sink + f(*e);
            done += set.size();
            elapsed = std::chrono::steady_clock::now() - start;
        } while (elapsed.count() < 0.1);
        best = std::min(best, elapsed.count() * 1e9 / static_cast<double>(done));
    }
    return best;
}

void report_speed(std::vector<std::unique_ptr<Design>>& designs,
                  const std::vector<Corpus>& corpora) {
    std::vector<const Example*> all;
    for (const Corpus& c : corpora) {
        for (const Example& e : c.examples)
            all.push_back(&e);
    }
    std::cout << "## 4. Speed and memory, with a model learned from all " << all.size()
              << " comments\n\n"
                 "Nanoseconds per comment, best of ten rounds of at least 0.1 s over every "
                 "comment, one thread.\n\n"
                 "| step | ns per comment |\n|---|---|\n";
    const double extract = time_per_example(all, [](const Example& e) {
        return static_cast<double>(core::extract_features(e.submission).features.size());
    });
    std::cout << "| features: normalise + extract_features | " << fixed(extract, 0) << " |\n";
    std::vector<std::size_t> memory;
    for (auto& d : designs) {
        d->clear();
        d->train(all);
        memory.push_back(d->memory_bytes());
        const double score = time_per_example(all, [&](const Example& e) { return d->score(e); });
        std::cout << "| score, " << d->name() << " | " << fixed(score, 0) << " |\n";
    }
    std::cout << "\n| design | model memory |\n|---|---|\n";
    for (std::size_t k = 0; k < designs.size(); ++k) {
        std::cout << "| " << designs[k]->name() << " | " << fixed(memory[k] / 1024.0, 0) << " KiB";
        if (const auto* fisher = dynamic_cast<const FisherDesign*>(designs[k].get()))
            std::cout << " (" << fisher->features_known() << " features counted)";
        else
            std::cout << " (fixed)";
        std::cout << " |\n";
    }
    std::cout << "\n";
}

// Paired bootstrap of the differences between design 0 and design 1 on the same comments:
// spam and ham are resampled apart (so each resample keeps the class counts) and both designs
// see the same resample. Prints the 95% interval of each difference.
void report_intervals(const std::vector<std::unique_ptr<Design>>& designs,
                      const std::vector<Runs>& all) {
    constexpr int kResamples = 2000;
    struct Stat {
        const char* name;
        double (*of)(const Summary&);
    };
    const Stat stats[] = {
        {"ROC AUC", [](const Summary& s) { return s.auc; }},
        {"spam caught at 0 ham flagged, points",
         [](const Summary& s) { return 100.0 * s.caught_clean / s.spam; }},
        {"spam caught at ≤1% ham flagged, points",
         [](const Summary& s) { return 100.0 * s.caught_percent / s.spam; }},
        {"spam caught p≥0.9, points",
         [](const Summary& s) { return 100.0 * s.caught_hold / s.spam; }},
        {"ham flagged p≥0.9, points",
         [](const Summary& s) { return 100.0 * s.flagged_hold / s.ham; }},
    };
    std::cout << "## 5. How sure: " << designs[0]->name() << " minus " << designs[1]->name()
              << "\n\nEach cell: the difference on the data, then its 95% interval from "
              << kResamples
              << " paired bootstrap resamples of the scored comments (spam and ham resampled "
                 "apart). An interval that spans 0 is no evidence either way.\n\n| run |";
    for (const Stat& st : stats)
        std::cout << " " << st.name << " |";
    std::cout << "\n|---|";
    for (std::size_t k = 0; k < std::size(stats); ++k)
        std::cout << "---|";
    std::cout << "\n";
    std::mt19937_64 random(7);
    for (const Runs& runs : all) {
        const std::vector<Scored>& a = runs.by_design[0];
        const std::vector<Scored>& b = runs.by_design[1];
        std::vector<std::size_t> spam, ham;
        for (std::size_t i = 0; i < a.size(); ++i)
            (a[i].spam ? spam : ham).push_back(i);
        std::vector<std::vector<double>> differences(std::size(stats));
        std::vector<Scored> ra, rb;
        for (int r = 0; r < kResamples; ++r) {
            ra.clear();
            rb.clear();
            for (const auto* group : {&spam, &ham}) {
                for (std::size_t n = 0; n < group->size(); ++n) {
                    const std::size_t i = (*group)[random() % group->size()];
                    ra.push_back(a[i]);
                    rb.push_back(b[i]);
                }
            }
            const Summary sa = summarise(ra), sb = summarise(rb);
            for (std::size_t k = 0; k < std::size(stats); ++k)
                differences[k].push_back(stats[k].of(sa) - stats[k].of(sb));
        }
        const Summary sa = summarise(a), sb = summarise(b);
        std::cout << "| " << runs.label << " |";
        for (std::size_t k = 0; k < std::size(stats); ++k) {
            std::vector<double>& d = differences[k];
            std::sort(d.begin(), d.end());
            const int digits = k == 0 ? 4 : 1;
            std::cout << " " << fixed(stats[k].of(sa) - stats[k].of(sb), digits) << " ["
                      << fixed(d[d.size() * 25 / 1000], digits) << ", "
                      << fixed(d[d.size() * 975 / 1000], digits) << "] |";
        }
        std::cout << "\n";
    }
    std::cout << "\n";
}

// Learns corpus a, then b; takes b back one comment at a time in reverse order, as a moderator
// reversing each decision would; returns the largest change this left in the scores of b's
// comments against the model that learned only a.
double unlearn_gap(Design& design, const Corpus& a, const Corpus& b) {
    design.clear();
    design.train(pointers(a));
    std::vector<double> before;
    for (const Example& e : b.examples)
        before.push_back(design.score(e));
    for (const Example& e : b.examples)
        design.learn(e, e.label, 1);
    for (auto it = b.examples.rbegin(); it != b.examples.rend(); ++it)
        design.learn(*it, it->label, -1);
    double gap = 0.0;
    for (std::size_t i = 0; i < b.examples.size(); ++i)
        gap = std::max(gap, std::abs(design.score(b.examples[i]) - before[i]));
    return gap;
}

void report_unlearning(std::vector<std::unique_ptr<Design>>& designs,
                       const std::vector<Corpus>& corpora) {
    if (corpora.size() < 2) return;
    std::cout << "## 6. Unlearning\n\n"
                 "Learn "
              << corpora[0].name << ", then learn each comment of " << corpora[1].name
              << " and take each back again (newest first). Largest change this leaves in a "
                 "score of "
              << corpora[1].name
              << " against the model before: 0 means unlearning is exact. Logistic regression "
                 "can only step against the gradient at its current weights.\n\n"
                 "| design | largest score change |\n|---|---|\n";
    for (auto& d : designs)
        std::cout << "| " << d->name() << " | " << fixed(unlearn_gap(*d, corpora[0], corpora[1]), 6)
                  << " |\n";
    std::cout << "\n";
}

// Both protocols in brief for one design: pooled over files (or ordered pairs of files), with
// the mean of the per-run AUCs.
struct Brief {
    Summary cross, online;
    double cross_auc = 0.0, online_auc = 0.0;
};

Brief brief_cross(Design& design, const std::vector<Corpus>& corpora) {
    Brief b;
    std::vector<Scored> pooled;
    int runs = 0;
    for (std::size_t i = 0; i < corpora.size(); ++i) {
        for (std::size_t j = 0; j < corpora.size(); ++j) {
            if (i == j) continue;
            const auto run = cross(design, corpora[i], corpora[j]);
            b.cross_auc += summarise(run).auc;
            ++runs;
            append(pooled, run);
        }
    }
    b.cross = summarise(pooled);
    b.cross_auc /= runs;
    return b;
}

void brief_online(Design& design, const std::vector<Corpus>& corpora, Brief& b) {
    std::vector<Scored> pooled;
    for (const Corpus& c : corpora) {
        const auto run = online(design, c);
        const auto late = slice(run, kWarmUp, run.size());
        b.online_auc += summarise(late).auc / static_cast<double>(corpora.size());
        append(pooled, late);
    }
    b.online = summarise(pooled);
}

std::string brief_row(const std::string& label, const Brief& b) {
    return "| " + label + " | " + percent(b.cross.caught_hold, b.cross.spam) + " | " +
           percent(b.cross.flagged_hold, b.cross.ham) + " | " +
           percent(b.cross.caught_percent, b.cross.spam) + " | " + fixed(b.cross_auc, 4) + " | " +
           percent(b.online.caught_hold, b.online.spam) + " | " +
           percent(b.online.flagged_hold, b.online.ham) + " | " + fixed(b.online_auc, 4) + " |\n";
}

// A small grid of learning rates and passes for design B, beside A, so the choice can be seen.
void report_tuning(const std::vector<Corpus>& corpora, int bits) {
    if (corpora.size() < 2) return;
    const double rates[] = {0.02, 0.05, 0.1, 0.2, 0.5};
    const int passes[] = {1, 5, 20};
    std::cout << "## 7. Tuning design B (logistic regression)\n\n"
                 "On the same development files, so the rate picked here flatters B a little (A "
                 "runs with SpamBayes' defaults, untuned). Cross-video: both directions pooled, "
                 "AUC the mean of the two. Online: both files after the first "
              << kWarmUp
              << " of each, pooled, AUC the mean of the two; one step per comment whatever "
                 "the passes.\n\n"
                 "| design | cross: caught p≥0.9 | cross: flagged p≥0.9 | cross: caught at ≤1% "
                 "flagged | cross: AUC | online: caught p≥0.9 | online: flagged p≥0.9 | online: "
                 "AUC |\n"
                 "|---|---|---|---|---|---|---|---|\n";
    {
        FisherDesign a(true);
        Brief b = brief_cross(a, corpora);
        brief_online(a, corpora, b);
        std::cout << brief_row("A Robinson–Fisher", b);
    }
    for (const double rate : rates) {
        Brief on;
        LogisticDesign once(true, {rate, 1, bits});
        brief_online(once, corpora, on);
        for (const int p : passes) {
            LogisticDesign d(true, {rate, p, bits});
            Brief b = brief_cross(d, corpora);
            b.online = on.online;
            b.online_auc = on.online_auc;
            std::cout << brief_row("B rate " + fixed(rate, 2) + ", " + std::to_string(p) +
                                       (p == 1 ? " pass" : " passes"),
                                   b);
        }
    }
    std::cout << "\n";
}

int usage() {
    std::cerr << "usage: classifier_compare [--rate R] [--passes P] [--bits B] [--no-tuning] "
                 "FILE.csv...\n";
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    LogisticOptions lr;
    bool tuning = true;
    std::vector<std::string> files;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        const bool has_value = i + 1 < argc;
        if (arg == "--rate" && has_value) {
            lr.rate = std::atof(argv[++i]);
        } else if (arg == "--passes" && has_value) {
            lr.passes = std::atoi(argv[++i]);
        } else if (arg == "--bits" && has_value) {
            lr.bits = std::atoi(argv[++i]);
        } else if (arg == "--no-tuning") {
            tuning = false;
        } else if (arg.starts_with("--")) {
            return usage();
        } else {
            files.push_back(arg);
        }
    }
    if (files.empty() || lr.rate <= 0 || lr.passes < 1 || lr.bits < 10 || lr.bits > 26)
        return usage();

    std::vector<Corpus> corpora;
    for (const std::string& f : files) {
        auto c = read_corpus(f);
        if (!c) return 2;
        corpora.push_back(std::move(*c));
    }

    std::vector<std::unique_ptr<Design>> designs;
    designs.push_back(std::make_unique<FisherDesign>(true));
    designs.push_back(std::make_unique<LogisticDesign>(true, lr));
    designs.push_back(std::make_unique<FisherDesign>(false));
    designs.push_back(std::make_unique<LogisticDesign>(false, lr));

    std::cout << "# Classifier designs compared\n\nGenerated by `bench/classifier_compare`.\n\n"
                 "| file | spam | ham |\n|---|---|---|\n";
    for (const Corpus& c : corpora)
        std::cout << "| " << c.name << " | " << c.spam << " | " << c.ham << " |\n";
    std::cout << "\nA: core::classify() with its defaults (s=0.45, x=0.5, 150 clues, minimum "
                 "strength 0.1). B: logistic regression, 2^"
              << lr.bits << " float weights, learning rate " << fixed(lr.rate, 2) << ", "
              << lr.passes
              << " shuffled passes in the cross-video protocol, one step per comment online. "
                 "C1, C2: A and B without the b: word-pair features.\n\n";

    std::vector<Runs> runs = report_cross(designs, corpora);
    for (Runs& r : report_split(designs, corpora))
        runs.push_back(std::move(r));
    runs.push_back(report_online(designs, corpora));
    report_speed(designs, corpora);
    report_intervals(designs, runs);
    report_unlearning(designs, corpora);
    if (tuning) report_tuning(corpora, lr.bits);
    return 0;
}
