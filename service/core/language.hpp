#pragma once
// The language a comment is written in, guessed by CLD2 (Compact Language Detector 2, the
// detector Chrome used), and the language codes a rule file may list (`languages = [...]`).
//
// Norwegian. CLD2 calls Bokmål "no" and Nynorsk "nn", but it tells the two apart poorly (it reports
// most Nynorsk sentences as "no") and often reports short Norwegian as Danish ("Så fint!" -> "da").
// A rule file therefore names Norwegian by any of "nb", "no" or "nn", and each of them accepts what
// CLD2 says for Norwegian text: "no", "nn" and "da". A blog that lists Norwegian thus also accepts
// Danish, which its readers read anyway; listing "da" alone accepts Danish only.
//
// Pure; thread-safe (CLD2 keeps no state between calls).

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace vokter::core {

struct LanguageGuess {
    // The language of the largest share of the text, in CLD2's code: "en", "no", "nn", "da",
    // "ru", "zh", …; "un" when CLD2 finds none.
    std::string code = "un";
    bool reliable = false;  // CLD2 is confident of its guess
    int percent = 0;        // share of the scored text in that language, 0..100
    int text_bytes = 0;     // bytes of letters CLD2 scored (spaces, digits, punctuation left out)
};

// Guesses the language of plain UTF-8 text from its first 512 bytes. Text that is not valid
// UTF-8 from the first invalid byte on is left out. An empty or letterless text gives {"un", false,
// 0, 0}.
LanguageGuess detect_language(std::string_view utf8);

// The code a rule file's `languages` entry stands for, in CLD2's spelling ("nb" -> "no",
// "he" -> "iw", "EN" is not accepted: codes are lower case); nullopt when CLD2 does not know the
// language. Accepts ISO 639-1 codes and CLD2's own ("zh-Hant", "fil"…, whatever CLD2 names).
std::optional<std::string> language_code(std::string_view rule_file_code);

// The CLD2 codes that count as written in one of `listed` (codes as returned by language_code()),
// with the Norwegian group expanded as described above. Sorted, without duplicates.
std::vector<std::string> accepted_languages(std::span<const std::string> listed);

}  // namespace vokter::core
