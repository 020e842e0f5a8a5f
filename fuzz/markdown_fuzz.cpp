// The Markdown renderer behind the Isso-compatible API (its client inserts the HTML with
// innerHTML): whatever a commenter writes, the HTML holds no element that runs or loads anything,
// no link to a javascript:, vbscript:, file: or data: address, and is valid UTF-8.

#include <cstdint>
#include <string>
#include <string_view>

#include "core/text.hpp"
#include "fuzz/fuzz_input.hpp"
#include "http/isso/markdown.hpp"

namespace {

std::string lower(std::string_view text) {
    std::string out;
    for (const char c : text)
        out += c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
    return out;
}

// The address as a browser reads its scheme: ASCII white space and controls dropped.
std::string scheme_view(std::string_view href) {
    std::string out;
    for (const char c : href) {
        if (static_cast<unsigned char>(c) <= 0x20) continue;
        out += c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
        if (out.size() > 16) break;
    }
    return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const std::string html = vokter::http::render_markdown(text);
    FUZZ_CHECK(vokter::core::is_valid_utf8(html));
    const std::string folded = lower(html);
    for (const char* element : {"<script", "<img", "<iframe", "<style", "<object", "<embed", "<svg",
                                "<math", "<form", "<input", "<link", "<meta", "<base"})
        FUZZ_CHECK(folded.find(element) == std::string::npos);
    // No event handler attribute: ` on<letters>="` (a quote in text is always &quot;).
    for (std::size_t at = 0; (at = folded.find(" on", at)) != std::string::npos;) {
        at += 3;
        std::size_t end = at;
        while (end < folded.size() && folded[end] >= 'a' && folded[end] <= 'z')
            ++end;
        FUZZ_CHECK(end == at || folded.compare(end, 2, "=\"") != 0);
    }
    for (std::size_t at = 0; (at = html.find(" href=\"", at)) != std::string::npos;) {
        at += 7;
        const std::string scheme =
            scheme_view(std::string_view(html).substr(at, html.find('"', at) - at));
        for (const char* bad : {"javascript:", "vbscript:", "file:", "data:"})
            FUZZ_CHECK(scheme.rfind(bad, 0) != 0);
    }
    for (std::size_t at = 0; (at = html.find("<a ", at)) != std::string::npos; at += 3)
        FUZZ_CHECK(html.compare(at, 30, "<a rel=\"nofollow noopener ugc\"") == 0);
    return 0;
}
