#include "core/rule_set.hpp"

#include <sstream>
#include <toml++/toml.h>

namespace vokter::core {

Result<RulesetPtr> load_ruleset(std::string_view toml_text, std::string_view source_name,
                                const ListReader& /*read_list*/) {
    toml::table doc;
    try {
        doc = toml::parse(toml_text, source_name);
    } catch (const toml::parse_error& e) {
        std::ostringstream where;
        where << source_name << ':' << e.source().begin.line << ':' << e.source().begin.column;
        return Error{"toml_syntax", std::string(e.description()), where.str()};
    }
    auto ruleset = std::make_shared<Ruleset>();
    std::vector<Error> errors;
    if (auto version = doc["version"].value<std::string>()) {
        ruleset->version_ = *version;
    } else {
        errors.push_back({"missing_version", "the rule file needs a version = \"…\" string",
                          std::string(source_name)});
    }
    ruleset->thresholds_.hold = doc["thresholds"]["hold"].value_or(ruleset->thresholds_.hold);
    ruleset->thresholds_.spam = doc["thresholds"]["spam"].value_or(ruleset->thresholds_.spam);
    if (!errors.empty()) return errors;
    return RulesetPtr(std::move(ruleset));
}

RulesetPtr approve_all_ruleset() {
    auto ruleset = std::make_shared<Ruleset>();
    ruleset->version_ = "approve-all";
    return ruleset;
}

}  // namespace vokter::core
