#include "core/normalise.hpp"

#include <unicode/bytestream.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/ucpmap.h>
#include <unicode/ucptrie.h>
#include <unicode/umutablecptrie.h>
#include <unicode/unorm2.h>
#include <unicode/uscript.h>
#include <unicode/uset.h>
#include <unicode/uspoof.h>
#include <unicode/utf16.h>
#include <unicode/utf8.h>

#include <array>
#include <bit>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "core/text.hpp"

namespace vokter::core {

namespace {

// What normalisation and words() need to know of a code point, packed into the 16-bit values of
// one UCPTrie so that the scans below make one inline lookup per code point.
constexpr std::uint16_t kScriptMask = 0x00FF;    // the letter's script group (0: Common, Inherited)
constexpr std::uint16_t kIgnorable = 0x0100;     // Default_Ignorable_Code_Point
constexpr std::uint16_t kNfkcUnstable = 0x0200;  // NFKC_Quick_Check not Yes, or combining class > 0
constexpr std::uint16_t kLetter = 0x0400;        // Alphabetic
constexpr std::uint16_t kMark = 0x0800;          // General_Category M (Mn, Mc, Me)
constexpr std::uint16_t kDigit = 0x1000;         // General_Category Nd
constexpr std::uint16_t kOwnWord = 0x2000;       // Han, Hiragana, Katakana: a word per letter
constexpr std::uint16_t kIllFormed = 0x8000;     // the trie's error value: ill-formed UTF-8
constexpr std::uint16_t kWordPart = kLetter | kMark | kDigit;
constexpr std::uint16_t kLatin = USCRIPT_LATIN;
constexpr std::uint16_t kCjk = USCRIPT_HAN;  // the group of Han, kana, Hangul and Bopomofo

// Whether a letter of `script` (a script group) may be replaced by a Latin lookalike. Common and
// Inherited letters have no script of their own; UTS #39 maps no CJK letter to a Latin one, and
// CJK text runs into Latin words without spaces ("iPhoneを買った"), so CJK letters never count.
constexpr bool is_foreign(std::uint16_t script) {
    return script != 0 && script != kLatin && script != kCjk;
}

// The values of U+0000..U+007F, as the trie has them.
constexpr std::array<std::uint16_t, 128> kAsciiProps = [] {
    std::array<std::uint16_t, 128> props{};
    for (int c = 0; c < 128; ++c) {
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) props[c] = kLetter | kLatin;
        if (c >= '0' && c <= '9') props[c] = kDigit;
    }
    return props;
}();

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// Scripts that share words in real text count as one when a word is checked for mixed scripts:
// Japanese mixes Han, Hiragana and Katakana, Korean Hangul and Han.
std::uint16_t script_group(UScriptCode script) {
    switch (script) {
        case USCRIPT_COMMON:
        case USCRIPT_INHERITED:
            return 0;
        case USCRIPT_HIRAGANA:
        case USCRIPT_KATAKANA:
        case USCRIPT_HANGUL:
        case USCRIPT_BOPOMOFO:
            return USCRIPT_HAN;
        default:
            return script < 0xFF ? static_cast<std::uint16_t>(script) : 0xFF;
    }
}

bool is_own_word_script(UScriptCode script) {
    return script == USCRIPT_HAN || script == USCRIPT_HIRAGANA || script == USCRIPT_KATAKANA;
}

// Sets `bits` in the values of start..end, keeping the bits already there.
void add_bits(UMutableCPTrie* trie, UChar32 start, UChar32 end, std::uint32_t bits,
              UErrorCode& status) {
    for (UChar32 c = start; c <= end && U_SUCCESS(status);) {
        std::uint32_t value = 0;
        UChar32 last =
            umutablecptrie_getRange(trie, c, UCPMAP_RANGE_NORMAL, 0, nullptr, nullptr, &value);
        if (last < c) break;
        if (last > end) last = end;
        umutablecptrie_setRange(trie, c, last, value | bits, &status);
        c = last + 1;
    }
}

void add_set(UMutableCPTrie* trie, const USet* set, std::uint32_t bits, UErrorCode& status) {
    const std::int32_t ranges = uset_getRangeCount(set);
    for (std::int32_t i = 0; i < ranges && U_SUCCESS(status); ++i) {
        UChar32 start = 0;
        UChar32 end = 0;
        uset_getItem(set, i, &start, &end, nullptr, 0, &status);
        add_bits(trie, start, end, bits, status);
    }
}

// Sets `bits` where `property` has `value` (or, with `invert`, any other value). Built from
// UnicodeSets, which ICU fills from its range data: u_getIntPropertyMap() would look up every
// code point and take milliseconds per property.
void add_where(UMutableCPTrie* trie, UProperty property, std::int32_t value, bool invert,
               std::uint32_t bits, UErrorCode& status) {
    USet* set = uset_openEmpty();
    uset_applyIntPropertyValue(set, property, value, &status);
    if (invert) uset_complement(set);
    if (U_SUCCESS(status)) add_set(trie, set, bits, status);
    uset_close(set);
}

// The script bits of a letter: its script group, and kOwnWord for Han and kana (including
// Common letters used only with them, such as the prolonged sound mark ー).
std::uint32_t letter_script_bits(UChar32 c) {
    UErrorCode status = U_ZERO_ERROR;
    const UScriptCode script = uscript_getScript(c, &status);
    if (U_FAILURE(status)) return 0;
    bool own_word = is_own_word_script(script);
    if (script == USCRIPT_COMMON || script == USCRIPT_INHERITED) {
        own_word = uscript_hasScript(c, USCRIPT_HAN) || uscript_hasScript(c, USCRIPT_HIRAGANA) ||
                   uscript_hasScript(c, USCRIPT_KATAKANA);
    }
    return script_group(script) | (own_word ? kOwnWord : 0u);
}

// The trie, the NFKC normaliser and the confusable data, built from ICU once per process.
// Immutable after construction, so any thread may use it.
class Tables {
  public:
    static const Tables& get() {
        static const Tables tables;
        return tables;
    }

