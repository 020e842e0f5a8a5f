#include "core/word_boundary.hpp"

#include <re2/re2.h>

namespace vokter::core {

namespace {

constexpr std::string_view kLeft = "(?:^|[^\\p{L}\\p{N}_])";
constexpr std::string_view kRight = "(?:$|[^\\p{L}\\p{N}_])";

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
        std::string_view word = entry;
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
