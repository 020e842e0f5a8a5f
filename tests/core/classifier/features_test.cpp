#include "core/classifier/features.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <set>
#include <string>

namespace vokter::core {

namespace {

std::set<std::string> texts(const Submission& s) {
    const FeatureSet set = extract_features(s);
    std::set<std::string> out;
    for (const Feature& f : set.features)
        out.emplace(feature_text(f));
    return out;
}

Submission comment(std::string body) {
    Submission s;
    s.body = std::move(body);
    return s;
}

}  // namespace

TEST_CASE("features come from every field, prefixed by where they came from") {
    Submission s = comment("Great post, visit https://www.Cheap-Pills.example/buy now");
    s.name = "Best Car To Buy";
    s.email = "xxxx99@Mail.Example";
    s.website = "http://www.bestcartobuy.com/review";
    const auto f = texts(s);
    CHECK(f.count("w:great"));
    CHECK(f.count("w:post"));
    CHECK(f.count("b:great post"));
    CHECK(f.count("b:post visit"));
    CHECK(f.count("u:cheap-pills.example"));
    CHECK(f.count("n:best"));
    CHECK(f.count("n:buy"));
    CHECK(f.count("s:bestcartobuy.com"));
    CHECK(f.count("e:mail.example"));
    CHECK(f.count("m:website"));
    CHECK(f.count("m:links=1"));
    CHECK(f.count("m:name-words=4"));
    CHECK_FALSE(f.count("w:best"));  // name words stay apart from body words
}

TEST_CASE("a missing e-mail, website or name is a feature too") {
    const auto f = texts(comment("Takk for innlegget"));
    CHECK(f.count("m:no-email"));
    CHECK(f.count("m:no-website"));
    CHECK(f.count("m:name-words=0"));
    CHECK(f.count("m:links=0"));
    CHECK(f.count("m:length=<20"));
}

TEST_CASE("features are distinct and the same on every run") {
    const Submission s = comment("spam spam spam, lovely spam; spam spam");
    const FeatureSet a = extract_features(s);
    const FeatureSet b = extract_features(s);
    REQUIRE(a.features.size() == b.features.size());
    std::set<std::uint64_t> distinct;
    for (const Feature& f : a.features) {
        distinct.insert(f.hash);
        CHECK(f.hash == feature_hash_of(feature_text(f)));
    }
    CHECK(distinct.size() == a.features.size());
    CHECK(a.hashes() == b.hashes());
    const auto f = texts(s);
    CHECK(f.count("w:spam"));
    CHECK(f.count("b:spam spam"));
    CHECK(f.count("b:spam lovely"));
}

TEST_CASE("the feature hash is fixed: stored counts depend on it") {
    // These values are stored in databases; a change here must bump kFeatureVersion.
    CHECK(feature_hash_of("w:viagra") != feature_hash_of("n:viagra"));
    CHECK(feature_hash_of("b:cheap pills") != feature_hash_of("b:pills cheap"));
    CHECK(feature_hash_of("b:cheap pills") != feature_hash_of("w:cheap"));
    CHECK(feature_hash_of("m:links=1") != feature_hash_of("m:links=2"));
    CHECK(feature_hash(0, 0) != 0);
    CHECK(text_hash("") != text_hash(std::string(1, '\0')));
    CHECK(text_hash("abcdefgh") != text_hash("abcdefg"));
    CHECK(text_hash("viagra") == 0xa8877ca8056be16dull);
}

TEST_CASE("homoglyphs, full width and invisible characters give the plain word's features") {
    const auto plain = texts(comment("cheap viagra"));
    CHECK(texts(comment("cheap v\xD1\x96\xD0\xB0gr\xD0\xB0")) == plain);  // Cyrillic і, а
    CHECK(texts(comment("cheap \xEF\xBD\x96\xEF\xBD\x89\xEF\xBD\x81\xEF\xBD\x87\xEF\xBD\x92"
                        "\xEF\xBD\x81")) == plain);          // full width
    CHECK(texts(comment("cheap via\xC2\xADgra")) == plain);  // soft hyphen
    CHECK(texts(comment("CHEAP Vi\xE2\x80\x8B"
                        "agra")) == plain);  // zero-width space
}

TEST_CASE("Norwegian words are folded whole, emoji are not words") {
    const auto f = texts(comment("BLÅBÆRSYLTETØY på brødskiva 😀"));
    CHECK(f.count("w:blåbærsyltetøy"));
    CHECK(f.count("w:på"));
    CHECK(f.count("b:på brødskiva"));
    for (const auto& t : f)
        CHECK(t.find("😀") == std::string::npos);
}

TEST_CASE("over-long words are skipped and the body is read up to 1,000 words") {
    const auto f = texts(comment(std::string(60, 'a') + " ok"));
    CHECK(f.count("w:ok"));
    CHECK_FALSE(f.count("w:" + std::string(60, 'a')));
    std::string long_body;
    for (int i = 0; i < 1500; ++i)
        long_body += "w" + std::to_string(i) + " ";
    const auto g = texts(comment(long_body));
    CHECK(g.count("w:w999"));
    CHECK_FALSE(g.count("w:w1000"));
}

}  // namespace vokter::core
