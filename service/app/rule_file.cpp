#include "app/rule_file.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/embedded_file.hpp"

namespace vokter::app {

namespace {

constexpr std::string_view kEmbeddedRules = "default.toml";

Result<std::string> read_text(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return Error{"unreadable", "cannot read " + path.string(), path.string()};
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

Result<std::string> embedded(std::string_view name) {
    for (const auto& file : default_rule_files()) {
        if (file.name == name) return std::string(file.data);
    }
    return Error{"unknown_list", "no embedded rule file or list named " + std::string(name),
                 std::string(name)};
}

}  // namespace

core::ListReader list_reader_for(const std::string& rule_path) {
    const std::filesystem::path folder = rule_path.empty()
                                             ? std::filesystem::path()
                                             : std::filesystem::path(rule_path).parent_path();
    const bool from_binary = rule_path.empty();
    return [folder, from_binary](std::string_view name) -> Result<std::string> {
        if (name.empty() || name.find('/') != std::string_view::npos ||
            name.find("..") != std::string_view::npos) {
            return Error{"bad_list_name", "list names are plain file names beside the rule file",
                         std::string(name)};
        }
        return from_binary ? embedded(name) : read_text(folder / name);
    };
}

Result<core::RulesetPtr> load_rule_file(const std::string& path) {
    auto text = path.empty() ? embedded(kEmbeddedRules) : read_text(path);
    if (!text) return text.errors();
    const std::string name = path.empty() ? std::string(kEmbeddedRules)
                                          : std::filesystem::path(path).filename().string();
    return core::load_ruleset(text.value(), name, list_reader_for(path));
}

bool RuleFile::reload(core::ActiveRuleset& active, std::int64_t now_ms) {
    auto loaded = load_rule_file(path_);
    std::lock_guard lock(mutex_);
    if (!loaded) {
        status_.last_error = format_errors(loaded.errors());
        return false;
    }
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