    Tables(const Tables&) = delete;
    Tables& operator=(const Tables&) = delete;
    ~Tables() {
        if (trie_) ucptrie_close(trie_);
        if (spoof_) uspoof_close(spoof_);
    }

    // False when ICU could not provide its data; normalise() then copies text unchanged.
    bool ok() const { return trie_ && spoof_ && nfkc_; }

    std::uint16_t props(UChar32 c) const {
        if (trie_) return static_cast<std::uint16_t>(UCPTRIE_FAST_GET(trie_, UCPTRIE_16, c));
        // Without ICU data: ASCII letters and digits make words, every other code point too.
        if (c >= 0x80) return kLetter;
        if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') return kLetter | kLatin;
        return c >= '0' && c <= '9' ? kDigit : 0;
    }

    const UCPTrie* trie() const { return trie_; }
    const icu::Normalizer2& nfkc() const { return *nfkc_; }

    // The ASCII letter whose UTS #39 skeleton equals that of `c`, in the case of `c` where both
    // exist ('I' for Cyrillic І, 'l' for Arabic alef), or 0 when `c` looks like no ASCII letter.
    char latin_lookalike(UChar32 c) const {
        if (c < static_cast<UChar32>(low_lookalikes_.size())) return low_lookalikes_[c];
        return compute_lookalike(c);
    }

  private:
    Tables() {
        UErrorCode status = U_ZERO_ERROR;
        nfkc_ = icu::Normalizer2::getNFKCInstance(status);
        if (U_FAILURE(status)) nfkc_ = nullptr;
        build_trie();
        build_lookalikes();
    }

