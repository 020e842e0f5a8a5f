#pragma once
// The ruleset in force, shared by every request thread. A reload builds a whole new Ruleset and
// swaps the pointer; a request that already took a snapshot keeps using it until it finishes.

#include <memory>
#include <mutex>

#include "core/rule_set.hpp"

namespace vokter::core {

class ActiveRuleset {
  public:
    explicit ActiveRuleset(RulesetPtr initial) : current_(std::move(initial)) {}

    // The snapshot in force now; never null. Thread-safe.
    RulesetPtr current() const {
        std::lock_guard lock(mutex_);
        return current_;
    }

    // Puts `next` in force for every later current(). Thread-safe. Precondition: next != nullptr.
    void activate(RulesetPtr next) {
        std::lock_guard lock(mutex_);
        current_.swap(next);
    }  // the old snapshot is released here, outside no lock a reader waits on for long

  private:
    mutable std::mutex mutex_;
    RulesetPtr current_;
};

}  // namespace vokter::core
