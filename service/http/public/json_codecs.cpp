#include "http/public/json_codecs.hpp"

#include <charconv>

#include "http/log.hpp"

namespace vokter::http {

nlohmann::json public_comment_json(const store::PublicComment& comment) {
    nlohmann::json doc = {{"id", comment.id},
                          {"parent", comment.parent ? nlohmann::json(*comment.parent) : nullptr},
                          {"created", iso_time(comment.created)}};
    if (comment.removed) {
        doc["removed"] = true;
    } else {
        doc["name"] = comment.name;
        doc["website"] = comment.website;
        doc["body"] = comment.body;
        doc["edited"] = comment.edited;
    }
    auto& replies = doc["replies"] = nlohmann::json::array();
    for (const auto& reply : comment.replies)
        replies.push_back(public_comment_json(reply));
    return doc;
}

nlohmann::json thread_page_json(const store::ThreadPage& page) {
    nlohmann::json doc = {{"total", page.total}};
    auto& comments = doc["comments"] = nlohmann::json::array();
    for (const auto& comment : page.comments)
        comments.push_back(public_comment_json(comment));
    doc["next_cursor"] = page.next ? nlohmann::json(format_cursor(*page.next)) : nullptr;
    return doc;
}

nlohmann::json submitted_json(const Submitted& submitted, const CommentPolicy& policy) {
    return {{"id", submitted.id},
            {"status", public_status(submitted.status, policy)},
            {"parent", submitted.parent ? nlohmann::json(*submitted.parent) : nullptr},
            {"edit_token", submitted.edit_token},
            {"edit_until", iso_time(submitted.edit_until_ms)}};
}

std::string format_cursor(const store::ThreadCursor& cursor) {
    return std::to_string(cursor.created) + "-" + std::to_string(cursor.id);
}

std::optional<store::ThreadCursor> parse_cursor(std::string_view text) {
    const auto dash = text.find('-', 1);
    if (dash == std::string_view::npos) return std::nullopt;
    store::ThreadCursor cursor;
    const auto parse = [](std::string_view part, std::int64_t& out) {
        const auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), out);
        return ec == std::errc() && end == part.data() + part.size() && !part.empty();
    };
    if (!parse(text.substr(0, dash), cursor.created) || !parse(text.substr(dash + 1), cursor.id))
        return std::nullopt;
    return cursor;
}

std::string dump(const nlohmann::json& doc) {
    return doc.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace vokter::http
