// The atomic swap under concurrency: readers always see a whole, consistent ruleset.
#include "core/active_ruleset.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <map>
#include <string>
#include <thread>

#include "core/evaluate.hpp"

namespace vokter::core {

namespace {

// Ruleset version "vN" whose single rule scores N on the word "spam".
RulesetPtr version(int n) {
    const std::string text = "version = \"v" + std::to_string(n) +
                             "\"\n[thresholds]\nhold = 1000\nspam = 2000\n[[rule]]\nid = \"R\"\n"
                             "pattern = 'spam'\nscore = " +
                             std::to_string(n) + "\n";
    auto result = load_ruleset(text, "v.toml", nullptr);
    REQUIRE(result.ok());
    return result.value();
}

}  // namespace

TEST_CASE("evaluate on current() while another thread activates new rulesets") {
    constexpr int kVersions = 200;
    std::vector<RulesetPtr> rulesets;
    for (int n = 1; n <= kVersions; ++n)
        rulesets.push_back(version(n));

    ActiveRuleset active(rulesets[0]);
    std::atomic<bool> done{false};
    std::atomic<int> inconsistent{0};
    std::atomic<int> evaluated{0};
    std::map<std::string, int> seen;

    std::thread reader([&] {
        Submission s;
        s.body = "this is spam";
        while (!done.load()) {
            const RulesetPtr snapshot = active.current();
            const Verdict v = evaluate(*snapshot, s, {}, 0);
            // The version and the score must come from the same ruleset.
            if (v.ruleset_version != "v" + std::to_string(static_cast<int>(v.score)) ||
                v.ruleset_version != snapshot->version()) {
                ++inconsistent;
            }
            ++seen[v.ruleset_version];
            ++evaluated;
        }
    });
    while (evaluated.load() == 0)
        std::this_thread::yield();  // the reader is running
    for (int round = 0; round < 5; ++round) {
        for (const RulesetPtr& rs : rulesets) {
            active.activate(rs);
            std::this_thread::yield();
        }
    }
    // Also activate freshly loaded rulesets that nobody else holds, so old ones are freed
    // while the reader may still use them.
    for (int n = 1; n <= 20; ++n)
        active.activate(version(n));
    const int before = evaluated.load();
    while (evaluated.load() < before + 100)
        std::this_thread::yield();  // it kept going
    done = true;
    reader.join();

    CHECK(inconsistent.load() == 0);
    CHECK(evaluated.load() > 0);
    for (const auto& [name, count] : seen) {
        const int n = std::stoi(name.substr(1));
        CHECK((n >= 1 && n <= kVersions));
    }
}

}  // namespace vokter::core
