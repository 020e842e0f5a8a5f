// The public comment API's body parsers: JSON and form bodies, then validation of every field,
// exactly as POST /api/comments and PUT /api/comments/{id} run them. Anything may be refused
// (ApiError); nothing may crash, and a submission that is accepted holds only valid UTF-8 and
// respects every limit.

#include <cstdint>

#include "core/text.hpp"
#include "fuzz/fuzz_input.hpp"
#include "http/problem.hpp"
#include "http/submission_parser.hpp"

namespace http = vokter::http;
namespace core = vokter::core;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::string_view body(reinterpret_cast<const char*>(data) + 1, size - 1);
    http::SubmissionLimits limits;
    limits.body_chars = 500;  // small, so that inputs of 2 KB pass every limit
    limits.name_chars = 40;
    limits.email_bytes = 80;
    limits.website_bytes = 120;
    limits.title_chars = 60;
    limits.thread_bytes = 200;
    try {
        const http::FieldMap fields =
            data[0] & 1 ? http::parse_json_fields(body) : http::parse_form_fields(body);
        const core::Submission s = http::validate_submission(fields, limits);
        for (const std::string* text :
             {&s.thread, &s.title, &s.name, &s.email, &s.website, &s.body}) {
            FUZZ_CHECK(core::is_valid_utf8(*text));
        }
        FUZZ_CHECK(core::count_code_points(s.body) <= limits.body_chars);
        FUZZ_CHECK(core::count_code_points(s.name) <= limits.name_chars);
        FUZZ_CHECK(s.thread.size() <= limits.thread_bytes);
        FUZZ_CHECK(!s.thread.empty());
        // Normalising a normalised thread changes nothing.
        FUZZ_CHECK(http::normalise_thread_uri(s.thread, limits.thread_bytes) == s.thread);
    } catch (const http::ApiError& e) {
        FUZZ_CHECK(e.problem().status == 400 || e.problem().status == 422);
    }
    // The helpers the parsers use, on the raw bytes too.
    (void)http::url_decode(body);
    (void)http::normalise_website(body);
    (void)http::is_plausible_email(body);
    if (const auto thread = http::normalise_thread_uri(body, 1024)) {
        FUZZ_CHECK(http::normalise_thread_uri(*thread, 1024) == thread);
    }
    return 0;
}