    void build_trie() {
        UErrorCode status = U_ZERO_ERROR;
        UMutableCPTrie* m = umutablecptrie_open(0, kIllFormed, &status);
        const USet* letters = u_getBinaryPropertySet(UCHAR_ALPHABETIC, &status);
        if (U_SUCCESS(status)) {
            add_set(m, letters, kLetter, status);
            // Scripts of letters only (about 1 ms): runs of one script become one range.
            const std::int32_t ranges = uset_getRangeCount(letters);
            for (std::int32_t i = 0; i < ranges && U_SUCCESS(status); ++i) {
                UChar32 start = 0;
                UChar32 end = 0;
                uset_getItem(letters, i, &start, &end, nullptr, 0, &status);
                for (UChar32 run = start; run <= end && U_SUCCESS(status);) {
                    const std::uint32_t bits = letter_script_bits(run);
                    UChar32 last = run;
                    while (last < end && letter_script_bits(last + 1) == bits)
                        ++last;
                    if (bits != 0) add_bits(m, run, last, bits, status);
                    run = last + 1;
                }
            }
        }
        if (U_SUCCESS(status)) {
            add_set(m, u_getBinaryPropertySet(UCHAR_DEFAULT_IGNORABLE_CODE_POINT, &status),
                    kIgnorable, status);
        }
        add_where(m, UCHAR_NFKC_QUICK_CHECK, UNORM_NO, false, kNfkcUnstable, status);
        add_where(m, UCHAR_NFKC_QUICK_CHECK, UNORM_MAYBE, false, kNfkcUnstable, status);
        add_where(m, UCHAR_CANONICAL_COMBINING_CLASS, 0, true, kNfkcUnstable, status);
        add_where(m, UCHAR_GENERAL_CATEGORY_MASK, U_GC_M_MASK, false, kMark, status);
        add_where(m, UCHAR_GENERAL_CATEGORY_MASK, U_GC_ND_MASK, false, kDigit, status);
        if (U_SUCCESS(status)) {
            trie_ =
                umutablecptrie_buildImmutable(m, UCPTRIE_TYPE_FAST, UCPTRIE_VALUE_BITS_16, &status);
            if (U_FAILURE(status)) trie_ = nullptr;
        }
        umutablecptrie_close(m);
    }

    void build_lookalikes() {
        UErrorCode status = U_ZERO_ERROR;
        spoof_ = uspoof_open(&status);
        if (U_FAILURE(status)) {
            spoof_ = nullptr;
            return;
        }
        for (char c = 'a'; c <= 'z'; ++c) {
            for (const char letter : {c, static_cast<char>(c - 'a' + 'A')}) {
                const std::u16string sk = skeleton(letter);
                auto it = latin_.begin();
                while (it != latin_.end() && it->skeleton != sk)
                    ++it;
                if (it == latin_.end()) it = latin_.insert(it, LatinSkeleton{sk, 0, 0});
                (letter >= 'a' ? it->lower : it->upper) = letter;
            }
        }
        // Precomputed where Greek, Cyrillic, Armenian, Hebrew and Arabic live; the rest is rare
        // in mixed-script words and is looked up when met.
        if (!trie_) return;
        for (UChar32 c = 0x80; c < static_cast<UChar32>(low_lookalikes_.size()); ++c) {
            const std::uint16_t p = props(c);
            if ((p & kLetter) && is_foreign(p & kScriptMask))
                low_lookalikes_[c] = compute_lookalike(c);
        }
    }

    std::u16string skeleton(UChar32 c) const {
        UChar in[2];
        std::int32_t length = 0;
        U16_APPEND_UNSAFE(in, length, c);
        UChar out[32];
        UErrorCode status = U_ZERO_ERROR;
        const std::int32_t n = uspoof_getSkeleton(spoof_, 0, in, length, out, 32, &status);
        if (U_FAILURE(status)) return {};
        return std::u16string(out, out + n);
    }

    char compute_lookalike(UChar32 c) const {
        if (!spoof_) return 0;
        const std::u16string sk = skeleton(c);
        for (const LatinSkeleton& l : latin_) {
            if (l.skeleton != sk) continue;
            if (u_isUUppercase(c)) return l.upper ? l.upper : l.lower;
            return l.lower ? l.lower : l.upper;
        }
        return 0;
    }

    struct LatinSkeleton {
        std::u16string skeleton;  // shared by 'l' and 'I', for instance
        char lower;
        char upper;
    };

