#include "app/rule_file.hpp"

#include "app/rules_cli.hpp"

namespace vokter::app {

bool RuleFile::reload(core::ActiveRuleset& active, std::int64_t now_ms) {
    auto loaded = load_rules_file(path_);  // empty path: the embedded default
    if (!loaded) {
        const std::string errors = format_errors(loaded.errors());
        {
            std::lock_guard lock(mutex_);
            status_.last_error = errors;
            ++status_.reload_failures;
        }
        if (refused_) refused_(errors);
        return false;
    }
    std::lock_guard lock(mutex_);
    active.activate(loaded.value());
    status_.version = loaded.value()->version();
    status_.loaded_at_ms = now_ms;
    status_.last_error.clear();
    return true;
}

http::RulesStatus RuleFile::status() const {
    std::lock_guard lock(mutex_);
    return status_;
}

std::string format_errors(const std::vector<Error>& errors) {
    std::string text;
    for (const auto& e : errors) {
        if (!text.empty()) text += '\n';
        text += e.where.empty() ? e.message : e.where + ": " + e.message;
    }
    return text;
}

}  // namespace vokter::app
