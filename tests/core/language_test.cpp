// Language detection with CLD2 and the rule file's language codes, with real Norwegian sentences.
#include "core/language.hpp"

#include <doctest/doctest.h>

#include <algorithm>

namespace vokter::core {

namespace {

bool accepts(const std::vector<std::string>& listed, const std::string& detected) {
    const auto accepted = accepted_languages(listed);
    return std::find(accepted.begin(), accepted.end(), detected) != accepted.end();
}

}  // namespace

TEST_CASE("detect_language: Bokmål, Nynorsk and English comments") {
    // CLD2 reports Bokmål as "no" and also most Nynorsk as "no".
    for (const char* text : {
             "Takk for et flott innlegg! Jeg prøvde oppskriften på blåbærpai i går.",
             "Jeg er helt enig med deg. Det er viktig å tenke på barna først.",
             "Hvorfor skriver du ikke mer om hagearbeid? Jeg savner det.",
             "Eg er heilt einig med deg. Det er viktig å tenkje på borna fyrst.",
             "Kva meiner du om det nye forslaget frå regjeringa?",
         }) {
        CAPTURE(text);
        const LanguageGuess g = detect_language(text);
        CHECK(g.code == "no");
        CHECK(g.reliable);
        CHECK(g.percent >= 90);
        CHECK(g.text_bytes > 30);
    }
    const LanguageGuess en =
        detect_language("Great post, I learned a lot about sourdough. Thanks!");
    CHECK(en.code == "en");
    CHECK(en.reliable);
}

TEST_CASE("detect_language: short Norwegian may come out as Danish, hence the Norwegian group") {
    const LanguageGuess g = detect_language("Så fint!");
    CHECK(g.code == "da");
    CHECK(accepts({"no"}, g.code));
}

TEST_CASE("detect_language: other languages and scripts") {
    CHECK(detect_language("Me gustó mucho este artículo, gracias por compartir.").code == "es");
    CHECK(detect_language("Вы можете купить дешевые часы на нашем сайте сегодня").code == "ru");
    CHECK(detect_language("Ich finde diesen Artikel sehr interessant und hilfreich.").code == "de");
    CHECK(detect_language("Tack för ett bra inlägg, jag ska prova receptet.").code == "sv");
    const LanguageGuess fr = detect_language(
        "Si vous recherchez un crédit, un prêt, un financement rapide et sérieux, contactez-nous.");
    CHECK(fr.code == "fr");
    CHECK(fr.reliable);
}

TEST_CASE("detect_language: the language of the largest share, not CLD2's summary language") {
    // CLD2's summary says "ko" here, for the two Korean words.
    const LanguageGuess g = detect_language(
        "Something to dance to, even if your sad JUST dance!! PSY - GANGNAM STYLE (강남스타일) "
        "M/V");
    CHECK(g.code == "en");
    CHECK(g.percent > 50);
}

TEST_CASE("detect_language: empty, letterless and invalid UTF-8 text is unknown") {
    for (const char* text : {"", "12345 !!! :-)", "\xFF\xFE"}) {
        CAPTURE(text);
        const LanguageGuess g = detect_language(text);
        CHECK(g.code == "un");
        CHECK_FALSE(g.reliable);
    }
    // Only the valid prefix is read.
    CHECK(detect_language("Jeg er helt enig med deg. Det er viktig å tenke på barna først.\xFF")
              .code == "no");
}

TEST_CASE("language_code: rule-file codes in CLD2's spelling") {
    CHECK(language_code("nb") == "no");
    CHECK(language_code("no") == "no");
    CHECK(language_code("nn") == "nn");
    CHECK(language_code("en") == "en");
    CHECK(language_code("da") == "da");
    CHECK(language_code("he") == "iw");
    CHECK(language_code("zh-Hant") == "zh-Hant");
    CHECK_FALSE(language_code("xx"));
    CHECK_FALSE(language_code("un"));
    CHECK_FALSE(language_code(""));
    CHECK_FALSE(language_code("NB"));
    CHECK_FALSE(language_code("ENGLISH"));
    CHECK_FALSE(language_code("norsk"));
}

TEST_CASE("accepted_languages: Norwegian accepts no, nn and da; others only themselves") {
    CHECK(accepted_languages(std::vector<std::string>{"no", "nn", "en"}) ==
          std::vector<std::string>{"da", "en", "nn", "no"});
    CHECK(accepted_languages(std::vector<std::string>{"nn"}) ==
          std::vector<std::string>{"da", "nn", "no"});
    CHECK(accepted_languages(std::vector<std::string>{"da"}) == std::vector<std::string>{"da"});
    CHECK(accepted_languages(std::vector<std::string>{"en", "en"}) ==
          std::vector<std::string>{"en"});
    CHECK_FALSE(accepts({"no", "en"}, "sv"));
}

}  // namespace vokter::core
