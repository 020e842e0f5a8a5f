#pragma once
// What the HTTP layer may do with the service's rules, supplied by whoever owns the rule file
// (app's RuleFile). http never reads or writes the rule file itself: it calls these functions.
// Every function must be thread-safe; a default-constructed RulesControl means the rules cannot
// be changed over the API (the endpoints say so).

#include <functional>
#include <string>

#include "core/result.hpp"
#include "core/rule_set.hpp"

namespace vokter::http {

struct RulesControl {
    // The rule file's path, or "" when the service runs on the rules embedded in the binary.
    std::function<std::string()> path;
    // The rule file's text as it is on disk now (the embedded default.toml when path() is "").
    std::function<Result<std::string>()> text;
    // Validates `text` exactly as `vokter rules check` would if it were the rule file (lists are
    // read beside the file): every error, or the compiled ruleset. Activates nothing.
    std::function<Result<core::RulesetPtr>(const std::string& text)> check;
    // Validates `text`; when valid, writes it to path() atomically (the previous file kept as
    // path() + ".bak") and puts it in force. Returns every validation error and changes nothing
    // when invalid. Throws std::runtime_error when the file cannot be written (the old rules stay
    // in force). Precondition: path() is not "".
    std::function<Result<core::RulesetPtr>(const std::string& text)> replace;
    // Reads the rule file again and puts it in force (as SIGHUP does); on failure returns every
    // error and the old rules stay in force.
    std::function<Result<core::RulesetPtr>()> reload;
};

}  // namespace vokter::http
