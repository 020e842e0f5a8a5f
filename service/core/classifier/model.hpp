#pragma once
// What the classifier has learned: for every feature, in how many ham and how many spam comments
// it was seen, and how many ham and spam comments were learned in all. The durable counts live
// in the store (store/classifier_repository); this is their in-memory form.
//
// A ClassifierModel is an immutable snapshot, shared between request threads like a Ruleset.
// LiveModel holds the snapshot in force and publishes a new one after each training: the new
// snapshot shares the large base table with the old one and copies only a small overlay of the
// features that changed since the base was built, so publishing costs microseconds; once the
// overlay grows past a bound it is merged into a new base.

#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

namespace vokter::core {

enum class Label { ham, spam };

struct TokenCounts {
    std::uint32_t ham = 0;
    std::uint32_t spam = 0;
};

// An open-addressing hash table from feature hash to counts: 16 bytes a slot, at most 4/5 full.
// Hash 0 marks an empty slot (feature hashes are never 0).
class CountTable {
  public:
    CountTable() = default;
    explicit CountTable(std::size_t expected);

    // The counts of `hash`, or nullptr when the table has no entry for it.
    const TokenCounts* find(std::uint64_t hash) const;
    // The entry for `hash`, created with zero counts when missing. Invalidates pointers.
    TokenCounts& at(std::uint64_t hash);

    std::size_t size() const { return size_; }
    std::size_t capacity() const { return slots_.size(); }
    std::size_t memory_bytes() const { return slots_.size() * sizeof(Slot); }

    template <class F>
    void for_each(F&& f) const {
        for (const Slot& slot : slots_) {
            if (slot.hash != 0) f(slot.hash, slot.counts);
        }
    }

  private:
    struct Slot {
        std::uint64_t hash = 0;
        TokenCounts counts;
    };
    std::size_t index_of(std::uint64_t hash) const;
    void grow();

    std::vector<Slot> slots_;
    std::size_t size_ = 0;
};

// A change of the counts: what training or untraining some comments did.
struct TrainingDelta {
    struct Change {
        std::uint64_t hash = 0;
        std::int32_t ham = 0;
        std::int32_t spam = 0;
    };
    std::vector<Change> changes;  // any order; a hash may appear more than once
    std::int64_t ham_messages = 0;
    std::int64_t spam_messages = 0;

    bool empty() const { return changes.empty() && ham_messages == 0 && spam_messages == 0; }
    // Adds what learning (`sign` +1) or unlearning (-1) one comment with `features` as `label`
    // changes.
    void add(const std::vector<std::uint64_t>& features, Label label, int sign);
    void append(const TrainingDelta& other);
    // Sums the changes of each hash into one, sorted by hash, dropping those that sum to 0.
    void compact();
};

class ClassifierModel {
  public:
    ClassifierModel() = default;
    ClassifierModel(std::shared_ptr<const CountTable> base,
                    std::shared_ptr<const CountTable> overlay, std::uint32_t ham_messages,
                    std::uint32_t spam_messages);

    // The counts of feature `hash` (zero when never seen).
    TokenCounts counts(std::uint64_t hash) const;
    std::uint32_t ham_messages() const { return ham_messages_; }
    std::uint32_t spam_messages() const { return spam_messages_; }
    // Features with any count, and the bytes their tables take.
    std::size_t features() const;
    std::size_t memory_bytes() const;

    const std::shared_ptr<const CountTable>& base() const { return base_; }
    const std::shared_ptr<const CountTable>& overlay() const { return overlay_; }

  private:
    std::shared_ptr<const CountTable> base_;
    std::shared_ptr<const CountTable> overlay_;  // current counts of features changed since base
    std::uint32_t ham_messages_ = 0;
    std::uint32_t spam_messages_ = 0;
};

using ModelPtr = std::shared_ptr<const ClassifierModel>;

// The model in force. Thread-safe: any thread may read current() while one thread at a time
// applies deltas (apply() serialises callers).
class LiveModel {
  public:
    // Starts from `counts` (e.g. loaded from the store) or from nothing.
    explicit LiveModel(CountTable counts = {}, std::uint32_t ham_messages = 0,
                       std::uint32_t spam_messages = 0, std::size_t overlay_limit = 32768);

    ModelPtr current() const;
    // Publishes a snapshot with `delta` applied (compacted first, as the store applies it).
    // Counts never go below zero.
    void apply(const TrainingDelta& delta);
    // Publishes `counts` as they are, e.g. reloaded after another process changed them.
    void reset(CountTable counts, std::uint32_t ham_messages, std::uint32_t spam_messages);

  private:
    mutable std::mutex read_mutex_;
    std::mutex apply_mutex_;
    ModelPtr current_;
    std::size_t overlay_limit_;
};

}  // namespace vokter::core
