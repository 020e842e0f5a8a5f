#include "app/rule_file_control.hpp"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <sstream>

#include "app/atomic_file.hpp"
#include "app/rules_cli.hpp"
#include "core/default_rules.hpp"
#include "core/embedded_file.hpp"
#include "http/log.hpp"

namespace vokter::app {

namespace {

Result<std::string> embedded_default_text() {
    for (const auto& file : default_rule_files()) {
        if (file.name == core::kDefaultRuleFile) return std::string(file.data);
    }
    return Error{"not_found", "the embedded default rule file is missing", ""};
}

// Validates `text` as if it were the rule file at `path`, as `vokter rules check` does.
Result<core::RulesetPtr> check_text(const std::string& path, const std::string& text) {
    if (path.empty()) {
        return core::load_ruleset(text, core::kDefaultRuleFile, core::embedded_list_reader());
    }
    const std::filesystem::path folder = std::filesystem::path(path).parent_path();
    return core::load_ruleset(text, path, folder_list_reader(folder.empty() ? "." : folder));
}

// RuleFile keeps its errors as "where: message" lines.
std::vector<Error> errors_of(const std::string& text) {
    std::vector<Error> errors;
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) {
        if (!line.empty()) errors.push_back(Error{"invalid", line, ""});
    }
    if (errors.empty()) errors.push_back(Error{"invalid", "the rule file did not load", ""});
    return errors;
}

}  // namespace

http::RulesControl rule_file_control(RuleFile& file, core::ActiveRuleset& active,
                                     std::function<void()> changed) {
    auto changing = std::make_shared<std::mutex>();  // one replace or reload at a time
    http::RulesControl control;
    control.path = [&file] { return file.path(); };
    control.text = [&file]() -> Result<std::string> {
        if (file.path().empty()) return embedded_default_text();
        std::ifstream in(file.path(), std::ios::binary);
        if (!in) return Error{"unreadable", "cannot read " + file.path(), file.path()};
        std::ostringstream text;
        text << in.rdbuf();
        return text.str();
    };
    control.check = [&file](const std::string& text) { return check_text(file.path(), text); };
    control.replace = [&file, &active, changing,
                       changed](const std::string& text) -> Result<core::RulesetPtr> {
        std::lock_guard lock(*changing);
        auto checked = check_text(file.path(), text);
        if (!checked) return checked;
        replace_file_atomically(file.path(), text, file.path() + ".bak");
        // Read back through RuleFile so its status (version, loaded-at) follows the file.
        if (!file.reload(active, http::now_ms())) return errors_of(file.status().last_error);
        if (changed) changed();
        return active.current();
    };
    control.reload = [&file, &active, changing, changed]() -> Result<core::RulesetPtr> {
        std::lock_guard lock(*changing);
        if (!file.reload(active, http::now_ms())) return errors_of(file.status().last_error);
        if (changed) changed();
        return active.current();
    };
    return control;
}

}  // namespace vokter::app
