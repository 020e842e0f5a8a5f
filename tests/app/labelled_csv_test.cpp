// Labelled CSV corpora: both recognised layouts, named columns, strict labels and errors at
// file:line.
#include "app/labelled_csv.hpp"

#include <doctest/doctest.h>

#include "support/test_support.hpp"

namespace vokter::app {

namespace {

// The first error's "where: message [code]", for readable checks.
std::string first_error(const Result<std::vector<LabelledComment>>& result) {
    REQUIRE_FALSE(result.ok());
    const Error& e = result.errors().front();
    return e.where + ": " + e.message + " [" + e.code + "]";
}

}  // namespace

TEST_CASE("parse_csv_records handles quotes, commas, line breaks and a byte order mark") {
    const auto parsed = parse_csv_records(
        "\xEF\xBB\xBFID,TEXT,CLASS\r\n1,\"a, b\",1\n2,\"line\nbreak \"\"q\"\"\",0\r3,x,1", "t.csv");
    REQUIRE(parsed.ok());
    const auto& rows = parsed.value();
    REQUIRE(rows.size() == 4);
    CHECK(rows[0].fields == std::vector<std::string>{"ID", "TEXT", "CLASS"});
    CHECK(rows[0].line == 1);
    CHECK(rows[1].fields[1] == "a, b");
    CHECK(rows[1].line == 2);
    CHECK(rows[2].fields[1] == "line\nbreak \"q\"");
    CHECK(rows[2].fields[2] == "0");
    CHECK(rows[2].line == 3);
    CHECK(rows[3].line == 5);  // the quoted line break counted, and a lone CR ends a line
    CHECK(rows[3].fields == std::vector<std::string>{"3", "x", "1"});
}

TEST_CASE(
    "parse_csv_records: blank lines are skipped, empty fields kept, CRLF inside quotes kept") {
    const auto parsed = parse_csv_records("a,b\n\n   \n,\n\"x\r\ny\",z\n", "t.csv");
    REQUIRE(parsed.ok());
    const auto& rows = parsed.value();
    REQUIRE(rows.size() == 3);
    CHECK(rows[1].fields == std::vector<std::string>{"", ""});
    CHECK(rows[1].line == 4);
    CHECK(rows[2].fields[0] == "x\r\ny");
    CHECK(rows[2].line == 5);
}

TEST_CASE("parse_csv_records: an unterminated quote is an error where it opens") {
    const auto parsed = parse_csv_records("a,b\n1,2\n3,\"never\nclosed\n", "t.csv");
    REQUIRE_FALSE(parsed.ok());
    CHECK(parsed.errors()[0].code == "csv_unterminated_quote");
    CHECK(parsed.errors()[0].where == "t.csv:3");
}

TEST_CASE("parse_iso8601 reads dates, times, fractions and offsets") {
    CHECK(parse_iso8601("1970-01-01") == 0);
    CHECK(parse_iso8601("2013-11-07T06:20:48") == 1383805248);
    CHECK(parse_iso8601("2015-11-23T22:39") == 1448318340);
    CHECK(parse_iso8601("2015-11-23 22:39:00") == 1448318340);
    CHECK(parse_iso8601("2015-05-28T21:39:52.376000") == parse_iso8601("2015-05-28T21:39:52"));
    CHECK(parse_iso8601("2013-11-07T06:20:48Z") == 1383805248);
    CHECK(parse_iso8601("2013-11-07T08:20:48+02:00") == 1383805248);
    CHECK(parse_iso8601("2013-11-07T05:20:48-0100") == 1383805248);
    CHECK(parse_iso8601("2013-11-07T07:20:48+01") == 1383805248);
    CHECK(parse_iso8601("2016-02-29") == 1456704000);
    CHECK_FALSE(parse_iso8601("2017-02-29"));
    CHECK_FALSE(parse_iso8601("2014"));
    CHECK_FALSE(parse_iso8601("2014-13-01"));
    CHECK_FALSE(parse_iso8601("2014-01-01T24:00"));
    CHECK_FALSE(parse_iso8601("2014-01-01T10"));
    CHECK_FALSE(parse_iso8601("2014-01-01T10:00x"));
    CHECK_FALSE(parse_iso8601("07/11/2013"));
    CHECK_FALSE(parse_iso8601(""));
}

TEST_CASE("a YouTube Spam Collection file: body cleaned, name, date, label by CLASS or TAG") {
    const std::string text =
        "COMMENT_ID,AUTHOR,DATE,CONTENT,CLASS\n"
        "z1,Julius NM,2013-11-07T06:20:48,\"Huh, check out this channel: &#39;kobyoshi02&#39;\",1\n"
        "z2,Kari,,\"Nice song<br />really\xEF\xBB\xBF\",0\n";
    const auto result = parse_labelled_csv(text, "Youtube01.csv");
    REQUIRE(result.ok());
    const auto& c = result.value();
    REQUIRE(c.size() == 2);
    CHECK(c[0].submission.body == "Huh, check out this channel: 'kobyoshi02'");
    CHECK(c[0].submission.name == "Julius NM");
    CHECK(c[0].spam);
    CHECK(c[0].created == 1383805248);
    CHECK(c[0].line == 2);
    CHECK(c[0].source == "Youtube01.csv");
    CHECK(c[1].submission.body == "Nice song\nreally");
    CHECK_FALSE(c[1].spam);
    CHECK(c[1].created == 0);
    CHECK(c[1].submission.website.empty());

    // Some copies call the label column TAG; it is also the last column.
    std::string tagged = text;
    tagged.replace(tagged.find("CLASS"), 5, "TAG");
    CHECK(parse_labelled_csv(tagged, "t.csv").ok());
    std::string unnamed = text;
    unnamed.replace(unnamed.find("CLASS"), 5, "whatever");
    const auto by_position = parse_labelled_csv(unnamed, "t.csv");
    REQUIRE(by_position.ok());
    CHECK(by_position.value()[0].spam);
}

TEST_CASE("a WordPress export fills website, e-mail and title; headers match in any case") {
    const std::string text =
        "Comment_Number,AUTHOR,author_url,author_email,submitted_local,post_title,content,label\n"
        "1,Best Car To Buy, http://bestcartobuy.example/ ,xxx@gmail.com,2015-11-23T22:39,"
        "Capstone Proposal,\"If\n some one desires expert view, Keep up the good work.\",spam\n"
        "2,Kari,,,2015-11-24T08:00,Capstone Proposal,Takk!,Ham\n";
    const auto result = parse_labelled_csv(text, "wp.csv");
    REQUIRE(result.ok());
    const auto& c = result.value();
    REQUIRE(c.size() == 2);
    const core::Submission& s = c[0].submission;
    CHECK(s.name == "Best Car To Buy");
    CHECK(s.website == "http://bestcartobuy.example/");
    CHECK(s.email == "xxx@gmail.com");
    CHECK(s.title == "Capstone Proposal");
    CHECK(s.body == "If\n some one desires expert view, Keep up the good work.");
    CHECK(c[0].spam);
    CHECK(c[0].created == 1448318340);
    CHECK(c[1].line == 4);  // the record before it spans lines 2 and 3
    CHECK_FALSE(c[1].spam);
}

TEST_CASE("columns can be named, turned off with '-', and text cleaning switched off") {
    const std::string text = "msg,who,verdict,DATE\n\"a &amp; b\",Ola,yes,not a date\n";
    LabelledCsvOptions options;
    options.body_column = "MSG";
    options.name_column = "who";
    options.label_column = "verdict";
    options.date_column = "-";
    options.spam_labels = {"yes"};
    options.ham_labels = {"no"};
    options.clean_text = false;
    const auto result = parse_labelled_csv(text, "t.csv", options);
    REQUIRE(result.ok());
    CHECK(result.value()[0].submission.body == "a &amp; b");
    CHECK(result.value()[0].submission.name == "Ola");
    CHECK(result.value()[0].spam);
    CHECK(result.value()[0].created == 0);

    options.name_column = "-";
    const auto without_name = parse_labelled_csv(text, "t.csv", options);
    REQUIRE(without_name.ok());
    CHECK(without_name.value()[0].submission.name.empty());

    options.website_column = "homepage";
    CHECK(first_error(parse_labelled_csv(text, "t.csv", options)) ==
          "t.csv:1: the header has no column named 'homepage' (the website column) "
          "[csv_no_column]");
}

TEST_CASE("labels are strict: spam 1/spam, ham 0/ham in any case, anything else an error") {
    const std::string good = "content,label\na,1\nb,SPAM\nc, 0 \nd,Ham\n";
    const auto result = parse_labelled_csv(good, "t.csv");
    REQUIRE(result.ok());
    REQUIRE(result.value().size() == 4);
    CHECK(result.value()[0].spam);
    CHECK(result.value()[1].spam);
    CHECK_FALSE(result.value()[2].spam);
    CHECK_FALSE(result.value()[3].spam);

    CHECK(first_error(parse_labelled_csv("content,label\na,1\nb,maybe\n", "t.csv")) ==
          "t.csv:3: unknown label 'maybe' (spam: 1, spam; ham: 0, ham) [csv_label]");
    CHECK(first_error(parse_labelled_csv("content,label\na,\n", "t.csv")) ==
          "t.csv:2: unknown label '' (spam: 1, spam; ham: 0, ham) [csv_label]");
}

TEST_CASE("malformed files are errors naming file:line") {
    CHECK(first_error(parse_labelled_csv("", "e.csv")) ==
          "e.csv:1: the file is empty: no header row [csv_empty]");
    CHECK(first_error(parse_labelled_csv("\xEF\xBB\xBF\n\n", "e.csv")).find("[csv_empty]") !=
          std::string::npos);
    CHECK(first_error(parse_labelled_csv("id,message,label\n1,x,0\n", "h.csv")) ==
          "h.csv:1: the header has no body column (content, body, comment_content, comment or "
          "text); name it with the body column option [csv_no_column]");
    CHECK(first_error(parse_labelled_csv("content,author,label\nx,0\n", "f.csv")) ==
          "f.csv:2: the record has 2 fields, the header 3 [csv_field_count]");
    CHECK(first_error(parse_labelled_csv("content,label\nx,0,extra\n", "f.csv")) ==
          "f.csv:2: the record has 3 fields, the header 2 [csv_field_count]");
    CHECK(first_error(parse_labelled_csv("content,label\nx,0\n\"open,1\n", "q.csv")) ==
          "q.csv:3: a quoted field opened here is never closed [csv_unterminated_quote]");
    CHECK(first_error(parse_labelled_csv("content,date,label\nx,07/11/2013,0\n", "d.csv")) ==
          "d.csv:2: date '07/11/2013' is not ISO 8601 (YYYY-MM-DD[THH:MM[:SS]][Z|±HH:MM]) "
          "[csv_date]");
    LabelledCsvOptions no_body;
    no_body.body_column = "-";
    CHECK(first_error(parse_labelled_csv("content,label\nx,0\n", "b.csv", no_body))
              .find("[csv_no_column]") != std::string::npos);
    // A header alone is a corpus of no comments.
    const auto header_only = parse_labelled_csv("content,label\n", "h.csv");
    REQUIRE(header_only.ok());
    CHECK(header_only.value().empty());
}

TEST_CASE("every bad record is reported, up to a limit") {
    std::string text = "content,label\n";
    for (int i = 0; i < 30; ++i)
        text += "x,maybe\n";
    const auto result = parse_labelled_csv(text, "many.csv");
    REQUIRE_FALSE(result.ok());
    REQUIRE(result.errors().size() == kMaxCsvErrors + 1);
    CHECK(result.errors()[1].where == "many.csv:3");
    CHECK(result.errors().back().code == "csv_too_many_errors");
    CHECK(result.errors().back().message == "and 10 more errors");
}

TEST_CASE("read_labelled_csv reads a file and names it in each comment and error") {
    test::TempDir dir;
    const auto path = dir / "corpus.csv";
    test::write_file(path, "CONTENT,CLASS\nhei,0\n");
    const auto result = read_labelled_csv(path);
    REQUIRE(result.ok());
    CHECK(result.value()[0].source == path.string());
    CHECK(result.value()[0].submission.body == "hei");
    const auto missing = read_labelled_csv(dir / "none.csv");
    REQUIRE_FALSE(missing.ok());
    CHECK(missing.errors()[0].code == "file_unreadable");
}

TEST_CASE("clean_exported_text decodes entities, <br /> and drops U+FEFF") {
    CHECK(clean_exported_text("it&#39;s &amp; &lt;b&gt;<br />next\xEF\xBB\xBF") ==
          "it's & <b>\nnext");
    CHECK(clean_exported_text("&#x41;&#229;&quot;") == "Aå\"");
    CHECK(clean_exported_text("a & b; c") == "a & b; c");
    CHECK(clean_exported_text("<BR>x<b>") == "\nx<b>");
}

}  // namespace vokter::app
