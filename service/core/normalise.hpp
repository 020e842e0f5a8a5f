#pragma once
// What rules, heuristics and the classifier see of a text. Spammers write `vіаgrа` with Cyrillic
// letters, `ｖｉａｇｒａ` in full width, or `via\u00ADgra` with a soft hyphen so that filters miss
// the word; normalisation turns each of them back into `viagra`. Stored text stays byte-exact:
// only the copies made here are changed. Pure, built on ICU; thread-safe.

#include <string>
#include <string_view>
#include <vector>

#include "core/submission.hpp"

namespace vokter::core {

struct NormalisedText {
    // NFKC; default-ignorable code points removed (zero-width space and joiners, soft hyphen,
    // BOM, variation selectors, bidi controls); inside a word whose letters mix scripts, each
    // letter of another script whose UTS #39 skeleton is that of an ASCII letter replaced by that
    // letter, in the letter's case (Cyrillic І -> I, і -> i). A word wholly in one script (привет)
    // and CJK letters stay as they are. Case is kept, so regex rules written with and without
    // (?i) keep their meaning.
    std::string text;
    // `text` with full Unicode case folding ("Straße" -> "strasse", "ÆØÅ" -> "æøå").
    std::string folded;
};

// Normalises UTF-8 text; an ill-formed sequence becomes U+FFFD. ASCII text is copied unchanged
// (and lower-cased for `folded`) without calling ICU. The first other call in a process builds
// lookup tables from ICU's data (a few milliseconds); any thread may call it.
NormalisedText normalise(std::string_view utf8);

// The normalised fields of one submission, computed once per evaluation and read by the
// rules, the heuristics and the classifier alike.
struct NormalisedSubmission {
    NormalisedText body;
    NormalisedText name;
    NormalisedText website;
    NormalisedText title;
};

NormalisedSubmission normalise_submission(const Submission& submission);

// The first code point of `utf8` that changes how text around it is shown without being seen
// itself, or 0 when there is none: bidi controls (U+202E makes "Kari\u202Egnp.exe" show as
// "Karigexe.png"), and the other default-ignorable code points (zero-width space, word joiner,
// soft hyphen, BOM, Hangul fillers that make a name look blank). Kept, because real names and
// emoji need them: the zero-width joiner and non-joiner, variation selectors, emoji tag
// characters and Mongolian variation selectors. `utf8` must be valid UTF-8.
char32_t hidden_character(std::string_view utf8);

// The words of folded text, as views into it: maximal runs of letters, combining marks and
// digits (ICU character properties), an apostrophe or hyphen between two letters kept inside the
// word; each Han, Hiragana or Katakana character is a word of its own. Ill-formed bytes separate
// words.
std::vector<std::string_view> words(std::string_view folded);

}  // namespace vokter::core
