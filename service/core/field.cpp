#include "core/field.hpp"

namespace vokter::core {

std::optional<Field> parse_field(std::string_view name) {
    for (std::size_t i = 0; i < kFieldCount; ++i) {
        if (kFieldNames[i] == name) return static_cast<Field>(i);
    }
    return std::nullopt;
}

std::string_view field_text(const Submission& submission, Field field) {
    switch (field) {
        case Field::body:
            return submission.body;
        case Field::name:
            return submission.name;
        case Field::email:
            return submission.email;
        case Field::website:
            return submission.website;
        case Field::thread:
            return submission.thread;
        case Field::ip:
            return submission.ip;
        case Field::user_agent:
            return submission.user_agent;
        case Field::links:
            break;
    }
    return {};
}

}  // namespace vokter::core
