#pragma once
// Unicode-aware whole-word patterns. RE2's \b and \w know only ASCII letters, so '\bbær\b'
// matches inside "blåbær". A rule's `words = [...]` list is compiled instead into a pattern whose
// boundaries are "start or end of text, or a character that is not a letter, digit or underscore"
// in the Unicode sense: white space, punctuation (ASCII, Latin-1 such as « » and NBSP, general
// punctuation such as – — " " …), symbols and emoji. Letters of every script (å, é, ж, 語) join
// words. See word_boundary.cpp for the exact class.
//
// The boundary stays a hand-written RE2 character class rather than ICU's word break rules
// because RE2 cannot call out to ICU while it matches. Rules on body, name and website match
// normalised text (normalise.hpp), where zero-width characters and soft hyphens are gone.

#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace vokter::core {

// Builds the RE2 pattern for a `words` list. Each entry is literal text, normalised like the text
// it is matched against (normalise(entry).text), matched case-insensitively (RE2 folds æøå/ÆØÅ
// and other Unicode simple case pairs); a space inside an entry matches any run
// of white space; a trailing '*' drops the right boundary, so "casino*" also matches "casinobonus".
// The first non-empty capture group holds the matched words without the boundary characters.
// Fails when the list is empty or an entry is empty or only '*'.
Result<std::string> words_pattern(const std::vector<std::string>& words);

}  // namespace vokter::core
