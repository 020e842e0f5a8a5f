#include "core/text.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace vokter::core;

TEST_CASE("UTF-8 validation accepts Norwegian text and emoji, refuses malformed bytes") {
    CHECK(is_valid_utf8("Blåbærsyltetøy på brødskiva 🫐"));
    CHECK(is_valid_utf8(""));
    CHECK_FALSE(is_valid_utf8("\xC3"));              // truncated
    CHECK_FALSE(is_valid_utf8("\xC0\xAF"));          // overlong '/'
    CHECK_FALSE(is_valid_utf8("\xED\xA0\x80"));      // surrogate U+D800
    CHECK_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));  // above U+10FFFF
    CHECK_FALSE(is_valid_utf8("ok\x80"));            // stray continuation byte
    CHECK_FALSE(is_valid_utf8("\xFF"));
}

TEST_CASE("code points are counted, not bytes") {
    CHECK(count_code_points("æøå") == 3);
    CHECK(count_code_points("a😀b") == 3);
}

TEST_CASE("case folding is Unicode's full case folding") {
    CHECK(fold_case("ÆØÅ Blåbær") == "æøå blåbær");
    CHECK(fold_case("Привет 😀") == "привет 😀");
    CHECK(fold_case("Straße") == "strasse");
    CHECK(fold_case("ΚΑΛΗΜΈΡΑ") == "καλημέρα");
    CHECK(fold_case("ÀÉÎÕÜ Ÿ Ǆ ŉ") == "àéîõü ÿ ǆ ʼn");
    CHECK(fold_case("ＡＢＣ 東京") == "ａｂｃ 東京");  // folding only: no NFKC here
    CHECK(fold_case("HELLO world") == "hello world");
    CHECK(fold_case("") == "");
}

TEST_CASE("case folding copies bytes that are not UTF-8") {
    CHECK(fold_case("AB\xFF-CD") == "ab\xFF-cd");
    CHECK(fold_case("Å\xC3") == "å\xC3");
}

TEST_CASE("duplicate normalisation ignores case and white space runs") {
    CHECK(normalise_for_duplicate("  Hei\n\n  PÅ  deg ") == "hei på deg");
    CHECK(normalise_for_duplicate("Hei\u00A0\u3000på\u2003deg") == "hei på deg");
    CHECK(normalise_for_duplicate(" \t\n") == "");
    CHECK(body_fingerprint("Hei på deg") == body_fingerprint(" hei   PÅ deg"));
    CHECK(body_fingerprint("Hei på deg") != body_fingerprint("Hei på dere"));
}

TEST_CASE("duplicate normalisation sees through homoglyphs, full width and invisible characters") {
    CHECK(normalise_for_duplicate("Buy v\u0456\u0430gr\u0430") == "buy viagra");
    CHECK(body_fingerprint("Buy v\u0456\u0430gr\u0430") == body_fingerprint("buy viagra"));
    CHECK(body_fingerprint("ｂｕｙ ＶＩＡＧＲＡ") == body_fingerprint("buy viagra"));
    CHECK(body_fingerprint("buy via\u00ADgra\u200B") == body_fingerprint("buy viagra"));
    CHECK(body_fingerprint("STRASSE") == body_fingerprint("Straße"));
}

TEST_CASE("a fingerprint is FNV-1a over the bytes of normalise_for_duplicate(text)") {
    std::uint64_t hash = 14695981039346656037ull;
    for (const char c : std::string("hei på deg"))
        hash ^= static_cast<unsigned char>(c), hash *= 1099511628211ull;
    CHECK(body_fingerprint("Hei PÅ  deg") == static_cast<std::int64_t>(hash));
}

TEST_CASE("ASCII lower-casing leaves every other byte alone") {
    CHECK(ascii_lower("Application/JSON; Charset=UTF-8") == "application/json; charset=utf-8");
    CHECK(ascii_lower("ÆØÅ") == "ÆØÅ");
}
