// Unit tests of the lenient Akismet request reading: form parsing, the key in the Host header,
// the charset parameter, character set conversion and the mapping onto a Submission.

#include "http/akismet/akismet_form.hpp"

#include <doctest/doctest.h>

#include "core/text.hpp"
#include "http/akismet/akismet_mapping.hpp"
#include "http/charset.hpp"

using namespace vokter::http;

TEST_CASE("parse_akismet_form decodes leniently: broken escapes kept, last value wins") {
    const AkismetFields f = parse_akismet_form("a=1&b=%C3%A6+%C3%B8&c=%ZZ%4&a=2&=x&d&&e=");
    CHECK(f.at("a") == "2");
    CHECK(f.at("b") == "æ ø");
    CHECK(f.at("c") == "%ZZ%4");
    CHECK(f.at("d").empty());
    CHECK(f.at("e").empty());
    CHECK(f.size() == 5);
    CHECK(field(f, "missing").empty());
    CHECK(parse_akismet_form("").empty());
}

TEST_CASE("key_from_host takes the first label of a host name, never of an address") {
    CHECK(key_from_host("abc123.rest.akismet.com") == "abc123");
    CHECK(key_from_host("ABC123.localhost:8080") == "abc123");
    CHECK(key_from_host("localhost:8080").empty());
    CHECK(key_from_host("127.0.0.1:8080").empty());
    CHECK(key_from_host("127.0.0.1").empty());
    CHECK(key_from_host("[::1]:8080").empty());
    CHECK(key_from_host("").empty());
    CHECK(key_from_host(".example.no").empty());
}

TEST_CASE("charset_parameter reads the charset of a Content-Type") {
    CHECK(charset_parameter("application/x-www-form-urlencoded; charset=ISO-8859-1") ==
          "ISO-8859-1");
    CHECK(charset_parameter("charset=utf-8") == "utf-8");
    CHECK(charset_parameter("text/plain; Charset=\"latin1\"; x=y") == "latin1");
    CHECK(charset_parameter("application/x-www-form-urlencoded").empty());
}

TEST_CASE("charset labels and conversion to UTF-8") {
    CHECK(charset_from_label("UTF-8") == Charset::utf8);
    CHECK(charset_from_label(" utf8 ") == Charset::utf8);
    CHECK(charset_from_label("") == Charset::utf8);
    CHECK(charset_from_label("ISO-8859-1") == Charset::windows1252);
    CHECK(charset_from_label("Windows-1252") == Charset::windows1252);
    CHECK(charset_from_label("Shift_JIS") == Charset::other);

    CHECK(to_utf8("bl\xE5"
                  "b\xE6r",
                  Charset::windows1252) == "blåbær");
    CHECK(to_utf8("\x80\x9F\x81", Charset::windows1252) == "€Ÿ\u0081");
    CHECK(to_utf8("blåbær", Charset::windows1252) == "blåbær");  // UTF-8 under a wrong label
    CHECK(to_utf8("ok \xFF\xC3", Charset::utf8) == "ok \uFFFD\uFFFD");
    CHECK(to_utf8("\xED\xA0\x80", Charset::other) == "\uFFFD\uFFFD\uFFFD");  // a surrogate
    CHECK(to_utf8("😀 æ", Charset::utf8) == "😀 æ");
    for (const char* bytes : {"\xC0\xAF", "\xF4\x90\x80\x80", "a\xE2\x82", "\xFE\xFF"}) {
        CHECK(vokter::core::is_valid_utf8(to_utf8(bytes, Charset::utf8)));
        CHECK(vokter::core::is_valid_utf8(to_utf8(bytes, Charset::windows1252)));
    }
}

TEST_CASE("map_akismet_comment maps Akismet fields onto the Submission") {
    const AkismetFields f = parse_akismet_form(
        "blog=https%3A%2F%2FBlogg.example.no&permalink=https%3A%2F%2FBlogg.example.no%2Fa%2F%23c"
        "&user_ip=+192.0.2.1+&user_agent=UA&referrer=https%3A%2F%2Fr.example&comment_author=Kari"
        "%01+N&comment_author_email=kari%40example.no&comment_author_url=kari.example.no"
        "&comment_content=Linje+1%0ALinje%092%07&honeypot_field_name=hp&hp=fylt"
        "&comment_parent=12&is_test=0&user_role=subscriber");
    SubmissionLimits limits;
    const AkismetComment c = map_akismet_comment(f, "", limits, "https://fallback.example");
    CHECK(c.submission.thread == "https://blogg.example.no/a");
    CHECK(c.submission.ip == "192.0.2.1");
    CHECK(c.submission.user_agent == "UA");
    CHECK(c.submission.referrer == "https://r.example");
    CHECK(c.submission.name == "Kari N");
    CHECK(c.submission.email == "kari@example.no");
    CHECK(c.submission.website == "https://kari.example.no");
    CHECK(c.submission.body == "Linje 1\nLinje\t2");
    CHECK(c.submission.honeypot == "fylt");
    CHECK(!c.submission.parent);
    CHECK(!c.is_test);
    CHECK(!c.administrator);
    CHECK(!c.recheck);

    // No permalink: the blog; nothing usable: the key's blog.
    CHECK(map_akismet_comment(parse_akismet_form("blog=https%3A%2F%2Fb.example%2F"), "", limits,
                              "https://k.example")
              .submission.thread == "https://b.example/");
    CHECK(
        map_akismet_comment(parse_akismet_form("blog=ikke-en-url"), "", limits, "https://k.example")
            .submission.thread == "https://k.example/");

    limits.body_chars = 3;
    CHECK(map_akismet_comment(parse_akismet_form("comment_content=%C3%A6%C3%B8%C3%A5%C3%A6"), "",
                              limits, "")
              .submission.body == "æøå");
    CHECK(akismet_flag("1"));
    CHECK(akismet_flag("true"));
    CHECK(!akismet_flag("0"));
    CHECK(!akismet_flag("False"));
    CHECK(!akismet_flag(""));
}
