#pragma once
// Text helpers on UTF-8 strings. Pure functions, thread-safe; case folding comes from ICU.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace vokter::core {

// True when `text` is well-formed UTF-8: no stray continuation bytes, no overlong forms, no
// surrogates (U+D800..U+DFFF), nothing above U+10FFFF, no truncated sequence at the end.
bool is_valid_utf8(std::string_view text);

// Number of code points in valid UTF-8 text (what a person counts as characters, near enough).
std::size_t count_code_points(std::string_view text);

// `text` without leading and trailing ASCII white space (space, tab, CR, LF).
std::string_view trim_ascii_space(std::string_view text);

// `text` safe inside HTML text and quoted attribute values: & < > " ' as character references.
std::string html_escape(std::string_view text);

// Lower-cases ASCII letters only (protocol tokens: media types, charsets, URL schemes).
std::string ascii_lower(std::string_view text);

// Full Unicode case folding (ICU, CaseFolding.txt without the Turkic special cases): "ÆØÅ" ->
// "æøå", "Straße" -> "strasse", "ПРИВЕТ" -> "привет". Text is not otherwise normalised (see
// normalise.hpp for that). Bytes that are not UTF-8 are copied as they are.
std::string fold_case(std::string_view text);

// The text a duplicate check compares: normalise(text).folded (so `vіаgrа` with Cyrillic
// letters, `ｖｉａｇｒａ` and `viagra` are the same), runs of Unicode white space collapsed to one
// space, leading and trailing white space removed.
std::string normalise_for_duplicate(std::string_view text);

// A stable 64-bit fingerprint (FNV-1a) of normalise_for_duplicate(text); the same on every build
// and machine with the same ICU data, so it can be stored and indexed. A new Unicode version
// can change it for text with newly assigned or re-classified characters, never for ASCII.
std::int64_t body_fingerprint(std::string_view text);

}  // namespace vokter::core
