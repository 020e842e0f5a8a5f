#include "http/charset.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include "core/text.hpp"
#include "core/utf8_scan.hpp"

namespace vokter::http {

namespace {

// Windows-1252 bytes 0x80..0x9F; the five it leaves undefined map to the C1 control of the same
// number, as the WHATWG Encoding Standard does.
constexpr std::array<char32_t, 32> kWindows1252High = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178};

}  // namespace

Charset charset_from_label(std::string_view label) {
    const auto is_trim = [](char c) { return c == ' ' || c == '\t' || c == '"' || c == '\''; };
    while (!label.empty() && is_trim(label.front()))
        label.remove_prefix(1);
    while (!label.empty() && is_trim(label.back()))
        label.remove_suffix(1);
    const std::string name = core::ascii_lower(label);
    if (name.empty() || name == "utf-8" || name == "utf8" || name == "unicode-1-1-utf-8") {
        return Charset::utf8;
    }
    static constexpr std::string_view kWindows1252[] = {
        "windows-1252", "cp1252",     "x-cp1252",        "iso-8859-1",
        "iso8859-1",    "iso_8859-1", "iso-8859-1:1987", "latin1",
        "latin-1",      "l1",         "cp819",           "ibm819",
        "iso-ir-100",   "us-ascii",   "ascii",           "ansi_x3.4-1968"};
    for (const std::string_view known : kWindows1252) {
        if (name == known) return Charset::windows1252;
    }
    return Charset::other;
}

std::string to_utf8(std::string_view bytes, Charset charset) {
    // Valid UTF-8 is kept for every charset: for Windows-1252 it is either ASCII (the same in
    // both) or UTF-8 sent under a wrong label (see the header).
    if (core::is_valid_utf8(bytes)) return std::string(bytes);
    std::string out;
    out.reserve(bytes.size() + bytes.size() / 2);
    if (charset == Charset::windows1252) {
        for (const char c : bytes) {
            const auto b = static_cast<unsigned char>(c);
            core::append_utf8(out, b < 0x80   ? char32_t{b}
                                   : b < 0xA0 ? kWindows1252High[b - 0x80]
                                              : char32_t{b});
        }
        return out;
    }
    // UTF-8 with broken sequences: keep the good ones, replace each bad byte with U+FFFD.
    std::size_t pos = 0;
    while (pos < bytes.size())
        core::append_utf8(out, core::next_code_point(bytes, pos));
    return out;
}

}  // namespace vokter::http
