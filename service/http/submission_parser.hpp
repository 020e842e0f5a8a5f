#pragma once
// Turns a request body (JSON or application/x-www-form-urlencoded) into a valid
// core::Submission, or throws ApiError: 400 for a body that cannot be parsed, 422 listing every
// invalid field. Nothing half-decoded gets through: all text is checked to be UTF-8.

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "core/submission.hpp"

namespace vokter::http {

struct SubmissionLimits {
    std::size_t body_chars = 10000;  // code points
    std::size_t name_chars = 100;
    std::size_t email_bytes = 254;
    std::size_t website_bytes = 500;
    std::size_t title_chars = 300;
    std::size_t thread_bytes = 1024;
};

// The fields a commenter may send, by name. Values are raw (not yet validated).
using FieldMap = std::map<std::string, std::string, std::less<>>;

// Parses a JSON object whose values are strings (or, for "parent", a number or null).
// Throws 400 for malformed JSON or a non-object, 422 for unknown fields or wrong value types.
FieldMap parse_json_fields(std::string_view body);

// Parses a form-encoded body (`a=1&b=%C3%A6`). Throws 400 for broken percent-encoding and 422
// for unknown or repeated fields. Values are percent-decoded but not yet checked for UTF-8.
FieldMap parse_form_fields(std::string_view body);

// Checks every field and builds the submission (ip, user agent and referrer are left empty for
// the caller to fill from the request). Throws 422 listing every invalid field.
core::Submission validate_submission(const FieldMap& fields, const SubmissionLimits& limits);

// The form_token field, if sent (validate_submission does not keep it).
std::optional<std::string> form_token_of(const FieldMap& fields);

// A page URI in the one form threads are keyed by: no fragment, scheme and host lower-cased,
// no trailing slash on the path except for the root. Empty when `uri` is not a path ("/…") or
// an http(s) URL, or contains white space or control characters.
std::optional<std::string> normalise_thread_uri(std::string_view uri, std::size_t max_bytes);

// A commenter's website as stored: "https://" added when no scheme was given. Empty when it is
// not an http(s) URL with a host.
std::optional<std::string> normalise_website(std::string_view website);

bool is_plausible_email(std::string_view email);

// Percent-decoding for form bodies and query strings ('+' is a space). Empty on a broken escape.
std::optional<std::string> url_decode(std::string_view text);

}  // namespace vokter::http
