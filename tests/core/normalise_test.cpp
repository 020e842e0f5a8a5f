// normalise(): NFKC, default-ignorable code points, Latin lookalikes in mixed-script words, full
// case folding; words() on folded text.
#include "core/normalise.hpp"

#include <doctest/doctest.h>

#include <string>
#include <thread>
#include <vector>

namespace vokter::core {

namespace {

std::string text_of(std::string_view in) {
    return normalise(in).text;
}
std::string folded_of(std::string_view in) {
    return normalise(in).folded;
}

std::vector<std::string> words_of(std::string_view in) {
    const std::string folded = folded_of(in);
    std::vector<std::string> out;
    for (const std::string_view word : words(folded))
        out.emplace_back(word);
    return out;
}

using Words = std::vector<std::string>;

}  // namespace

TEST_CASE("ASCII is copied as it is, and lower-cased in `folded`") {
    const NormalisedText n = normalise("Hello, World!\n\tLine 2\r\n");
    CHECK(n.text == "Hello, World!\n\tLine 2\r\n");
    CHECK(n.folded == "hello, world!\n\tline 2\r\n");
    CHECK(normalise("").text.empty());
    CHECK(normalise("").folded.empty());
}

TEST_CASE("Cyrillic and Greek letters inside Latin words become the Latin letters they mimic") {
    CHECK(text_of("v\u0456\u0430gr\u0430") == "viagra");  // і а а Cyrillic
    CHECK(text_of("c\u0430s\u0456n\u043E") == "casino");  // а і о Cyrillic
    CHECK(text_of("v\u03B9agra") == "viagra");            // ι Greek
    CHECK(text_of("p\u0430yp\u0430l") == "paypal");       // а Cyrillic
    CHECK(text_of("V\u0406\u0410GR\u0410") == "VIAGRA");  // І А А Cyrillic capitals
    CHECK(folded_of("V\u0406\u0410GR\u0410") == "viagra");
    CHECK(text_of("buy v\u0456\u0430gr\u0430 now") == "buy viagra now");
    // Both Cyrillic and Greek, no Latin: still mixed, still replaced.
    CHECK(text_of("\u03BD\u0456\u0430gr\u0430") == "viagra");  // ν Greek, і а Cyrillic, g r
}

TEST_CASE("a word wholly in Cyrillic or Greek stays as it is") {
    CHECK(text_of("привет") == "привет");
    CHECK(text_of("Привет, мир! Это тест.") == "Привет, мир! Это тест.");
    CHECK(folded_of("Привет") == "привет");
    CHECK(text_of("καλημέρα κόσμε") == "καλημέρα κόσμε");
    CHECK(text_of("Я люблю iPhone и Wi-Fi-роутер") == "Я люблю iPhone и Wi-Fi-роутер");
}

TEST_CASE("digits and 'm' are not turned into letters or \"rn\"") {
    CHECK(text_of("m0ney 1000 rn") == "m0ney 1000 rn");
    CHECK(text_of("m\u043Eney") == "money");         // о Cyrillic; m stays m
    CHECK(text_of("v1\u0430gr\u0430") == "v1agra");  // 1 stays 1
    CHECK(text_of("\u0417d") == "\u0417d");          // З (looks like 3) has no Latin letter twin
}

TEST_CASE("full width and mathematical letters become ASCII (NFKC)") {
    CHECK(text_of("ｖｉａｇｒａ") == "viagra");
    CHECK(text_of("ＶＩＡＧＲＡ！") == "VIAGRA!");
    CHECK(folded_of("ＶＩＡＧＲＡ") == "viagra");
    CHECK(text_of("\U0001D42F\U0001D422\U0001D41A\U0001D420\U0001D42B\U0001D41A") == "viagra");
    CHECK(text_of("\U0001D415\U0001D408\U0001D400") == "VIA");
    CHECK(text_of("\uFB01ne") == "fine");             // ﬁ ligature
    CHECK(text_of("bla\u030Ab\u00E6r") == "blåbær");  // a + combining ring composes
    CHECK(text_of("x\u200By bla\u030Ab\u00E6r\u00AD") == "xy blåbær");  // after an ignorable
    CHECK(text_of("a\u200D\u030A") == "å");                // composes once the joiner is gone
    CHECK(text_of("5 \u00B5g") == "5 \u03BCg");            // micro sign -> Greek mu
    CHECK(text_of("bl\u0430\u030Ab\u00E6r") == "blåbær");  // Cyrillic а + ring -> Latin å
}

TEST_CASE("zero-width characters, soft hyphens and BOMs vanish") {
    CHECK(text_of("via\u00ADgra") == "viagra");  // soft hyphen
    CHECK(text_of("via\u200Bgra") == "viagra");  // zero-width space
    CHECK(text_of("via\u200Dgra") == "viagra");  // zero-width joiner
    CHECK(text_of("via\u200Cgra") == "viagra");  // zero-width non-joiner
    CHECK(text_of("v\u2060i\u00ADa\u200Bgra") == "viagra");
    CHECK(text_of("\uFEFFHei") == "Hei");
    CHECK(text_of("Hei\uFEFF") == "Hei");
    CHECK(text_of("\u200B") == "");
}

TEST_CASE("Norwegian text is byte-exact in `text`; æøå/ÆØÅ fold") {
    const std::string norsk =
        "Blåbærsyltetøy på brødskiva, sa Ærlige Øystein på Ålesund – «så godt!» 12 kr.";
    CHECK(text_of(norsk) == norsk);
    // Compatibility characters do change: NFKC is a compatibility normalisation.
    CHECK(text_of("Vent…\u00A0½ time, m²") == "Vent... 1\u20442 time, m2");
    CHECK(folded_of("ÆØÅ Blåbær") == "æøå blåbær");
    CHECK(text_of("ÆØÅ Blåbær") == "ÆØÅ Blåbær");
    CHECK(folded_of("Straße") == "strasse");
    CHECK(text_of("Straße") == "Straße");
    CHECK(folded_of("ΣΊΣΥΦΟΣ") == "σίσυφοσ");  // full folding: no final-sigma context
}

TEST_CASE("emoji stay; emoji ZWJ sequences lose only the joiners") {
    CHECK(text_of("Takk 😀👍 🫐") == "Takk 😀👍 🫐");
    CHECK(text_of("👨\u200D👩\u200D👧") == "👨👩👧");
    CHECK(text_of("Hei 👋🏽") == "Hei 👋🏽");  // skin tone modifiers are not ignorable
}

TEST_CASE("CJK and Korean text is left alone") {
    CHECK(text_of("東京タワーへ行きました") == "東京タワーへ行きました");
    CHECK(text_of("안녕하세요 세계") == "안녕하세요 세계");
    CHECK(text_of("iPhoneを買った iPhone을") == "iPhoneを買った iPhone을");
    CHECK(text_of("v\u0456\u0430gr\u0430を買った") == "viagraを買った");
}

TEST_CASE("ill-formed UTF-8 becomes U+FFFD") {
    CHECK(text_of("ab\xFF-cd") == "ab\uFFFD-cd");
    CHECK(text_of("blå\xC3") == "blå\uFFFD");
    CHECK(text_of("\xED\xA0\x80 x") == "\uFFFD\uFFFD\uFFFD x");  // a surrogate, byte by byte
}

TEST_CASE("normalise_submission normalises body, name, website and title") {
    Submission s;
    s.body = "v\u0456\u0430gr\u0430";
    s.name = "ＫＡＲＩ";
    s.website = "https://p\u0430yp\u0430l.example";
    s.title = "Tit\u00ADtel";
    s.email = "ＫＡＲＩ@example.no";  // not normalised
    const NormalisedSubmission n = normalise_submission(s);
    CHECK(n.body.text == "viagra");
    CHECK(n.name.text == "KARI");
    CHECK(n.name.folded == "kari");
    CHECK(n.website.text == "https://paypal.example");
    CHECK(n.title.text == "Tittel");
}

TEST_CASE("normalising normalised text changes nothing") {
    for (const std::string_view in :
         {"v\u0456\u0430gr\u0430", "ＶＩＡＧＲＡ", "bl\u0430\u030Ab\u00E6r", "via\u00ADgra",
          "Straße ΣΊΣΥΦΟΣ", "5 \u00B5g", "東京タワー iPhoneを", "👨\u200D👩\u200D👧", "ab\xFF-cd"}) {
        const NormalisedText once = normalise(in);
        CHECK(normalise(once.text).text == once.text);
        CHECK(normalise(once.folded).folded == once.folded);
    }
}

TEST_CASE("normalise is safe to call from several threads at once") {
    std::vector<std::thread> threads;
    std::vector<int> ok(4, 0);
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&ok, t] {
            for (int i = 0; i < 200; ++i)
                ok[t] += normalise("c\u0430s\u0456n\u043E ＯＫ").text == "casino OK";
        });
    }
    for (std::thread& t : threads)
        t.join();
    CHECK(ok == std::vector<int>(4, 200));
}

