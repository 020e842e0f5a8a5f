#pragma once
// Text helpers on UTF-8 strings. Pure functions; none allocate more than their result.

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

// Lower-cases ASCII letters only (protocol tokens: media types, charsets, URL schemes).
std::string ascii_lower(std::string_view text);

// Lower-cases ASCII and the Latin letters Norwegian uses (Æ Ø Å and Latin-1/Latin Extended-A
// capitals), leaving every other code point byte-exact. Input must be valid UTF-8.
std::string fold_case(std::string_view text);

// The text a duplicate check compares: case folded, runs of white space collapsed to one
// space, leading and trailing white space removed.
std::string normalise_for_duplicate(std::string_view text);

// A stable 64-bit fingerprint (FNV-1a) of normalise_for_duplicate(text); the same on every build
// and machine, so it can be stored and indexed.
std::int64_t body_fingerprint(std::string_view text);

}  // namespace vokter::core
