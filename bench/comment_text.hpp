#pragma once
// The comment the micro-benchmarks evaluate, shared so their figures compare.

#include <string>

namespace vokter::bench {

// About 2 KB of ordinary Norwegian/English blog comment text with one link, cut at a character
// boundary.
inline std::string comment_2kb() {
    const std::string paragraph =
        "Takk for et veldig godt innlegg! Jeg prøvde oppskriften på blåbærpai i helgen, og den ble "
        "en stor suksess hos hele familien. Great post, by the way: I shared it with my friends "
        "and we talked about it for hours. Se også https://www.example.no/oppskrifter/pai for "
        "mer. ";
    std::string text;
    while (text.size() < 2048)
        text += paragraph;
    text.resize(2048);
    while ((static_cast<unsigned char>(text.back()) & 0xC0) == 0x80)
        text.pop_back();
    return text;
}

}  // namespace vokter::bench