TEST_CASE("words: Norwegian letters, digits and marks make words") {
    CHECK(words_of("Blåbær og Bringebær, 12 kr!") ==
          Words{"blåbær", "og", "bringebær", "12", "kr"});
    CHECK(words_of("abc123 4,5") == Words{"abc123", "4", "5"});
    CHECK(words_of("  ...  ").empty());
    CHECK(words_of("").empty());
    const std::string decomposed = "cafe\u0301 ok";  // a combining mark stays in its word
    CHECK(words(decomposed) == std::vector<std::string_view>{"cafe\u0301", "ok"});
}

TEST_CASE("words: an apostrophe or hyphen between two letters stays inside the word") {
    CHECK(words_of("Don't stop") == Words{"don't", "stop"});
    CHECK(words_of("rock’n’roll") == Words{"rock’n’roll"});
    CHECK(words_of("'sitert' students' bøker") == Words{"sitert", "students", "bøker"});
    CHECK(words_of("e-post -- ok - 19-20 covid-19") ==
          Words{"e-post", "ok", "19", "20", "covid", "19"});
    CHECK(words_of("Blåbær-syltetøy") == Words{"blåbær-syltetøy"});
}

TEST_CASE("words: each Han, Hiragana or Katakana character is a word") {
    CHECK(words_of("東京タワー") == Words{"東", "京", "タ", "ワ", "ー"});
    CHECK(words_of("iPhoneを買った") == Words{"iphone", "を", "買", "っ", "た"});
    CHECK(words_of("안녕하세요 세계") == Words{"안녕하세요", "세계"});
}

