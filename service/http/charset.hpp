#pragma once
// Conversion of text in a declared character set to valid UTF-8, for callers that must accept
// whatever a client sends (the Akismet-compatible API) but never store invalid UTF-8.
// Pure functions; thread-safe.

#include <string>
#include <string_view>

namespace vokter::http {

enum class Charset {
    utf8,         // UTF-8, or nothing declared
    windows1252,  // Windows-1252, and ISO-8859-1 / Latin-1 / US-ASCII, which the WHATWG
                  // Encoding Standard (what browsers do) decodes as Windows-1252
    other,        // any other name: treated as UTF-8
};

// The charset a label names, case-insensitively, ignoring surrounding spaces and quotes:
// "UTF-8", "utf8" -> utf8; "ISO-8859-1", "latin1", "cp1252", "windows-1252", … -> windows1252;
// "" -> utf8; anything else -> other.
Charset charset_from_label(std::string_view label);

// `bytes` as valid UTF-8:
//  - utf8 and other: valid UTF-8 is returned unchanged; each byte that does not start a
//    well-formed sequence becomes U+FFFD.
//  - windows1252: every byte maps to its Windows-1252 character (0x81, 0x8D, 0x8F, 0x90 and
//    0x9D, which it leaves undefined, map to the C1 controls of the same number), except that
//    text which is already valid UTF-8 and contains a multi-byte sequence is kept as it is: a
//    blog that declares Latin-1 but sends UTF-8 is far more common than Latin-1 text that
//    happens to form valid UTF-8.
std::string to_utf8(std::string_view bytes, Charset charset);

}  // namespace vokter::http
