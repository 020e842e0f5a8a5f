#include "core/links.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

namespace vokter::core {

namespace {

std::vector<std::string> hosts(std::string_view body) {
    std::vector<std::string> out;
    for (const Link& link : find_links(body))
        out.emplace_back(link.host);
    return out;
}

}  // namespace

TEST_CASE("links with and without scheme are found") {
    CHECK(hosts("see https://example.com/a?b=c, and http://x.no.") ==
          std::vector<std::string>{"example.com", "x.no"});
    CHECK(hosts("www.Casino-Online.biz/bonus!") ==
          std::vector<std::string>{"www.Casino-Online.biz"});
    CHECK(hosts("go to cheap-pills.com/buy now") == std::vector<std::string>{"cheap-pills.com"});
    CHECK(hosts("youtube.com/watch?v=abc") == std::vector<std::string>{"youtube.com"});
}

TEST_CASE("BBCode and HTML anchors are links; a link written twice counts once") {
    CHECK(hosts("[url=http://spam.ru]http://spam.ru[/url]") == std::vector<std::string>{"spam.ru"});
    CHECK(hosts("[url]spam.ru[/url]") == std::vector<std::string>{"spam.ru"});
    CHECK(hosts("<a href=\"https://a.example.com/x\">here</a> <a href='b.net'>b</a>") ==
          std::vector<std::string>{"a.example.com", "b.net"});
}

TEST_CASE("e-mail addresses, numbers and abbreviations are not links") {
    CHECK(hosts("mail me at ola@nordmann.no").empty());
    CHECK(hosts("version 3.5 is out, e.g. today. Ok.").empty());
    CHECK(hosts("the file is called notes.txt").empty());
    CHECK(hosts("Bra innlegg!").empty());
}

TEST_CASE("the link text is kept without trailing punctuation") {
    const auto links = find_links("Look: https://x.com/a.");
    REQUIRE(links.size() == 1);
    CHECK(links[0].text == "https://x.com/a");
}

TEST_CASE("host_in_domain matches the domain and its subdomains only") {
    CHECK(host_in_domain("casino.example", "casino.example"));
    CHECK(host_in_domain("www.CASINO.example", "casino.example"));
    CHECK(host_in_domain("a.b.casino.example.", "casino.example"));
    CHECK_FALSE(host_in_domain("notcasino.example", "casino.example"));
    CHECK_FALSE(host_in_domain("casino.example.org", "casino.example"));
}

}  // namespace vokter::core
