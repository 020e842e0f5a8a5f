#pragma once
// The rules API's access to the rule file: an http::RulesControl implemented with RuleFile.
// Changes (replace, reload) are serialised; the ruleset in force is swapped only after the new
// file is durable on disk.

#include <functional>

#include "app/rule_file.hpp"
#include "core/active_ruleset.hpp"
#include "http/moderation/rules_control.hpp"

namespace vokter::app {

// `file` and `active` must outlive the returned functions. A replace writes the rule file with
// replace_file_atomically (the previous file kept as FILE.bak), then reloads it into `active`.
// `changed` (when set) runs after every replace or reload that put a file in force: replicas
// on PostgreSQL publish it to the others there (app/shared_rules.hpp).
http::RulesControl rule_file_control(RuleFile& file, core::ActiveRuleset& active,
                                     std::function<void()> changed = {});

}  // namespace vokter::app
