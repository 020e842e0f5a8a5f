#pragma once
// A list of words and phrases read from a list file (commercial words for author names, stock
// praise for comment bodies), matched against the words of a text as words() splits them.
//
// File format: one entry per line; blank lines and text after '#' are ignored. An entry is a
// sequence of words, compared after normalise() and case folding, so "Keep up the good work"
// equals "keep up the good work". Within an entry:
//   word    matches that word exactly ("blog" matches "blog", not "blogs" or "weblog");
//   word*   matches any word that starts with it ("bookmark*" matches "bookmarked");
//   *       matches any one word ("keep up the * work" matches "keep up the great work").
// Punctuation in an entry separates words as it does in text ("t-shirt" is one word, as words()
// keeps a hyphen between letters).

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace vokter::core {

class PhraseList {
  public:
    PhraseList() = default;

    // Parses list file text. Never fails: a line without a word (only '*' or punctuation) is
    // skipped.
    static PhraseList parse(std::string_view text);

    // The first entry (as written in the file, trimmed) that matches a run of consecutive words
    // of `words` — words() of folded text — or nullopt. Entries are tried at each position from
    // the left; at one position, in file order. Thread-safe on a const list.
    std::optional<std::string_view> find(std::span<const std::string_view> words) const;

    std::size_t size() const { return entries_.size(); }

  private:
    struct Token {
        std::string text;  // folded; empty for '*'
        bool prefix = false;
    };
    struct Entry {
        std::string written;
        std::vector<Token> tokens;
    };
    bool matches_at(const Entry& entry, std::span<const std::string_view> words,
                    std::size_t at) const;

    std::vector<Entry> entries_;
    // Entries whose first token is a whole word, by that word; the others are tried everywhere.
    std::unordered_map<std::string, std::vector<std::size_t>> by_first_word_;
    std::vector<std::size_t> open_start_;
};

}  // namespace vokter::core
