#pragma once
// JSON encodings of what the public API returns. nlohmann types stay inside the http layer.
// Public encodings never contain emails, IPs, scores or rule hits.

#include <nlohmann/json.hpp>

#include "http/comment_service.hpp"
#include "store/comment_repository.hpp"

namespace vokter::http {

nlohmann::json public_comment_json(const store::PublicComment& comment);
nlohmann::json thread_page_json(const store::ThreadPage& page);
nlohmann::json submitted_json(const Submitted& submitted, const CommentPolicy& policy);

// Opaque pagination cursors: "<created>-<id>". parse_cursor returns empty for a malformed one.
std::string format_cursor(const store::ThreadCursor& cursor);
std::optional<store::ThreadCursor> parse_cursor(std::string_view text);

// Dumps with invalid UTF-8 replaced (stored text is valid UTF-8; this is a last guard).
std::string dump(const nlohmann::json& doc);

}  // namespace vokter::http
