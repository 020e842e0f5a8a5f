#include "core/word_boundary.hpp"

#include <re2/re2.h>

#include "core/normalise.hpp"

namespace vokter::core {

namespace {

// Characters that end a word: ASCII other than letters, digits and '_', Latin-1 punctuation and
// symbols (NBSP, « », ¿, ×, ÷), general punctuation (dashes, curly quotes, …), arrows and
// symbols, CJK punctuation, U+FEFF and emoji. No letter or digit of any script is in the class.
// It is spelled out rather than written [^\p{L}\p{N}_] because RE2 compiles that negated
// Unicode class about 50 times slower (≈0.6 ms per rule), which would make a 1,000-rule file
// load in seconds. A non-letter outside the class (a rare symbol) counts as part of a word, so
// the approximation can only miss a match, never make "blåbær" match "bær".
// clang-format off
constexpr std::string_view kLeft = R"((?:^|[\x00-\x2F\x3A-\x40\x5B-\x5E\x60\x7B-\x7F\x{A0}-\x{BF}\x{D7}\x{F7}\x{2000}-\x{206F}\x{2190}-\x{2BFF}\x{3000}-\x{303F}\x{FEFF}\x{1F000}-\x{1FAFF}]))";
constexpr std::string_view kRight = R"((?:$|[\x00-\x2F\x3A-\x40\x5B-\x5E\x60\x7B-\x7F\x{A0}-\x{BF}\x{D7}\x{F7}\x{2000}-\x{206F}\x{2190}-\x{2BFF}\x{3000}-\x{303F}\x{FEFF}\x{1F000}-\x{1FAFF}]))";
// clang-format on

// Quotes `word` for RE2 and turns each run of spaces into \s+.
std::string quote_word(std::string_view word) {
    std::string out;
    std::size_t i = 0;
    while (i < word.size()) {
        std::size_t end = i;
        while (end < word.size() && word[end] != ' ')
            ++end;
        out += RE2::QuoteMeta(word.substr(i, end - i));
        if (end < word.size()) {
            out += "\\s+";
            while (end < word.size() && word[end] == ' ')
                ++end;
        }
        i = end;
    }
    return out;
}

}  // namespace

Result<std::string> words_pattern(const std::vector<std::string>& words) {
    if (words.empty()) return Error{"empty_words", "words = [...] needs at least one word", ""};
    std::string whole;   // entries with boundaries on both sides
    std::string prefix;  // entries ending in '*': left boundary only
    for (const std::string& entry : words) {
        const std::string normalised = normalise(entry).text;
        std::string_view word = normalised;
        while (!word.empty() && word.front() == ' ')
            word.remove_prefix(1);
        while (!word.empty() && word.back() == ' ')
            word.remove_suffix(1);
        const bool open_end = !word.empty() && word.back() == '*';
        if (open_end) word.remove_suffix(1);
        if (word.empty()) return Error{"empty_words", "words = [...] has an empty entry", ""};
        std::string& target = open_end ? prefix : whole;
        if (!target.empty()) target += '|';
        target += quote_word(word);
    }
    // (?i) LEFT (?: (whole) RIGHT | (prefix) ): the groups hold the words without boundaries.
    std::string pattern = "(?i)";
    pattern += kLeft;
    pattern += "(?:";
    if (!whole.empty()) {
        pattern += "(";
        pattern += whole;
        pattern += ")";
        pattern += kRight;
    }
    if (!prefix.empty()) {
        if (!whole.empty()) pattern += '|';
        pattern += "(";
        pattern += prefix;
        pattern += ")";
    }
    pattern += ')';
    return pattern;
}

}  // namespace vokter::core
