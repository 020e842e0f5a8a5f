// Rule engine micro-benchmarks: evaluate() on a 2 KB comment with the default ruleset and with
// 1,000 generated regex rules, and load+compile time of a 1,000-rule file.
// Targets (DESIGN.md): < 20 µs per comment at 1,000 rules; load < 100 ms.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <iostream>
#include <string>

#include "comment_text.hpp"
#include "core/default_rules.hpp"
#include "core/evaluate.hpp"

namespace {

using namespace vokter;

using bench::comment_2kb;

// A rule file with `n` regex rules of the shapes people write: word lists, alternations with
// classes, words = [...] rules, rules on other fields and on links.
std::string generated_rules(int n) {
    std::string text = "version = \"bench\"\n[thresholds]\nhold = 5\nspam = 10\n";
    for (int i = 0; i < n; ++i) {
        const std::string k = std::to_string(i);
        text += "[[rule]]\nid = \"GEN_" + k + "\"\n";
        switch (i % 5) {
            case 0:
                text += "pattern = '(?i)\\b(spamword" + k + "|offer" + k + "x)\\b'\n";
                break;
            case 1:
                text += "pattern = '(?i)buy\\s+product" + k + "\\s+(now|today)'\n";
                break;
            case 2:
                text += "words = [\"norsk" + k + "ord\", \"lån" + k + " raskt\"]\n";
                break;
            case 3:
                text += "fields = [\"body\", \"name\"]\npattern = 'code-" + k + "-[0-9]{3,6}'\n";
                break;
            case 4:
                text += "fields = [\"links\"]\npattern = '(?i)^(https?://)?spamhost" + k + "\\.'\n";
                break;
        }
        text += "score = 1.0\n";
    }
    return text;
}

core::RulesetPtr load_or_die(const std::string& text) {
    auto result = core::load_ruleset(text, "bench.toml", nullptr);
    if (!result) {
        std::cerr << result.errors().front().where << ": " << result.errors().front().message
                  << "\n";
        std::abort();
    }
    return result.value();
}

void run_evaluate(benchmark::State& state, const core::Ruleset& rs) {
    core::Submission s;
    s.body = comment_2kb();
    s.name = "Kari Nordmann";
    s.email = "kari@example.no";
    core::Context c;
    c.form_rendered_at = 1'800'000'000 - 60;
    for (auto _ : state) {
        core::Verdict v = core::evaluate(rs, s, c, 1'800'000'000);
        benchmark::DoNotOptimize(v);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                            static_cast<std::int64_t>(s.body.size()));
}

void BM_EvaluateDefaultRules(benchmark::State& state) {
    static const core::RulesetPtr rs = core::load_default_ruleset().value();
    run_evaluate(state, *rs);
}
BENCHMARK(BM_EvaluateDefaultRules);

void BM_Evaluate1000Rules(benchmark::State& state) {
    static const core::RulesetPtr rs = load_or_die(generated_rules(1000));
    run_evaluate(state, *rs);
}
BENCHMARK(BM_Evaluate1000Rules);

void BM_Evaluate1000RulesSpammy(benchmark::State& state) {
    // The same, on a comment that hits about 20 of the rules (each hit runs its own regex).
    static const core::RulesetPtr rs = load_or_die(generated_rules(1000));
    core::Submission s;
    s.body = comment_2kb();
    for (int i = 0; i < 100; i += 5)
        s.body += " spamword" + std::to_string(i);
    core::Context c;
    for (auto _ : state) {
        core::Verdict v = core::evaluate(*rs, s, c, 0);
        benchmark::DoNotOptimize(v);
    }
}
BENCHMARK(BM_Evaluate1000RulesSpammy);

void BM_Load1000Rules(benchmark::State& state) {
    const std::string text = generated_rules(1000);
    for (auto _ : state) {
        core::RulesetPtr rs = load_or_die(text);
        benchmark::DoNotOptimize(rs);
    }
}
BENCHMARK(BM_Load1000Rules)->Unit(benchmark::kMillisecond);

void BM_LoadDefaultRules(benchmark::State& state) {
    for (auto _ : state) {
        auto rs = core::load_default_ruleset();
        benchmark::DoNotOptimize(rs);
    }
}
BENCHMARK(BM_LoadDefaultRules)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
