#pragma once
// The parts of a submission a regex rule can look at. `links` is not a submission field but the
// links found in the body (see links.hpp); a rule on `links` is matched against each link alone.

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>

#include "core/submission.hpp"

namespace vokter::core {

enum class Field : std::size_t { body, name, email, website, thread, ip, user_agent, links };

inline constexpr std::size_t kFieldCount = 8;

inline constexpr std::array<std::string_view, kFieldCount> kFieldNames = {
    "body", "name", "email", "website", "thread", "ip", "user_agent", "links"};

// The field's name as the rule file spells it.
constexpr std::string_view to_string(Field field) {
    return kFieldNames[static_cast<std::size_t>(field)];
}

// The field a rule file name stands for, or nullopt for an unknown name.
std::optional<Field> parse_field(std::string_view name);

// The text of a plain field of `submission`. Precondition: field != Field::links.
std::string_view field_text(const Submission& submission, Field field);

}  // namespace vokter::core
