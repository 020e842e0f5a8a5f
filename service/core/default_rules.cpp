#include "core/default_rules.hpp"

#include "core/embedded_file.hpp"

namespace vokter::core {

ListReader embedded_list_reader() {
    return [](std::string_view name) -> Result<std::string> {
        for (const EmbeddedFile& file : default_rule_files()) {
            if (file.name == name) return std::string(file.data);
        }
        return Error{"list_not_found", "no embedded rule file named '" + std::string(name) + "'",
                     std::string(name)};
    };
}

Result<RulesetPtr> load_default_ruleset() {
    for (const EmbeddedFile& file : default_rule_files()) {
        if (file.name == kDefaultRuleFile) {
            return load_ruleset(file.data, kDefaultRuleFile, embedded_list_reader());
        }
    }
    return Error{"missing_default", "the binary has no embedded default.toml", ""};
}

}  // namespace vokter::core