    const icu::Normalizer2* nfkc_ = nullptr;  // owned by ICU
    UCPTrie* trie_ = nullptr;
    USpoofChecker* spoof_ = nullptr;  // only uspoof_getSkeleton (const) is called on it
    std::vector<LatinSkeleton> latin_;
    std::array<char, 0x800> low_lookalikes_{};
};

const char* skip_ascii(const char* p, const char* end) {
    while (end - p >= 8) {
        std::uint64_t word = 0;
        std::memcpy(&word, p, 8);
        if (word & 0x8080808080808080ull) break;
        p += 8;
    }
    while (p != end && static_cast<unsigned char>(*p) < 0x80)
        ++p;
    return p;
}

bool is_ascii(std::string_view text) {
    return skip_ascii(text.data(), text.data() + text.size()) == text.data() + text.size();
}

struct Scan {
    // Offset in the output of the first code point NFKC may change, or npos: none.
    std::size_t nfkc_from = std::string::npos;
    bool foreign_letters = false;  // letters that may be Latin lookalikes occur (is_foreign)
};

// Copies `in` to `out` without default-ignorable code points and with each ill-formed UTF-8
// sequence replaced by U+FFFD, and reports what the later steps have to do.
Scan strip_ignorables(const Tables& tables, std::string_view in, std::string& out) {
    Scan scan;
    const UCPTrie* trie = tables.trie();
    const char* const begin = in.data();
    const char* const end = begin + in.size();
    const char* copied = begin;  // in[.. copied) is in `out` already
    bool changed = false;
    out.clear();
    for (const char* p = begin; p != end;) {
        if (static_cast<unsigned char>(*p) < 0x80) {
            p = skip_ascii(p + 1, end);
            continue;
        }
        const char* const start = p;
        std::uint16_t v = 0;
        UCPTRIE_FAST_U8_NEXT(trie, UCPTRIE_16, p, end, v);
        if (v & (kIgnorable | kIllFormed)) {
            if (!changed) out.reserve(in.size());
            out.append(copied, start);
            if (v == kIllFormed) out += kReplacement;
            copied = p;
            changed = true;
            continue;
        }
        if ((v & kNfkcUnstable) && scan.nfkc_from == std::string::npos)
            scan.nfkc_from = changed ? out.size() + static_cast<std::size_t>(start - copied)
                                     : static_cast<std::size_t>(start - begin);
        const std::uint16_t script = v & kScriptMask;
        scan.foreign_letters |= (v & kLetter) && is_foreign(script);
    }
    if (changed) {
        out.append(copied, end);
    } else {
        out.assign(in);
    }
    return scan;
}

// Replaces, in the word text[start, end) that mixes scripts, every letter of another script than
// Latin that looks like an ASCII letter by that letter; appends to `out` what precedes it.
void unmix_word(const Tables& tables, const std::string& text, std::int32_t start, std::int32_t end,
                std::string& out, std::int32_t& copied) {
    const auto* s = reinterpret_cast<const std::uint8_t*>(text.data());
    for (std::int32_t j = start; j < end;) {
        const std::int32_t at = j;
        UChar32 c = 0;
        U8_NEXT_OR_FFFD(s, j, end, c);
        const std::uint16_t p = tables.props(c);
        const std::uint16_t script = p & kScriptMask;
        if (!(p & kLetter) || !is_foreign(script)) continue;
        if (const char latin = tables.latin_lookalike(c)) {
            if (out.empty()) out.reserve(text.size());
            out.append(text, static_cast<std::size_t>(copied),
                       static_cast<std::size_t>(at - copied));
            out += latin;
            copied = j;
        }
    }
}

// In each word (a run of letters, marks and digits) whose letters come from more than one
// script (CJK letters aside), replaces every is_foreign() letter that looks like an ASCII letter
// by that letter. `text` is valid UTF-8. Returns whether it replaced any.
bool replace_lookalikes(const Tables& tables, std::string& text) {
    const UCPTrie* trie = tables.trie();
    const char* const begin = text.data();
    const char* const end = begin + text.size();
    std::string out;
    std::int32_t copied = 0;     // text[.. copied) is in `out` already
    const char* word = nullptr;  // start of the current word
    std::uint16_t first_script = 0;
    bool mixed = false;
    for (const char* p = begin; p != end;) {
        const char* const at = p;
        std::uint16_t v = 0;
        UCPTRIE_FAST_U8_NEXT(trie, UCPTRIE_16, p, end, v);
        if (v & kWordPart) {
            if (!word) word = at, first_script = 0, mixed = false;
            const std::uint16_t script = v & kScriptMask;
            if ((v & kLetter) && script != 0 && script != kCjk) {
                if (first_script == 0) first_script = script;
                mixed |= script != first_script;
            }
            continue;
        }
        if (word && mixed)
            unmix_word(tables, text, static_cast<std::int32_t>(word - begin),
                       static_cast<std::int32_t>(at - begin), out, copied);
        word = nullptr;
    }
    if (word && mixed)
        unmix_word(tables, text, static_cast<std::int32_t>(word - begin),
                   static_cast<std::int32_t>(end - begin), out, copied);
    if (copied == 0) return false;
    out.append(text, static_cast<std::size_t>(copied));
    text = std::move(out);
    return true;
}

// For eight ASCII bytes, the high bit of each byte that is an ASCII letter or digit.
// Precondition: no byte of `word` has its high bit set (then no addition carries over).
std::uint64_t alnum_mask8(std::uint64_t word) {
    constexpr std::uint64_t kOnes = 0x0101010101010101ull;
    const std::uint64_t folded = word | (kOnes * 0x20);  // 'A'..'Z' onto 'a'..'z'
    const std::uint64_t letter =
        (folded + kOnes * (0x80 - 'a')) ^ (folded + kOnes * (0x80 - 'z' - 1));
    const std::uint64_t digit = (word + kOnes * (0x80 - '0')) ^ (word + kOnes * (0x80 - '9' - 1));
    return (letter | digit) & (kOnes * 0x80);
}

// The first index from `i` on whose byte is not an ASCII letter or digit, or `n`; eight bytes a
// step while they are ASCII.
std::int32_t skip_ascii_alnum(const std::uint8_t* s, std::int32_t i, std::int32_t n) {
    if constexpr (std::endian::native == std::endian::little) {
        for (; n - i >= 8; i += 8) {
            std::uint64_t word = 0;
            std::memcpy(&word, s + i, 8);
            if (word & 0x8080808080808080ull) break;
            if (const std::uint64_t other = ~alnum_mask8(word) & 0x8080808080808080ull)
                return i + std::countr_zero(other) / 8;
        }
    }
    while (i < n && s[i] < 0x80 && kAsciiProps[s[i]])
        ++i;
    return i;
}

bool is_word_joiner(UChar32 c) {
    return c == '\'' || c == 0x2019 || c == '-';
}

// Writes NFKC of `text` to `out`, copying what precedes the code point before text[from] as it is:
// when text[from] is the first code point NFKC may change, the one before it is a starter NFKC
// keeps, so nothing after it can combine with anything before. False when ICU fails.
bool apply_nfkc(const Tables& tables, std::string_view text, std::size_t from, std::string& out) {
    auto start = static_cast<std::int32_t>(from);
    if (start > 0) U8_BACK_1(reinterpret_cast<const std::uint8_t*>(text.data()), 0, start);
    out.assign(text.substr(0, static_cast<std::size_t>(start)));
    out.reserve(text.size());
    icu::StringByteSink<std::string> sink(&out);
    UErrorCode status = U_ZERO_ERROR;
    tables.nfkc().normalizeUTF8(
        0, icu::StringPiece(text.data() + start, static_cast<std::int32_t>(text.size()) - start),
        sink, nullptr, status);
    return U_SUCCESS(status);
}

}  // namespace

