// The learned classifier's costs (issue: "the classifier adds <= 20 µs to evaluating a 2 KB
// comment; a model of 1,000,000 features stays <= 64 MB RSS"):
//   BM_Evaluate/no_model        default rules, nothing learned (the classifier adds nothing)
//   BM_Evaluate/model_1M        the same rules with a model of 1,000,000 features that knows
//                               the comment's features (the classifier scores it)
//   BM_ExtractFeatures, BM_Classify   the two halves of the classifier's own work
// `classifier_bench --rss [N]` instead builds an N-feature (default 1,000,000) model the way
// training does (published snapshots, overlays merged into new bases) and prints the process's
// resident memory before and after.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <random>
#include <string>

#include "comment_text.hpp"
#include "core/classifier/classifier.hpp"
#include "core/default_rules.hpp"
#include "core/evaluate.hpp"

namespace {

using namespace vokter;

using bench::comment_2kb;

core::Submission submission() {
    core::Submission s;
    s.body = comment_2kb();
    s.name = "Kari Nordmann";
    s.email = "kari@example.no";
    s.website = "https://kari.example.no/";
    return s;
}

// Trains `features` random features (and the comment's own) into `live`, 10,000 a step.
void fill(core::LiveModel& live, std::size_t features) {
    std::mt19937_64 random(42);
    const std::vector<std::uint64_t> own = core::extract_features(submission()).hashes();
    core::TrainingDelta d;
    d.add(own, core::Label::ham, +1);
    d.add(own, core::Label::spam, +1);
    live.apply(d);
    for (std::size_t done = own.size(); done < features;) {
        core::TrainingDelta step;
        std::vector<std::uint64_t> batch;
        for (int i = 0; i < 10000 && done < features; ++i, ++done)
            batch.push_back(random() | 1);
        step.add(batch, done % 20000 < 10000 ? core::Label::ham : core::Label::spam, +1);
        live.apply(step);
    }
    // Enough learned comments for the classifier heuristic to speak.
    core::TrainingDelta totals;
    totals.ham_messages = 500;
    totals.spam_messages = 500;
    live.apply(totals);
}

const core::ModelPtr& model_1m() {
    static const core::ModelPtr model = [] {
        core::LiveModel live;
        fill(live, 1'000'000);
        return live.current();
    }();
    return model;
}

void BM_Evaluate(benchmark::State& state, bool with_model) {
    static const core::RulesetPtr rs = core::load_default_ruleset().value();
    const core::Submission s = submission();
    core::Context c;
    c.form_rendered_at = 1'800'000'000 - 60;
    if (with_model) c.classifier = model_1m();
    bool scored = false;
    for (auto _ : state) {
        core::Verdict v = core::evaluate(*rs, s, c, 1'800'000'000);
        scored = false;
        for (const auto& hit : v.hits)
            scored = scored || hit.detail.starts_with("spam probability");
        benchmark::DoNotOptimize(v);
    }
    if (with_model && !scored) state.SkipWithError("the default rules' classifier did not score");
}
BENCHMARK_CAPTURE(BM_Evaluate, no_model, false);
BENCHMARK_CAPTURE(BM_Evaluate, model_1M, true);

void BM_ExtractFeatures(benchmark::State& state) {
    const core::Submission s = submission();
    std::size_t n = 0;
    for (auto _ : state) {
        core::FeatureSet f = core::extract_features(s);
        n = f.features.size();
        benchmark::DoNotOptimize(f);
    }
    state.counters["features"] = static_cast<double>(n);
}
BENCHMARK(BM_ExtractFeatures);

void BM_Classify(benchmark::State& state) {
    const core::FeatureSet f = core::extract_features(submission());
    const core::ModelPtr& model = model_1m();
    for (auto _ : state) {
        core::Classification c = core::classify(*model, f);
        benchmark::DoNotOptimize(c);
    }
}
BENCHMARK(BM_Classify);

long rss_kib() {
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
    }
    return -1;
}

int report_rss(std::size_t features) {
    const long before = rss_kib();
    core::LiveModel live;
    fill(live, features);
    const core::ModelPtr model = live.current();
    const long after = rss_kib();
    std::printf("features %zu, tables %.1f MB, RSS %.1f MB before, %.1f MB after (+%.1f MB)\n",
                model->features(), model->memory_bytes() / 1e6, before / 1024.0, after / 1024.0,
                (after - before) / 1024.0);
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc > 1 && std::strcmp(argv[1], "--rss") == 0) {
        return report_rss(argc > 2 ? std::stoul(argv[2]) : 1'000'000);
    }
    benchmark::Initialize(&argc, argv);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
