#include "http/request_framing.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace vokter::http;

namespace {

HeadParse parse(const std::string& text, FramingLimits limits = {}) {
    std::size_t scanned = 0;
    return parse_request_head(text, limits, scanned);
}

// The status a head is refused with, or 0 when it parses.
int refusal_of(const std::string& text, FramingLimits limits = {}) {
    const HeadParse result = parse(text, limits);
    REQUIRE(result.state != HeadParse::State::incomplete);
    return result.state == HeadParse::State::refused ? result.refusal.status : 0;
}

std::string post(const std::string& fields) {
    return "POST /api/comments HTTP/1.1\r\nHost: a\r\n" + fields + "\r\n";
}

std::string head_with_fields(int count) {
    std::string text = "GET / HTTP/1.1\r\n";
    for (int i = 0; i < count; ++i)
        text += "X-" + std::to_string(i) + ": v\r\n";
    return text + "\r\n";
}

// Decodes `raw` as a chunked body fed `step` bytes at a time; returns the status at the end.
ChunkedDecoder::Status decode(const std::string& raw, std::string& body, std::size_t step,
                              std::string& rest, FramingLimits limits = {}) {
    ChunkedDecoder decoder(limits);
    ChunkedDecoder::Status status = ChunkedDecoder::Status::more;
    rest.clear();
    for (std::size_t at = 0; at < raw.size() && status == ChunkedDecoder::Status::more;
         at += step) {
        rest += raw.substr(at, step);
        status = decoder.feed(rest, body);
    }
    return status;
}

}  // namespace

TEST_CASE("a request head parses into method, target, fields and framing") {
    const std::string text =
        "\r\nPOST /api/comments?x=1 HTTP/1.1\r\nHost: blogg.example\r\n"
        "Content-Length:  12 \r\nConnection: keep-alive, close\r\n\r\n{\"a\":1}";
    const HeadParse result = parse(text);
    REQUIRE(result.state == HeadParse::State::complete);
    CHECK(result.size == text.find("{"));
    const RequestHead& head = result.head;
    CHECK(head.method == "POST");
    CHECK(head.path() == "/api/comments");
    CHECK(head.version == "HTTP/1.1");
    CHECK(head.fields.size() == 3);
    CHECK(*head.find("content-length") == "12");
    CHECK(head.framing == BodyFraming::length);
    CHECK(head.content_length == 12);
    CHECK(head.close);
    CHECK(head.for_library(12) ==
          "POST /api/comments?x=1 HTTP/1.1\r\nHost: blogg.example\r\n"
          "Connection: keep-alive, close\r\nContent-Length: 12\r\n\r\n");
}

TEST_CASE("a head is incomplete until its blank line, however it is cut") {
    const std::string text = "GET /healthz HTTP/1.1\r\nHost: a\r\n\r\n";
    FramingLimits limits;
    std::size_t scanned = 0;
    for (std::size_t n = 1; n < text.size(); ++n) {
        CHECK(parse_request_head(text.substr(0, n), limits, scanned).state ==
              HeadParse::State::incomplete);
    }
    const HeadParse result = parse_request_head(text, limits, scanned);
    REQUIRE(result.state == HeadParse::State::complete);
    CHECK(result.head.framing == BodyFraming::none);
    CHECK_FALSE(result.head.close);
    CHECK(parse("GET / HTTP/1.0\r\n\r\n").head.close);  // HTTP/1.0 closes unless keep-alive
    CHECK_FALSE(parse("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n").head.close);
}

TEST_CASE("a request line of exactly the limit is accepted however it arrives") {
    // Found by fuzz/request_framing_fuzz.cpp: fed in pieces, a request line of max_line_bytes
    // was refused with 414 while its CR LF had not all arrived, and accepted when sent whole.
    FramingLimits limits;
    const std::string line = "GET /" + std::string(limits.max_line_bytes - 14, 'a') + " HTTP/1.1";
    REQUIRE(line.size() == limits.max_line_bytes);
    const std::string text = line + "\r\nHost: a\r\n\r\n";
    std::size_t scanned = 0;
    for (std::size_t n = 1; n < text.size(); ++n) {
        CAPTURE(n);
        CHECK(parse_request_head(text.substr(0, n), limits, scanned).state ==
              HeadParse::State::incomplete);
    }
    CHECK(parse_request_head(text, limits, scanned).state == HeadParse::State::complete);
    // One byte more is over the limit, whole or in pieces.
    const std::string longer = "GET /a" + line.substr(5) + "\r\nHost: a\r\n\r\n";
    CHECK(refusal_of(longer) == 414);
    CHECK(refusal_of(longer.substr(0, limits.max_line_bytes + 3)) == 414);
}

