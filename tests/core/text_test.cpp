#include "core/text.hpp"

#include <doctest/doctest.h>

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

TEST_CASE("case folding covers ÆØÅ and keeps other code points byte-exact") {
    CHECK(fold_case("ÆØÅ Blåbær") == "æøå blåbær");
    CHECK(fold_case("Привет 😀") == "Привет 😀");
}

TEST_CASE("duplicate normalisation ignores case and white space runs") {
    CHECK(normalise_for_duplicate("  Hei\n\n  PÅ  deg ") == "hei på deg");
    CHECK(body_fingerprint("Hei på deg") == body_fingerprint(" hei   PÅ deg"));
    CHECK(body_fingerprint("Hei på deg") != body_fingerprint("Hei på dere"));
}

TEST_CASE("ASCII lower-casing leaves every other byte alone") {
    CHECK(ascii_lower("Application/JSON; Charset=UTF-8") == "application/json; charset=utf-8");
    CHECK(ascii_lower("ÆØÅ") == "ÆØÅ");
}
