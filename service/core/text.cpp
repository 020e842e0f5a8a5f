#include "core/text.hpp"

#include <unicode/bytestream.h>
#include <unicode/casemap.h>
#include <unicode/uchar.h>

#include <array>
#include <cstring>

#include "core/normalise.hpp"
#include "core/utf8_scan.hpp"

namespace vokter::core {

namespace {

// ICU's full case folding of the two-byte code points U+0080..U+07FF (Latin-1, Latin Extended,
// IPA, Greek, Cyrillic, Armenian, Hebrew, Arabic) as UTF-8, computed once so that text in those
// scripts is folded without a call into ICU per character. Immutable after construction.
class FoldTable {
  public:
    struct Entry {
        std::uint8_t length = 0;  // bytes of the folding; 0 when longer than 3 (ICU folds it)
        char bytes[3] = {};
    };

    static const FoldTable& get() {
        static const FoldTable table;
        return table;
    }
    // The folding of the code point whose UTF-8 is `lead`, `trail` (0xC2 <= lead < 0xE0).
    const Entry& operator()(unsigned char lead, unsigned char trail) const {
        return entries_[static_cast<std::size_t>(((lead & 0x1F) << 6) | (trail & 0x3F)) - 0x80];
    }

  private:
    FoldTable() {
        for (char32_t cp = 0x80; cp < 0x800; ++cp) {
            std::string in;
            append_utf8(in, cp);
            std::string folded;
            icu::StringByteSink<std::string> sink(&folded);
            UErrorCode status = U_ZERO_ERROR;
            icu::CaseMap::utf8Fold(0, icu::StringPiece(in.data(), 2), sink, nullptr, status);
            Entry& entry = entries_[cp - 0x80];
            if (U_SUCCESS(status) && !folded.empty() && folded.size() <= sizeof entry.bytes) {
                entry.length = static_cast<std::uint8_t>(folded.size());
                folded.copy(entry.bytes, folded.size());
            }
        }
    }
    std::array<Entry, 0x800 - 0x80> entries_{};
};

bool is_two_byte(unsigned char lead, unsigned char trail) {
    return lead >= 0xC2 && lead < 0xE0 && (trail & 0xC0) == 0x80;
}

// Lower-cases eight ASCII bytes at once: a byte gets 0x20 added when it lies in 'A'..'Z'.
// Precondition: no byte of `word` has its high bit set (then no addition carries over).
std::uint64_t lower_ascii8(std::uint64_t word) {
    constexpr std::uint64_t kOnes = 0x0101010101010101ull;
    const std::uint64_t at_least_a = word + kOnes * (0x80 - 'A');
    const std::uint64_t beyond_z = word + kOnes * (0x80 - 'Z' - 1);
    return word | (((at_least_a ^ beyond_z) & (kOnes * 0x80)) >> 2);
}

char lower_ascii(char c) {
    return static_cast<char>(c + ((static_cast<unsigned char>(c - 'A') < 26u) << 5));
}

// Appends ICU's full case folding of `run`; ill-formed bytes are copied as they are.
void append_icu_fold(std::string& out, std::string_view run) {
    const std::size_t before = out.size();
    icu::StringByteSink<std::string> sink(&out);
    UErrorCode status = U_ZERO_ERROR;
    icu::CaseMap::utf8Fold(0, icu::StringPiece(run.data(), static_cast<std::int32_t>(run.size())),
                           sink, nullptr, status);
    if (U_FAILURE(status)) {
        out.resize(before);
        out.append(run);
    }
}

bool is_white_space(char32_t cp) {
    if (cp < 0x80) return cp == ' ' || (cp >= '\t' && cp <= '\r');
    return u_isUWhiteSpace(static_cast<UChar32>(cp));
}

}  // namespace

std::string_view trim_ascii_space(std::string_view text) {
    const std::size_t first = text.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) return {};
    return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

std::string html_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        switch (c) {
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '&':
                out += "&amp;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&#39;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

std::string ascii_lower(std::string_view text) {
    std::string out(text);
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + ('a' - 'A'));
    }
    return out;
}

bool is_valid_utf8(std::string_view text) {
    char32_t cp = 0;
    for (std::size_t i = 0; i < text.size();) {
        const std::size_t len = decode_utf8(text, i, cp);
        if (len == 0) return false;
        i += len;
    }
    return true;
}

std::size_t count_code_points(std::string_view text) {
    std::size_t count = 0;
    for (const char c : text) {
        if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++count;
    }
    return count;
}

std::string fold_case(std::string_view text) {
    // Folding keeps the length of ASCII and of most two-byte letters: fold a copy in place up to
    // the first character that needs more room or ICU, and append the rest from there.
    std::string out(text);
    const FoldTable& table = FoldTable::get();
    char* const d = out.data();
    const std::size_t n = out.size();
    std::size_t i = 0;
    while (i < n) {
        if (i + 8 <= n) {
            std::uint64_t word = 0;
            std::memcpy(&word, d + i, 8);
            if ((word & 0x8080808080808080ull) == 0) {
                word = lower_ascii8(word);
                std::memcpy(d + i, &word, 8);
                i += 8;
                continue;
            }
        }
        const auto lead = static_cast<unsigned char>(d[i]);
        if (lead < 0x80) {
            d[i] = lower_ascii(d[i]);
            ++i;
            continue;
        }
        if (i + 1 < n && is_two_byte(lead, static_cast<unsigned char>(d[i + 1]))) {
            const FoldTable::Entry& entry = table(lead, static_cast<unsigned char>(d[i + 1]));
            if (entry.length == 2) {
                d[i] = entry.bytes[0];
                d[i + 1] = entry.bytes[1];
                i += 2;
                continue;
            }
        }
        break;
    }
    if (i == n) return out;

    out.resize(i);
    while (i < n) {
        const auto lead = static_cast<unsigned char>(text[i]);
        if (lead < 0x80) {
            out += lower_ascii(text[i]);
            ++i;
            continue;
        }
        if (i + 1 < n && is_two_byte(lead, static_cast<unsigned char>(text[i + 1]))) {
            const FoldTable::Entry& entry = table(lead, static_cast<unsigned char>(text[i + 1]));
            if (entry.length != 0) {
                out.append(entry.bytes, entry.length);
                i += 2;
                continue;
            }
        }
        // Everything up to the next ASCII byte goes to ICU in one call.
        std::size_t end = i + 1;
        while (end < n && static_cast<unsigned char>(text[end]) >= 0x80)
            ++end;
        append_icu_fold(out, text.substr(i, end - i));
        i = end;
    }
    return out;
}

std::string normalise_for_duplicate(std::string_view text) {
    const std::string folded = normalise(text).folded;
    std::string out;
    out.reserve(folded.size());
    bool pending_space = false;
    char32_t cp = 0;
    for (std::size_t i = 0; i < folded.size();) {
        std::size_t len = decode_utf8(folded, i, cp);
        if (len == 0) cp = 0xFFFD, len = 1;  // normalise() leaves none; kept as bytes
        if (is_white_space(cp)) {
            pending_space = !out.empty();
        } else {
            if (pending_space) out += ' ', pending_space = false;
            out.append(folded, i, len);
        }
        i += len;
    }
    return out;
}

std::int64_t body_fingerprint(std::string_view text) {
    std::uint64_t hash = 14695981039346656037ull;
    for (const char c : normalise_for_duplicate(text)) {
        hash ^= static_cast<unsigned char>(c);
        hash *= 1099511628211ull;
    }
    return static_cast<std::int64_t>(hash);
}

}  // namespace vokter::core