TEST_CASE("framing a proxy could read differently is refused: request smuggling") {
    CHECK(refusal_of(post("Content-Length: 5\r\nContent-Length: 6\r\n")) == 400);
    CHECK(refusal_of(post("Content-Length: 5\r\nContent-Length: 5\r\n")) == 400);
    CHECK(refusal_of(post("Content-Length: 5\r\nTransfer-Encoding: chunked\r\n")) == 400);
    CHECK(refusal_of(post("Transfer-Encoding: chunked\r\nContent-Length: 5\r\n")) == 400);
    CHECK(refusal_of(post("Transfer-Encoding: gzip, chunked\r\n")) == 400);
    CHECK(refusal_of(post("Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n")) == 400);
    CHECK(refusal_of(post("Transfer-Encoding: identity\r\n")) == 400);
    CHECK(refusal_of("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n") == 400);
    for (const char* length : {"-1", "+5", "5 5", "0x10", "1e3", "%35", "99999999999999999999"}) {
        CHECK_MESSAGE(refusal_of(post(std::string("Content-Length: ") + length + "\r\n")) == 400,
                      length);
    }
    CHECK(refusal_of(post("Transfer-Encoding: Chunked\r\n")) == 0);
    CHECK(parse(post("Transfer-Encoding: chunked\r\n")).head.framing == BodyFraming::chunked);
}

TEST_CASE("compressed bodies and bodies over the limit are refused before they are read") {
    CHECK(refusal_of(post("Content-Encoding: gzip\r\nContent-Length: 10\r\n")) == 415);
    CHECK(refusal_of(post("Content-Encoding: br\r\n")) == 415);
    CHECK(refusal_of(post("Content-Encoding: identity\r\n")) == 0);
    FramingLimits limits;
    limits.max_body_bytes = 1000;
    CHECK(refusal_of(post("Content-Length: 1000\r\n"), limits) == 0);
    CHECK(refusal_of(post("Content-Length: 1001\r\n"), limits) == 413);
}

TEST_CASE("header fields, lines and heads have limits") {
    CHECK(refusal_of(head_with_fields(100)) == 0);
    CHECK(refusal_of(head_with_fields(101)) == 431);
    CHECK(refusal_of("GET / HTTP/1.1\r\nX: " + std::string(8200, 'a') + "\r\n\r\n") == 431);
    CHECK(refusal_of("GET /" + std::string(8200, 'a') + " HTTP/1.1\r\n\r\n") == 414);
    // Refused as soon as the limit is passed, before the line or the head ends.
    CHECK(refusal_of("GET /" + std::string(9000, 'a')) == 414);
    CHECK(refusal_of("GET / HTTP/1.1\r\n" + std::string(40000, 'a')) == 431);
    FramingLimits small;
    small.max_head_bytes = 2048;
    CHECK(refusal_of(head_with_fields(20), small) == 0);
    CHECK(refusal_of(head_with_fields(300), small) == 431);
}

TEST_CASE("malformed heads are refused with 400") {
    for (const std::string& text : {
             std::string("GET  / HTTP/1.1\r\n\r\n"), std::string("GET / HTTP/2.0\r\n\r\n"),
             std::string("GET / HTTP/1.1 x\r\n\r\n"), std::string("G@T / HTTP/1.1\r\n\r\n"),
             std::string("GET / HTTP/1.1\r\nHost : a\r\n\r\n"),            // blank before the colon
             std::string("GET / HTTP/1.1\r\nHost: a\r\n folded\r\n\r\n"),  // obsolete folding
             std::string("GET / HTTP/1.1\r\nNo colon\r\n\r\n"),
             std::string("GET / HTTP/1.1\r\nX: a\rb\r\n\r\n"),  // a bare CR
             std::string("GET / HTTP/1.1\r\nX: a\nY: b\r\n\r\n"),
             std::string("GET / HTTP/1.1\r\nX: a\x01\r\n\r\n"),
             std::string("GET / HTTP/1.1\nHost: a\n\n"),  // LF only
         }) {
        CHECK_MESSAGE(refusal_of(text) == 400, text);
    }
}

