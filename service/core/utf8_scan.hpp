#pragma once
// Small UTF-8 helpers the rule engine needs while scanning text: step through code points and cut
// text without splitting a character. They never allocate.

#include <cstddef>
#include <string>
#include <string_view>

namespace vokter::core {

// Decodes the sequence that starts at text[pos]. Returns its length in bytes (1 to 4) and stores
// the code point in `cp`, or returns 0 when the bytes there are not well-formed UTF-8 (stray
// continuation byte, overlong form, surrogate, above U+10FFFF, truncated). Precondition:
// pos < text.size().
std::size_t decode_utf8(std::string_view text, std::size_t pos, char32_t& cp);

// Appends the UTF-8 encoding of `cp`; a surrogate, NUL or value above U+10FFFF becomes U+FFFD.
void append_utf8(std::string& out, char32_t cp);

// Decodes the code point that starts at text[pos] and returns it; advances `pos` past it. A byte
// that does not start a well-formed sequence decodes as U+FFFD and advances by one byte.
// Precondition: pos < text.size().
char32_t next_code_point_slow(std::string_view text, std::size_t& pos);
inline char32_t next_code_point(std::string_view text, std::size_t& pos) {
    const auto b = static_cast<unsigned char>(text[pos]);
    if (b < 0x80) {
        ++pos;
        return b;
    }
    return next_code_point_slow(text, pos);
}

// The longest prefix of `text` of at most `max_bytes` bytes that does not end inside a UTF-8
// sequence.
std::string_view truncate_utf8(std::string_view text, std::size_t max_bytes);

// Unicode letter classes the heuristics need, by code point ranges (not a full Unicode database:
// letters of the Latin, Greek, Cyrillic, Armenian, Hebrew, Arabic, Indic, Thai, Georgian, Hangul,
// Kana and CJK blocks).
enum class Script {
    other,
    latin,
    greek,
    cyrillic,
    armenian,
    hebrew,
    arabic,
    devanagari,
    thai,
    georgian,
    hangul,
    kana,
    cjk
};

// The script of a letter, or Script::other when `cp` is not a letter of a known script.
Script script_of_slow(char32_t cp);
inline Script script_of(char32_t cp) {
    if (cp < 0x80) {
        return ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z') ? Script::latin : Script::other;
    }
    return script_of_slow(cp);
}

// True when `cp` is a letter with a capital form and is that capital (Latin, Greek, Cyrillic).
bool is_upper_letter_slow(char32_t cp);
inline bool is_upper_letter(char32_t cp) {
    if (cp < 0x80) return cp >= 'A' && cp <= 'Z';
    return is_upper_letter_slow(cp);
}

}  // namespace vokter::core
