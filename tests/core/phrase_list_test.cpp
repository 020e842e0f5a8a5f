// Phrase lists: parsing the list file format and matching runs of words.
#include "core/phrase_list.hpp"

#include <doctest/doctest.h>

#include "core/normalise.hpp"

namespace vokter::core {

namespace {

// The entry `list` finds in `text`, or "" when none matches.
std::string found(const PhraseList& list, std::string_view text) {
    const NormalisedText n = normalise(text);
    const auto w = words(n.folded);
    const auto hit = list.find(w);
    return hit ? std::string(*hit) : std::string();
}

}  // namespace

TEST_CASE("phrase list: whole words, phrases, prefixes and one-word wildcards") {
    const PhraseList list = PhraseList::parse(
        "# stock praise\n"
        "\n"
        "your blog   # the blog itself\n"
        "bookmark*\n"
        "keep up the * work\n"
        "  Takk for et * innlegg  \n"
        "t-shirt*\n");
    CHECK(list.size() == 5);
    CHECK(found(list, "I love YOUR   Blog!") == "your blog");
    CHECK(found(list, "your blogging") == "");  // "blog" is a whole word
    CHECK(found(list, "your weblog") == "");
    CHECK(found(list, "I have bookmarked it") == "bookmark*");
    CHECK(found(list, "Keep up the great work.") == "keep up the * work");
    CHECK(found(list, "keep up the work") == "");  // '*' is exactly one word
    CHECK(found(list, "TAKK FOR ET FLOTT INNLEGG") == "Takk for et * innlegg");
    CHECK(found(list, "cheap T-shirts") == "t-shirt*");
    CHECK(found(list, "") == "");
}

TEST_CASE("phrase list: the leftmost match wins, then file order") {
    const PhraseList list = PhraseList::parse("great post\n* post\nthis\n");
    CHECK(found(list, "this is a great post") == "this");
    CHECK(found(list, "a great post") == "great post");
    const PhraseList open_first = PhraseList::parse("* post\ngreat post\n");
    CHECK(found(open_first, "a great post") == "* post");  // both match at "great": file order
}

TEST_CASE("phrase list: entries without a word are skipped") {
    const PhraseList list = PhraseList::parse("*\n* *\n---\n#only a comment\nok\n");
    CHECK(list.size() == 1);
    CHECK(found(list, "it is ok") == "ok");
}

}  // namespace vokter::core
