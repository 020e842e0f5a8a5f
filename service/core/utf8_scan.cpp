#include "core/utf8_scan.hpp"

namespace vokter::core {

std::size_t decode_utf8(std::string_view text, std::size_t pos, char32_t& cp) {
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
    const unsigned char b0 = byte(pos);
    if (b0 < 0x80) {
        cp = b0;
        return 1;
    }
    std::size_t len = 0;
    char32_t min = 0;
    if ((b0 & 0xE0) == 0xC0) {
        len = 2, cp = b0 & 0x1F, min = 0x80;
    } else if ((b0 & 0xF0) == 0xE0) {
        len = 3, cp = b0 & 0x0F, min = 0x800;
    } else if ((b0 & 0xF8) == 0xF0) {
        len = 4, cp = b0 & 0x07, min = 0x10000;
    } else {
        return 0;
    }
    if (pos + len > text.size()) return 0;
    for (std::size_t k = 1; k < len; ++k) {
        const unsigned char b = byte(pos + k);
        if ((b & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (b & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    return len;
}

void append_utf8(std::string& out, char32_t cp) {
    if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

char32_t next_code_point_slow(std::string_view text, std::size_t& pos) {
    char32_t cp = 0;
    const std::size_t len = decode_utf8(text, pos, cp);
    if (len == 0) {
        ++pos;
        return 0xFFFD;
    }
    pos += len;
    return cp;
}

std::string_view truncate_utf8(std::string_view text, std::size_t max_bytes) {
    if (text.size() <= max_bytes) return text;
    std::size_t end = max_bytes;
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80)
        --end;
    return text.substr(0, end);
}

Script script_of_slow(char32_t cp) {
    if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z')) return Script::latin;
    if (cp < 0xC0) return Script::other;
    if (cp <= 0x24F) return (cp == 0xD7 || cp == 0xF7) ? Script::other : Script::latin;
    if (cp >= 0x1E00 && cp <= 0x1EFF) return Script::latin;
    if (cp >= 0x370 && cp <= 0x3FF) return Script::greek;
    if (cp >= 0x400 && cp <= 0x52F) return Script::cyrillic;
    if (cp >= 0x530 && cp <= 0x58F) return Script::armenian;
    if (cp >= 0x5D0 && cp <= 0x5EA) return Script::hebrew;
    if ((cp >= 0x620 && cp <= 0x64A) || (cp >= 0x671 && cp <= 0x6D3)) return Script::arabic;
    if (cp >= 0x900 && cp <= 0xDFF) return Script::devanagari;  // the Indic blocks
    if (cp >= 0xE00 && cp <= 0xE7F) return Script::thai;
    if (cp >= 0x10A0 && cp <= 0x10FF) return Script::georgian;
    if ((cp >= 0x1100 && cp <= 0x11FF) || (cp >= 0xAC00 && cp <= 0xD7AF)) return Script::hangul;
    if (cp >= 0x3040 && cp <= 0x30FF) return Script::kana;
    if ((cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x4E00 && cp <= 0x9FFF) ||
        (cp >= 0x20000 && cp <= 0x2FA1F))
        return Script::cjk;
    return Script::other;
}

bool is_upper_letter_slow(char32_t cp) {
    if (cp >= 'A' && cp <= 'Z') return true;
    if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) return true;
    if (cp >= 0x100 && cp <= 0x17F) return cp % 2 == 0 && cp != 0x138;
    if (cp >= 0x391 && cp <= 0x3A9) return true;
    if (cp >= 0x400 && cp <= 0x42F) return true;
    return false;
}

}  // namespace vokter::core
