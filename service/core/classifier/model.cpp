#include "core/classifier/model.hpp"

#include <algorithm>

namespace vokter::core {

namespace {

__extension__ typedef unsigned __int128 uint128;  // GCC and Clang; __extension__: not ISO C++

// Slots per entry: at most 4/5 full keeps linear probes short.
std::size_t slots_for(std::size_t entries) {
    return std::max<std::size_t>(16, entries + entries / 4 + 1);
}

std::uint32_t add_clamped(std::uint32_t value, std::int64_t delta) {
    const std::int64_t sum = static_cast<std::int64_t>(value) + delta;
    return static_cast<std::uint32_t>(std::clamp<std::int64_t>(sum, 0, UINT32_MAX));
}

}  // namespace

CountTable::CountTable(std::size_t expected) : slots_(slots_for(expected)) {}

std::size_t CountTable::index_of(std::uint64_t hash) const {
    // Maps the hash onto [0, capacity) without a division (Lemire's multiply-shift).
    return static_cast<std::size_t>((static_cast<uint128>(hash) * slots_.size()) >> 64);
}

const TokenCounts* CountTable::find(std::uint64_t hash) const {
    if (slots_.empty()) return nullptr;
    std::size_t i = index_of(hash);
    while (true) {
        const Slot& slot = slots_[i];
        if (slot.hash == hash) return &slot.counts;
        if (slot.hash == 0) return nullptr;
        if (++i == slots_.size()) i = 0;
    }
}

TokenCounts& CountTable::at(std::uint64_t hash) {
    if ((size_ + 1) * 5 > slots_.size() * 4) grow();
    std::size_t i = index_of(hash);
    while (true) {
        Slot& slot = slots_[i];
        if (slot.hash == hash) return slot.counts;
        if (slot.hash == 0) {
            slot.hash = hash;
            ++size_;
            return slot.counts;
        }
        if (++i == slots_.size()) i = 0;
    }
}

void CountTable::grow() {
    std::vector<Slot> old;
    old.swap(slots_);
    slots_.assign(slots_for(std::max<std::size_t>(size_ * 3 / 2, 16)), Slot{});
    size_ = 0;
    for (const Slot& slot : old) {
        if (slot.hash != 0) at(slot.hash) = slot.counts;
    }
}

void TrainingDelta::add(const std::vector<std::uint64_t>& features, Label label, int sign) {
    changes.reserve(changes.size() + features.size());
    for (const std::uint64_t hash : features) {
        changes.push_back(label == Label::ham ? Change{hash, sign, 0} : Change{hash, 0, sign});
    }
    (label == Label::ham ? ham_messages : spam_messages) += sign;
}

void TrainingDelta::append(const TrainingDelta& other) {
    changes.insert(changes.end(), other.changes.begin(), other.changes.end());
    ham_messages += other.ham_messages;
    spam_messages += other.spam_messages;
}

void TrainingDelta::compact() {
    std::sort(changes.begin(), changes.end(),
              [](const Change& a, const Change& b) { return a.hash < b.hash; });
    std::size_t out = 0;
    for (std::size_t i = 0; i < changes.size();) {
        Change sum{changes[i].hash, 0, 0};
        for (; i < changes.size() && changes[i].hash == sum.hash; ++i) {
            sum.ham += changes[i].ham;
            sum.spam += changes[i].spam;
        }
        if (sum.ham != 0 || sum.spam != 0) changes[out++] = sum;
    }
    changes.resize(out);
}

ClassifierModel::ClassifierModel(std::shared_ptr<const CountTable> base,
                                 std::shared_ptr<const CountTable> overlay,
                                 std::uint32_t ham_messages, std::uint32_t spam_messages)
    : base_(std::move(base)),
      overlay_(std::move(overlay)),
      ham_messages_(ham_messages),
      spam_messages_(spam_messages) {}

TokenCounts ClassifierModel::counts(std::uint64_t hash) const {
    if (overlay_) {
        if (const TokenCounts* c = overlay_->find(hash)) return *c;
    }
    if (base_) {
        if (const TokenCounts* c = base_->find(hash)) return *c;
    }
    return {};
}

std::size_t ClassifierModel::features() const {
    std::size_t n = base_ ? base_->size() : 0;
    if (overlay_) {
        // Base tables hold no zero counts; the overlay may, for features unlearned to zero.
        overlay_->for_each([&](std::uint64_t hash, const TokenCounts& counts) {
            const bool in_base = base_ && base_->find(hash);
            const bool counted = counts.ham != 0 || counts.spam != 0;
            if (counted && !in_base) ++n;
            if (!counted && in_base) --n;
        });
    }
    return n;
}

std::size_t ClassifierModel::memory_bytes() const {
    return (base_ ? base_->memory_bytes() : 0) + (overlay_ ? overlay_->memory_bytes() : 0);
}

LiveModel::LiveModel(CountTable counts, std::uint32_t ham_messages, std::uint32_t spam_messages,
                     std::size_t overlay_limit)
    : current_(std::make_shared<const ClassifierModel>(
          std::make_shared<const CountTable>(std::move(counts)), nullptr, ham_messages,
          spam_messages)),
      overlay_limit_(overlay_limit) {}

ModelPtr LiveModel::current() const {
    std::lock_guard lock(read_mutex_);
    return current_;
}

void LiveModel::reset(CountTable counts, std::uint32_t ham_messages, std::uint32_t spam_messages) {
    std::lock_guard apply_lock(apply_mutex_);
    ModelPtr next = std::make_shared<const ClassifierModel>(
        std::make_shared<const CountTable>(std::move(counts)), nullptr, ham_messages,
        spam_messages);
    std::lock_guard lock(read_mutex_);
    current_.swap(next);
}

void LiveModel::apply(const TrainingDelta& raw) {
    if (raw.empty()) return;
    TrainingDelta delta = raw;
    delta.compact();
    std::lock_guard apply_lock(apply_mutex_);
    const ModelPtr old = current();
    const std::shared_ptr<const CountTable>& base = old->base();

    auto overlay = old->overlay() ? std::make_shared<CountTable>(*old->overlay())
                                  : std::make_shared<CountTable>(delta.changes.size());
    for (const TrainingDelta::Change& change : delta.changes) {
        if (!overlay->find(change.hash)) {
            // First change since the base was built: start from the base's counts.
            const TokenCounts* in_base = base ? base->find(change.hash) : nullptr;
            overlay->at(change.hash) = in_base ? *in_base : TokenCounts{};
        }
        TokenCounts& counts = overlay->at(change.hash);
        counts.ham = add_clamped(counts.ham, change.ham);
        counts.spam = add_clamped(counts.spam, change.spam);
    }
    const std::uint32_t ham = add_clamped(old->ham_messages(), delta.ham_messages);
    const std::uint32_t spam = add_clamped(old->spam_messages(), delta.spam_messages);

    ModelPtr next;
    if (overlay->size() <= overlay_limit_) {
        next = std::make_shared<const ClassifierModel>(base, std::move(overlay), ham, spam);
    } else {
        // Merge: a new base with every feature that still has a count.
        auto merged = std::make_shared<CountTable>((base ? base->size() : 0) + overlay->size());
        if (base) {
            base->for_each([&](std::uint64_t hash, const TokenCounts& counts) {
                if (!overlay->find(hash)) merged->at(hash) = counts;
            });
        }
        overlay->for_each([&](std::uint64_t hash, const TokenCounts& counts) {
            if (counts.ham != 0 || counts.spam != 0) merged->at(hash) = counts;
        });
        next = std::make_shared<const ClassifierModel>(std::move(merged), nullptr, ham, spam);
    }
    std::lock_guard lock(read_mutex_);
    current_.swap(next);
}

}  // namespace vokter::core
