// Unicode-aware whole words and Norwegian case folding, verified against RE2 itself.
#include "core/word_boundary.hpp"

#include <doctest/doctest.h>
#include <re2/re2.h>

#include "core/normalise.hpp"

namespace vokter::core {

namespace {

bool words_match(const std::vector<std::string>& words, std::string_view text) {
    auto pattern = words_pattern(words);
    REQUIRE(pattern.ok());
    RE2 re(pattern.value());
    REQUIRE(re.ok());
    return RE2::PartialMatch(text, re);
}

}  // namespace

TEST_CASE("RE2's own \\b is ASCII-only: the reason words = [...] exists") {
    CHECK(RE2::PartialMatch("blåbær", R"(\bbær\b)"));
}

TEST_CASE("a words rule matches whole Norwegian words only") {
    CHECK_FALSE(words_match({"bær"}, "blåbær"));
    CHECK_FALSE(words_match({"bær"}, "bæret"));
    CHECK(words_match({"bær"}, "et bær"));
    CHECK(words_match({"bær"}, "bær!"));
    CHECK(words_match({"bær"}, "bær"));
    CHECK(words_match({"bær"}, "«bær»"));
    CHECK_FALSE(words_match({"lån"}, "utlån"));
    CHECK_FALSE(words_match({"lån"}, "lånet"));
    CHECK(words_match({"lån"}, "Raskt lån i dag"));
    CHECK_FALSE(words_match({"øl"}, "søl"));
    CHECK_FALSE(words_match({"sol"}, "sol_2"));
    CHECK_FALSE(words_match({"sol"}, "sol2"));
}

TEST_CASE("words fold case, including æøå/ÆØÅ") {
    CHECK(words_match({"lån uten sikkerhet"}, "LÅN UTEN SIKKERHET"));
    CHECK(words_match({"blåbær"}, "BLÅBÆR"));
    CHECK(words_match({"ØL"}, "kaldt øl"));
    CHECK(words_match({"søknad"}, "SØKNAD"));
}

TEST_CASE("RE2 (?i) folds æøå/ÆØÅ in UTF-8 patterns") {
    CHECK(RE2::PartialMatch("BLÅBÆRSYLTETØY", "(?i)blåbærsyltetøy"));
    CHECK(RE2::PartialMatch("blåbærsyltetøy", "(?i)BLÅBÆRSYLTETØY"));
    CHECK_FALSE(RE2::PartialMatch("BLÅBÆR", "blåbær"));
}

TEST_CASE("a space in a word entry matches any white space; '*' leaves the end open") {
    CHECK(words_match({"lån uten sikkerhet"}, "lån\n  uten\tsikkerhet"));
    CHECK_FALSE(words_match({"lån uten sikkerhet"}, "lånuten sikkerhet"));
    CHECK(words_match({"casino*"}, "beste casinobonus"));
    CHECK_FALSE(words_match({"casino*"}, "nettcasino"));
    CHECK(words_match({"bær", "casino*"}, "casinoer"));
}

TEST_CASE("words are literal text, not regex") {
    CHECK(words_match({"c++"}, "jeg liker c++ mye"));
    CHECK_FALSE(words_match({"a.b"}, "axb"));
}

TEST_CASE("empty words lists and entries are refused") {
    CHECK_FALSE(words_pattern({}).ok());
    CHECK_FALSE(words_pattern({"  "}).ok());
    CHECK_FALSE(words_pattern({"*"}).ok());
}

}  // namespace vokter::core

namespace vokter::core {

TEST_CASE("word boundaries: punctuation, quotes, dashes, NBSP and emoji end a word") {
    CHECK(words_match({"bær"}, "«bær»"));
    CHECK(words_match({"bær"}, "“bær”"));
    CHECK(words_match({"bær"}, "bær—nei"));
    CHECK(words_match({"bær"},
                      "et\xC2\xA0"
                      "bær"));
    CHECK(words_match({"bær"}, "bær😀"));
    CHECK(words_match({"bær"}, "(bær)"));
    CHECK_FALSE(words_match({"bær"}, "жbær"));
    CHECK_FALSE(words_match({"bær"}, "bær_"));
}

TEST_CASE("entries are normalised like the text, and normalised text keeps whole words") {
    CHECK(words_match({"ｂｌåｂæｒ"}, "blåbær"));        // a full width entry
    CHECK(words_match({"bla\u030Abær"}, "blåbær"));      // a decomposed entry
    CHECK(words_match({"v\u0456\u0430gra"}, "viagra"));  // a homoglyph entry
    CHECK(words_match({"blåbær"}, normalise("blå\u00ADbær!").text));
    CHECK(words_match({"blåbær"}, normalise("\uFEFFblåbær\u200B").text));
    CHECK_FALSE(words_match({"bær"}, normalise("blå\u00ADbær").text));
    CHECK_FALSE(words_match({"bær"}, normalise("blå\u200Bbær").text));
    CHECK(words_match({"bær"}, normalise("blå\u3000bær").text));  // ideographic space
}

}  // namespace vokter::core