NormalisedText normalise(std::string_view utf8) {
    NormalisedText out;
    if (is_ascii(utf8)) {
        out.text.assign(utf8);
        out.folded = fold_case(utf8);
        return out;
    }
    const Tables& tables = Tables::get();
    if (!tables.ok()) {
        out.text.assign(utf8);
        out.folded = fold_case(utf8);
        return out;
    }
    Scan scan = strip_ignorables(tables, utf8, out.text);
    if (scan.nfkc_from != std::string::npos) {
        // Scanned again: NFKC output can hold letters of other scripts (µ -> Greek μ), and a
        // later Unicode version might map something to an ignorable code point.
        std::string composed;
        if (apply_nfkc(tables, out.text, scan.nfkc_from, composed))
            scan = strip_ignorables(tables, composed, out.text);
    }
    if (scan.foreign_letters && replace_lookalikes(tables, out.text) &&
        scan.nfkc_from != std::string::npos) {
        // A Latin letter put in place of a Cyrillic one can compose with a following mark.
        std::string composed;
        if (apply_nfkc(tables, out.text, 0, composed)) out.text = std::move(composed);
    }
    out.folded = fold_case(out.text);
    return out;
}

NormalisedSubmission normalise_submission(const Submission& submission) {
    return NormalisedSubmission{normalise(submission.body), normalise(submission.name),
                                normalise(submission.website), normalise(submission.title)};
}

