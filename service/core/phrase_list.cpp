#include "core/phrase_list.hpp"

#include <algorithm>

#include "core/normalise.hpp"

namespace vokter::core {

namespace {

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f';
}

std::string_view trim(std::string_view text) {
    while (!text.empty() && is_space(text.front()))
        text.remove_prefix(1);
    while (!text.empty() && is_space(text.back()))
        text.remove_suffix(1);
    return text;
}

}  // namespace

PhraseList PhraseList::parse(std::string_view text) {
    PhraseList list;
    while (!text.empty()) {
        const std::size_t end = std::min(text.find('\n'), text.size());
        std::string_view line = text.substr(0, end);
        text.remove_prefix(std::min(end + 1, text.size()));
        line = trim(line.substr(0, line.find('#')));
        if (line.empty()) continue;

        Entry entry;
        entry.written = std::string(line);
        bool has_word = false;
        while (!line.empty()) {
            std::size_t stop = 0;
            while (stop < line.size() && !is_space(line[stop]))
                ++stop;
            std::string_view raw = line.substr(0, stop);
            line = trim(line.substr(stop));
            if (raw == "*") {
                entry.tokens.push_back(Token{});
                continue;
            }
            const bool prefix = raw.back() == '*';
            while (!raw.empty() && raw.back() == '*')
                raw.remove_suffix(1);
            const NormalisedText normalised = normalise(raw);
            const std::vector<std::string_view> parts = words(normalised.folded);
            for (std::size_t i = 0; i < parts.size(); ++i) {
                entry.tokens.push_back(
                    Token{std::string(parts[i]), prefix && i + 1 == parts.size()});
                has_word = true;
            }
        }
        if (!has_word) continue;
        const std::size_t index = list.entries_.size();
        const Token& first = entry.tokens.front();
        if (!first.text.empty() && !first.prefix) {
            list.by_first_word_[first.text].push_back(index);
        } else {
            list.open_start_.push_back(index);
        }
        list.entries_.push_back(std::move(entry));
    }
    return list;
}

bool PhraseList::matches_at(const Entry& entry, std::span<const std::string_view> words,
                            std::size_t at) const {
    if (at + entry.tokens.size() > words.size()) return false;
    for (std::size_t i = 0; i < entry.tokens.size(); ++i) {
        const Token& token = entry.tokens[i];
        const std::string_view word = words[at + i];
        if (token.text.empty()) continue;  // '*': any one word
        if (token.prefix ? !word.starts_with(token.text) : word != token.text) return false;
    }
    return true;
}

std::optional<std::string_view> PhraseList::find(std::span<const std::string_view> words) const {
    static const std::vector<std::size_t> kNone;
    std::string key;
    for (std::size_t at = 0; at < words.size(); ++at) {
        key.assign(words[at]);
        const auto found = by_first_word_.find(key);
        const std::vector<std::size_t>& keyed =
            found == by_first_word_.end() ? kNone : found->second;
        // Both index lists are ascending: walk them together to try entries in file order.
        std::size_t k = 0, o = 0;
        while (k < keyed.size() || o < open_start_.size()) {
            const bool take_keyed =
                o == open_start_.size() || (k < keyed.size() && keyed[k] < open_start_[o]);
            const std::size_t index = take_keyed ? keyed[k++] : open_start_[o++];
            if (matches_at(entries_[index], words, at)) return entries_[index].written;
        }
    }
    return std::nullopt;
}

}  // namespace vokter::core
