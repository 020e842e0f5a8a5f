#pragma once
// Where the service's rules come from: a rule file on disk, or the default embedded in the
// binary. Loads it, puts it in force, and remembers how the last (re)load went. A failed reload
// leaves the rules in force untouched. Thread-safe.

#include <cstdint>
#include <functional>
#include <mutex>
#include <string>

#include "core/active_ruleset.hpp"
#include "core/rule_set.hpp"
#include "http/server.hpp"

namespace vokter::app {

class RuleFile {
  public:
    explicit RuleFile(std::string path) : path_(std::move(path)) {}

    // Loads the file; on success puts it in force in `active` and returns true; on failure
    // keeps the old rules and records every error (see status()).
    bool reload(core::ActiveRuleset& active, std::int64_t now_ms);

    http::RulesStatus status() const;
    const std::string& path() const { return path_; }

    // `refused(errors)` runs after each refused reload, outside the lock (the notifications'
    // rules.failed event). Set it before reloads can happen.
    void on_refused(std::function<void(const std::string& errors)> refused) {
        refused_ = std::move(refused);
    }

  private:
    std::string path_;
    std::function<void(const std::string&)> refused_;
    mutable std::mutex mutex_;
    http::RulesStatus status_;
};

// "file:3:1 rule X: message" lines, one per error.
std::string format_errors(const std::vector<Error>& errors);

}  // namespace vokter::app