std::vector<std::string_view> words(std::string_view folded) {
    std::vector<std::string_view> out;
    out.reserve(folded.size() / 6 + 1);  // about one word in six bytes of prose
    const Tables& tables = Tables::get();
    const auto* s = reinterpret_cast<const std::uint8_t*>(folded.data());
    const auto n = static_cast<std::int32_t>(folded.size());
    // The properties of the code point at `at` (0 when ill-formed); sets `c` and `next`.
    const auto props_at = [&](std::int32_t at, UChar32& c, std::int32_t& next) -> std::uint16_t {
        if (s[at] < 0x80) {
            c = s[at];
            next = at + 1;
            return kAsciiProps[s[at]];
        }
        next = at;
        U8_NEXT(s, next, n, c);
        return c < 0 ? std::uint16_t{0} : tables.props(c);
    };
    const auto letter_at = [&](std::int32_t at) {
        UChar32 c = 0;
        std::int32_t next = 0;
        const std::uint16_t p = at < n ? props_at(at, c, next) : 0;
        return (p & kLetter) && !(p & kOwnWord);
    };
    const auto view = [&](std::int32_t from, std::int32_t to) {
        return folded.substr(static_cast<std::size_t>(from), static_cast<std::size_t>(to - from));
    };
    UChar32 c = 0;
    std::int32_t next = 0;
    for (std::int32_t i = 0; i < n;) {
        const std::uint16_t first = props_at(i, c, next);
        if (!(first & kWordPart)) {
            i = next;
            continue;
        }
        const std::int32_t start = i;
        i = next;
        if (first & kOwnWord) {
            while (i < n && (props_at(i, c, next) & kMark))
                i = next;  // combining marks stay with their letter
            out.push_back(view(start, i));
            continue;
        }
        bool after_letter = (first & (kLetter | kMark)) != 0;
        while (i < n) {
            if (const std::int32_t end = skip_ascii_alnum(s, i, n); end != i) {
                after_letter = kAsciiProps[s[end - 1]] & kLetter;
                i = end;
                if (i == n) break;
            }
            const std::uint16_t p = props_at(i, c, next);
            if ((p & kWordPart) && !(p & kOwnWord)) {
                after_letter = (p & (kLetter | kMark)) != 0;
                i = next;
                continue;
            }
            // An apostrophe or hyphen between two letters stays inside the word.
            if (after_letter && is_word_joiner(c) && letter_at(next)) {
                i = next;
                continue;
            }
            break;
        }
        out.push_back(view(start, i));
    }
    return out;
}

char32_t hidden_character(std::string_view utf8) {
    const auto* bytes = reinterpret_cast<const std::uint8_t*>(utf8.data());
    const auto length = static_cast<std::int32_t>(utf8.size());
    std::int32_t i = 0;
    while (i < length) {
        if (bytes[i] < 0x80) {  // ASCII has no hidden characters but the controls callers refuse
            ++i;
            continue;
        }
        UChar32 c = 0;
        U8_NEXT(bytes, i, length, c);
        if (c < 0) continue;
        const bool kept = c == 0x200C || c == 0x200D || (c >= 0x180B && c <= 0x180F) ||
                          (c >= 0xE0020 && c <= 0xE007F) ||
                          u_hasBinaryProperty(c, UCHAR_VARIATION_SELECTOR);
        if (kept) continue;
        if (u_hasBinaryProperty(c, UCHAR_BIDI_CONTROL) ||
            u_hasBinaryProperty(c, UCHAR_DEFAULT_IGNORABLE_CODE_POINT)) {
            return static_cast<char32_t>(c);
        }
    }
    return 0;
}

}  // namespace vokter::core
