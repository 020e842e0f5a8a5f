// The Akismet-compatible API's lenient readers: the form parser, the Host key, the charset
// parameter and the charset decoder, and the mapping of the fields to a comment. They never
// refuse; what they return must be valid UTF-8 within the limits, and UTF-8 input must come
// back unchanged.

#include <cstdint>

#include "core/text.hpp"
#include "fuzz/fuzz_input.hpp"
#include "http/akismet/akismet_form.hpp"
#include "http/akismet/akismet_mapping.hpp"
#include "http/charset.hpp"

namespace http = vokter::http;
namespace core = vokter::core;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    vokter::fuzz::FuzzInput input(data, size);
    const std::string_view content_type = input.next();
    const std::string_view host = input.next();
    const std::string_view body = input.rest();

    const std::string label = http::charset_parameter(content_type);
    const http::Charset charset = http::charset_from_label(label);
    (void)http::key_from_host(host);

    for (const http::Charset c : {http::Charset::utf8, http::Charset::windows1252, charset}) {
        const std::string text = http::to_utf8(body, c);
        FUZZ_CHECK(core::is_valid_utf8(text));
        if (c == http::Charset::utf8 && core::is_valid_utf8(body)) FUZZ_CHECK(text == body);
    }

    const http::AkismetFields fields = http::parse_akismet_form(body);
    http::SubmissionLimits limits;
    limits.body_chars = 500;  // small, so that inputs of 2 KB are cut too
    limits.name_chars = 40;
    const http::AkismetComment comment =
        http::map_akismet_comment(fields, label, limits, "https://blogg.example");
    for (const std::string* text :
         {&comment.submission.body, &comment.submission.name, &comment.submission.email,
          &comment.submission.website, &comment.submission.user_agent, &comment.submission.referrer,
          &comment.submission.ip, &comment.submission.thread}) {
        FUZZ_CHECK(core::is_valid_utf8(*text));
    }
    FUZZ_CHECK(comment.submission.user_agent.size() <= 512);
    FUZZ_CHECK(comment.submission.referrer.size() <= 1024);
    FUZZ_CHECK(comment.submission.ip.size() <= 64);
    for (const auto& [name, value] : fields)
        (void)http::akismet_flag(value);
    return 0;
}
