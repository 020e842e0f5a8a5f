#include "core/language.hpp"

// compact_lang_det.h uses FILE without including <cstdio> itself.
#include <cstdio>
// clang-format off
#include <cld2/public/compact_lang_det.h>
// clang-format on

#include <algorithm>
#include <climits>

#include "core/utf8_scan.hpp"

namespace vokter::core {

namespace {

constexpr std::size_t kDetectBytes = 512;

// The CLD2 codes a Norwegian entry in `languages` accepts (see language.hpp).
constexpr std::string_view kNorwegian[] = {"da", "nn", "no"};

// Codes as language_code() returns them: Bokmål and Nynorsk.
bool is_norwegian(std::string_view code) {
    return code == "no" || code == "nn";
}

// The longest prefix of `text` that is valid UTF-8 (CLD2 requires valid input).
std::string_view valid_prefix(std::string_view text) {
    std::size_t pos = 0;
    while (pos < text.size()) {
        char32_t cp = 0;
        const std::size_t n = decode_utf8(text, pos, cp);
        if (n == 0) break;
        pos += n;
    }
    return text.substr(0, pos);
}

}  // namespace

LanguageGuess detect_language(std::string_view utf8) {
    LanguageGuess guess;
    // Half a kilobyte tells a language as well as the whole text does, and bounds CLD2's time
    // (about 40 µs on a 2 KB comment) on long comments. valid_prefix() drops a character cut in
    // two.
    const std::string_view text = valid_prefix(utf8.substr(0, kDetectBytes));
    if (text.empty()) return guess;
    CLD2::Language language3[3];
    int percent3[3] = {0, 0, 0};
    double normalized_score3[3] = {0, 0, 0};
    int text_bytes = 0;
    bool reliable = false;
    const int length = static_cast<int>(std::min<std::size_t>(text.size(), INT_MAX));
    const CLD2::Language top = CLD2::ExtDetectLanguageSummary(
        text.data(), length, /*is_plain_text=*/true, /*tld_hint=*/nullptr, /*encoding_hint=*/0,
        CLD2::UNKNOWN_LANGUAGE, language3, percent3, normalized_score3, &text_bytes, &reliable);
    // The language of the largest share. CLD2's summary language prefers a language of a rarer
    // script even when it is a small part of the text (English with a Korean title: "ko", 17%).
    const CLD2::Language largest = language3[0] != CLD2::UNKNOWN_LANGUAGE ? language3[0] : top;
    guess.code = CLD2::LanguageCode(largest);
    guess.reliable = reliable && largest != CLD2::UNKNOWN_LANGUAGE;
    guess.text_bytes = text_bytes;
    for (int i = 0; i < 3; ++i) {
        if (language3[i] == largest) {
            guess.percent = percent3[i];
            break;
        }
    }
    return guess;
}

std::optional<std::string> language_code(std::string_view rule_file_code) {
    if (rule_file_code.empty() || rule_file_code.size() > 16) return std::nullopt;
    const std::string code(rule_file_code);
    const CLD2::Language language = CLD2::GetLanguageFromName(code.c_str());
    if (language == CLD2::UNKNOWN_LANGUAGE) return std::nullopt;
    const std::string cld2_code = CLD2::LanguageCode(language);
    // CLD2 also knows languages by English name ("ENGLISH"); a rule file uses codes: CLD2's own,
    // or a lower-case ISO 639 code CLD2 maps to one ("nb" -> "no", "he" -> "iw").
    const bool iso_alias = code.size() <= 3 && std::all_of(code.begin(), code.end(), [](char c) {
                               return c >= 'a' && c <= 'z';
                           });
    if (code != cld2_code && !iso_alias) return std::nullopt;
    return cld2_code;
}

std::vector<std::string> accepted_languages(std::span<const std::string> listed) {
    std::vector<std::string> out;
    for (const std::string& code : listed) {
        out.push_back(code);
        if (is_norwegian(code)) out.insert(out.end(), std::begin(kNorwegian), std::end(kNorwegian));
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

}  // namespace vokter::core