TEST_CASE("chunk-size and trailer lines at their limits are read the same in any pieces") {
    // The chunk-size line may be 1024 bytes (its extensions included), the trailer as long as
    // a head (line ends included); a CR that has arrived without its LF does not count.
    const std::string size_line = "5;" + std::string(1022, 'x');
    const std::string raw = size_line + "\r\nhallo\r\n0\r\nT: " +
                            std::string(FramingLimits{}.max_head_bytes - 10, 'y') + "\r\n\r\n";
    for (std::size_t step : {std::size_t{1}, std::size_t{7}, raw.size()}) {
        CAPTURE(step);
        std::string body, rest;
        CHECK(decode(raw, body, step, rest) == ChunkedDecoder::Status::done);
        CHECK(body == "hallo");
    }
    const std::string too_long = "5;" + std::string(1023, 'x') + "\r\nhallo\r\n0\r\n\r\n";
    for (std::size_t step : {std::size_t{1}, too_long.size()}) {
        std::string body, rest;
        CHECK(decode(too_long, body, step, rest) == ChunkedDecoder::Status::refused);
    }
}

TEST_CASE("a chunked body is decoded strictly, fed in any pieces") {
    const std::string raw =
        "5;name=value\r\nHei, \r\n19\r\nverden! Dette er en test.\r\n0\r\nX-Trailer: t\r\n\r\n"
        "GET /next HTTP/1.1\r\n";
    for (std::size_t step : {std::size_t{1}, std::size_t{3}, raw.size()}) {
        std::string body, rest;
        CHECK(decode(raw, body, step, rest) == ChunkedDecoder::Status::done);
        CHECK(body == "Hei, verden! Dette er en test.");
        if (step == raw.size()) CHECK(rest == "GET /next HTTP/1.1\r\n");
    }
}

TEST_CASE("broken or oversized chunked bodies are refused") {
    const auto status_of = [](const std::string& raw, FramingLimits limits = {}) {
        ChunkedDecoder decoder(limits);
        std::string input = raw, body;
        const auto status = decoder.feed(input, body);
        return status == ChunkedDecoder::Status::refused ? decoder.refusal().status : 0;
    };
    CHECK(status_of("-1\r\n") == 400);  // a negative chunk size
    CHECK(status_of("-5\r\nabc\r\n0\r\n\r\n") == 400);
    CHECK(status_of("+5\r\nhello\r\n0\r\n\r\n") == 400);
    CHECK(status_of("0x5\r\nhello\r\n0\r\n\r\n") == 400);
    CHECK(status_of("\r\nhello\r\n0\r\n\r\n") == 400);
    CHECK(status_of("5\r\nhello!\r\n0\r\n\r\n") == 400);  // more data than the size says
    CHECK(status_of("5 x\r\nhello\r\n0\r\n\r\n") == 400);
    CHECK(status_of(std::string(2000, '0')) == 400);
    CHECK(status_of("ffffffffffffffffff\r\n") == 413);
    FramingLimits limits;
    limits.max_body_bytes = 10;
    CHECK(status_of("a\r\n0123456789\r\n0\r\n\r\n", limits) == 0);
    CHECK(status_of("a\r\n0123456789\r\n1\r\n", limits) == 413);
    // A body of one-byte chunks with long extensions: the framing counts too.
    std::string heavy;
    for (int i = 0; i < 100; ++i)
        heavy += "1;" + std::string(1000, 'e') + "\r\nx\r\n";
    limits.max_body_bytes = 1000;
    CHECK(status_of(heavy, limits) == 413);
}
