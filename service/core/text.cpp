#include "core/text.hpp"

#include "core/utf8_scan.hpp"

namespace vokter::core {

namespace {

char32_t fold(char32_t cp) {
    if (cp >= 'A' && cp <= 'Z') return cp + 32;
    // Latin-1 capitals À..Þ except × (U+00D7): Æ Ø Å and the accented letters.
    if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) return cp + 32;
    // Latin Extended-A pairs capital/small alternate (Ā ā, Ą ą, …) in U+0100..U+017F.
    if (cp >= 0x100 && cp <= 0x137 && cp % 2 == 0) return cp + 1;
    if (cp >= 0x14A && cp <= 0x177 && cp % 2 == 0) return cp + 1;
    return cp;
}

bool is_space(char32_t cp) {
    return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\f' || cp == '\v' ||
           cp == 0xA0 || cp == 0x2028 || cp == 0x2029 || cp == 0x3000 ||
           (cp >= 0x2000 && cp <= 0x200A);
}

}  // namespace

std::string ascii_lower(std::string_view text) {
    std::string out(text);
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + ('a' - 'A'));
    }
    return out;
}

bool is_valid_utf8(std::string_view text) {
    char32_t cp = 0;
    for (std::size_t i = 0; i < text.size();) {
        const std::size_t len = decode_utf8(text, i, cp);
        if (len == 0) return false;
        i += len;
    }
    return true;
}

std::size_t count_code_points(std::string_view text) {
    std::size_t count = 0;
    for (const char c : text) {
        if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++count;
    }
    return count;
}

std::string fold_case(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    char32_t cp = 0;
    for (std::size_t i = 0; i < text.size();) {
        const std::size_t len = decode_utf8(text, i, cp);
        if (len == 0) {  // not UTF-8: keep the byte as it is
            out += text[i++];
            continue;
        }
        append_utf8(out, fold(cp));
        i += len;
    }
    return out;
}

std::string normalise_for_duplicate(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    bool pending_space = false;
    char32_t cp = 0;
    for (std::size_t i = 0; i < text.size();) {
        std::size_t len = decode_utf8(text, i, cp);
        if (len == 0) cp = static_cast<unsigned char>(text[i]), len = 1;
        i += len;
        if (is_space(cp)) {
            pending_space = !out.empty();
            continue;
        }
        if (pending_space) out += ' ', pending_space = false;
        append_utf8(out, fold(cp));
    }
    return out;
}

std::int64_t body_fingerprint(std::string_view text) {
    std::uint64_t hash = 14695981039346656037ull;
    for (const char c : normalise_for_duplicate(text)) {
        hash ^= static_cast<unsigned char>(c);
        hash *= 1099511628211ull;
    }
    return static_cast<std::int64_t>(hash);
}

}  // namespace vokter::core