TEST_CASE("words: emoji and symbols separate words") {
    CHECK(words_of("hei 😀 du👍") == Words{"hei", "du"});
    CHECK(words_of("a+b=c © 2024") == Words{"a", "b", "c", "2024"});
    CHECK(words_of("Привет, МИР") == Words{"привет", "мир"});
}

TEST_CASE("hidden_character finds bidi controls and invisible code points, not joiners") {
    CHECK(hidden_character("Kari Nordmann") == 0);
    CHECK(hidden_character("Ærlige Åse Øvre") == 0);
    CHECK(hidden_character("Kari\u202Egnp.exe") == 0x202E);
    CHECK(hidden_character("\u2067x\u2069") == 0x2067);
    CHECK(hidden_character("a\u200Fb") == 0x200F);
    CHECK(hidden_character("a\u061Cb") == 0x061C);
    CHECK(hidden_character("\u200B") == 0x200B);
    CHECK(hidden_character("Ola\u00ADNord") == 0x00AD);
    CHECK(hidden_character("\u3164\u3164") == 0x3164);
    CHECK(hidden_character("x\u2060y") == 0x2060);
    CHECK(hidden_character("\uFEFFPer") == 0xFEFF);
    // What real names and emoji are made of stays.
    CHECK(hidden_character("\U0001F468\u200D\U0001F469\u200D\U0001F467") == 0);
    CHECK(hidden_character("\u2764\uFE0F") == 0);
    CHECK(hidden_character("\u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645") == 0);  // Persian
    CHECK(hidden_character(
              "\U0001F3F4\U000E0067\U000E0062\U000E0073\U000E0063\U000E0074\U000E007F") == 0);
    CHECK(hidden_character("שלום עליכם") == 0);  // right-to-left letters are not controls
}

}  // namespace vokter::core
