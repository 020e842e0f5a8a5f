// GET /api/moderation/stats on a known data set.

#include <doctest/doctest.h>

#include "http/moderation_fixture.hpp"

using namespace vokter::test;
using json = nlohmann::json;

TEST_CASE("statistics count statuses, days, the queue's age and rule agreement") {
    ModerationServer s;
    constexpr std::int64_t kDay = 86'400'000;
    const std::int64_t now = wall_ms();
    const std::int64_t today = now / kDay * kDay;
    const std::int64_t yesterday = today - kDay + 5000;
    const std::int64_t long_ago = today - 40 * kDay;
    const vokter::core::Hit a{"RULE_A", 5.0, "body", "x"};
    const vokter::core::Hit b{"RULE_B", 6.0, "body", "y"};
    const vokter::core::Hit known{"KNOWN_AUTHOR", -2.0, "", "3 approved"};

    // Today: three approved by the rules, two held, one filed as spam.
    for (int i = 0; i < 3; ++i) {
        s.seed({.status = "approved",
                .created = today,
                .hits = i == 0 ? std::vector{known} : std::vector<vokter::core::Hit>{}});
    }
    const auto held1 = s.seed({.score = 5, .created = today, .hits = {a}});
    const auto held2 = s.seed({.score = 5, .created = today, .hits = {a}});
    s.seed({.status = "spam", .score = 11, .created = today, .hits = {a, b}});
    // Yesterday: two held.
    const auto old1 = s.seed({.score = 6, .created = yesterday, .hits = {b}});
    s.seed({.score = 6, .created = yesterday, .hits = {b}});
    // Outside the 30 days: one held, still waiting.
    s.seed({.score = 5, .created = long_ago, .hits = {a}});

    s.decide({held1}, "approve");  // against RULE_A
    s.decide({held2}, "spam");     // for RULE_A
    s.decide({old1}, "reject");    // for RULE_B

    const json stats = s.get_ok("/api/moderation/stats");
    CHECK(stats["by_status"] ==
          json{{"approved", 4}, {"pending", 2}, {"spam", 2}, {"rejected", 1}, {"deleted", 0}});

    const json days = stats["days"];
    REQUIRE(days.size() == 30);
    CHECK(days[29] == json{{"date", vokter::http::iso_time(today).substr(0, 10)},
                           {"submitted", 6},
                           {"approved", 4},
                           {"auto_approved", 3},
                           {"held", 2},
                           {"spam", 1}});
    CHECK(days[28]["submitted"] == 2);
    CHECK(days[28]["held"] == 2);
    CHECK(days[28]["approved"] == 0);
    for (int i = 0; i < 28; ++i)
        CHECK(days[i]["submitted"] == 0);

    CHECK(stats["queue"]["pending"] == 2);
    CHECK(stats["queue"]["oldest_pending"] == vokter::http::iso_time(long_ago));
    const auto age = stats["queue"]["age_seconds"].get<std::int64_t>();
    CHECK(age >= (now - long_ago) / 1000 - 5);
    CHECK(age <= (now - long_ago) / 1000 + 60);

    const json rules = stats["top_rules"];
    REQUIRE(rules.size() == 3);
    CHECK(
        rules[0] ==
        json{{"rule", "RULE_A"}, {"hits", 3}, {"agreed", 1}, {"disagreed", 1}, {"agreement", 0.5}});
    CHECK(
        rules[1] ==
        json{{"rule", "RULE_B"}, {"hits", 3}, {"agreed", 1}, {"disagreed", 0}, {"agreement", 1.0}});
    CHECK(rules[2]["rule"] == "KNOWN_AUTHOR");
    CHECK(rules[2]["agreement"].is_null());
}
