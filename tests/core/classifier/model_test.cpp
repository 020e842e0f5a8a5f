#include "core/classifier/model.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <vector>

namespace vokter::core {

TEST_CASE("a count table finds what was put in, through growth") {
    CountTable table;
    for (std::uint64_t h = 1; h <= 10000; ++h)
        table.at(h * 0x9E3779B97F4A7C15ull).ham = static_cast<std::uint32_t>(h);
    CHECK(table.size() == 10000);
    CHECK(table.capacity() * 4 >= table.size() * 5);  // at most 4/5 full
    for (std::uint64_t h = 1; h <= 10000; ++h) {
        const TokenCounts* c = table.find(h * 0x9E3779B97F4A7C15ull);
        REQUIRE(c != nullptr);
        CHECK(c->ham == h);
    }
    CHECK(table.find(12345) == nullptr);
}

TEST_CASE("training and untraining return the counts exactly") {
    LiveModel live;
    const std::vector<std::uint64_t> a = {11, 12, 13};
    const std::vector<std::uint64_t> b = {12, 14};
    TrainingDelta learn;
    learn.add(a, Label::spam, +1);
    learn.add(b, Label::ham, +1);
    live.apply(learn);
    ModelPtr m = live.current();
    CHECK(m->spam_messages() == 1);
    CHECK(m->ham_messages() == 1);
    CHECK(m->counts(12).ham == 1);
    CHECK(m->counts(12).spam == 1);
    CHECK(m->counts(13).spam == 1);
    CHECK(m->counts(99).ham == 0);

    TrainingDelta forget;
    forget.add(a, Label::spam, -1);
    live.apply(forget);
    m = live.current();
    CHECK(m->spam_messages() == 0);
    CHECK(m->ham_messages() == 1);
    CHECK(m->counts(11).spam == 0);
    CHECK(m->counts(12).spam == 0);
    CHECK(m->counts(12).ham == 1);
    CHECK(m->counts(14).ham == 1);
}

TEST_CASE("a snapshot taken before training is not changed by it") {
    LiveModel live;
    TrainingDelta d;
    d.add({5}, Label::ham, +1);
    live.apply(d);
    const ModelPtr before = live.current();
    live.apply(d);
    CHECK(before->counts(5).ham == 1);
    CHECK(live.current()->counts(5).ham == 2);
}

TEST_CASE("the overlay is merged into a new base past its limit, keeping every count") {
    LiveModel live({}, 0, 0, /*overlay_limit=*/64);
    for (int round = 0; round < 20; ++round) {
        TrainingDelta d;
        std::vector<std::uint64_t> features;
        for (std::uint64_t h = 1; h <= 10; ++h)
            features.push_back(static_cast<std::uint64_t>(round) * 100 + h);
        features.push_back(7777);  // in every comment
        d.add(features, round % 2 ? Label::spam : Label::ham, +1);
        live.apply(d);
    }
    const ModelPtr m = live.current();
    CHECK(m->counts(7777).ham == 10);
    CHECK(m->counts(7777).spam == 10);
    CHECK(m->counts(1901).spam == 1);
    CHECK(m->counts(1).ham == 1);
    CHECK(m->features() == 201);
    CHECK((m->overlay() == nullptr || m->overlay()->size() <= 64));

    // Unlearning a comment learned before the merge still lands on the merged counts.
    TrainingDelta forget;
    forget.add({1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 7777}, Label::ham, -1);
    live.apply(forget);
    CHECK(live.current()->counts(7777).ham == 9);
    CHECK(live.current()->counts(1).ham == 0);
    CHECK(live.current()->ham_messages() == 9);
}

TEST_CASE("counts never go below zero") {
    LiveModel live;
    TrainingDelta d;
    d.add({1}, Label::spam, -1);
    live.apply(d);
    CHECK(live.current()->counts(1).spam == 0);
    CHECK(live.current()->spam_messages() == 0);
}

TEST_CASE("compact sums the changes of a hash and drops those that cancel") {
    TrainingDelta d;
    d.add({3, 1, 2}, Label::ham, +1);
    d.add({2, 1}, Label::ham, -1);
    d.compact();
    REQUIRE(d.changes.size() == 1);
    CHECK(d.changes[0].hash == 3);
    CHECK(d.changes[0].ham == 1);
    CHECK(d.ham_messages == 0);
}

}  // namespace vokter::core
