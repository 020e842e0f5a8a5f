#pragma once
// One rule file in force on every replica of a PostgreSQL database. The database holds the
// rule file's text (settings rules_text, with its SHA-256 in rules_sha256); a replica that puts
// a new file in force (PUT /api/rules, a reload, SIGHUP) publishes it there and announces
// "rules" (Store::announce); every other replica then writes that text to its own rule file
// (the previous one kept as FILE.bak, as PUT does) and puts it in force, within milliseconds.
// A replica starting with a file that differs from the database's adopts the database's, so a
// restarted replica agrees with the others; an empty database takes the first replica's file.
// Only with a rule file (`--rules FILE`): the embedded rules are the same everywhere anyway.
// On SQLite (one process) every call does nothing.

#include <mutex>
#include <string>

#include "app/rule_file.hpp"
#include "core/active_ruleset.hpp"
#include "store/store.hpp"

namespace vokter::app {

class SharedRules {
  public:
    SharedRules(store::Store& store, RuleFile& file, core::ActiveRuleset& active);

    // At start, after the file loaded: adopt the database's file or publish this one. Returns
    // a line for the log ("" when nothing happened). Throws StoreError.
    std::string join();
    // The file now in force on this replica changed: publish its text. Returns false (and
    // logs) when the database could not be reached: the other replicas then keep the old file
    // until the next change.
    bool publish();
    // Another replica published (or notifications were lost): adopt the database's file when
    // it differs from ours. Logs what it did. Called on the store's listener thread.
    void follow();

  private:
    bool active() const;
    std::string file_text() const;
    // Writes `text` to the rule file and puts it in force; when it does not load, writes `ours`
    // back (the rules in force stay) and returns false.
    bool adopt(const std::string& text, const std::string& ours);

    store::Store& store_;
    RuleFile& file_;
    core::ActiveRuleset& rules_;
    std::mutex mutex_;
    std::string in_force_sha_;  // the SHA-256 (hex) of the text this replica has in force
};

}  // namespace vokter::app
