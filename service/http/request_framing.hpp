#pragma once
// Strict HTTP/1.1 request framing (RFC 9112), checked before cpp-httplib sees a byte.
//
// cpp-httplib 0.11.4 reads request lines and header lines of any length, takes the first of two
// differing Content-Length fields, reads a body after both Content-Length and Transfer-Encoding,
// accepts a negative chunk size, never bounds a chunked or length-less body and inflates gzip,
// deflate and brotli bodies without limit. Vokter therefore parses every request head and body
// here first, with the limits below, and hands the library only a request whose body is already
// read and counted by Content-Length.
//
// Pure: no sockets, no clock. The connection layer (connection_reactor.hpp) feeds bytes in.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vokter::http {

struct FramingLimits {
    std::size_t max_line_bytes = 8192;    // a request line (414 above) or a header line (431)
    std::size_t max_head_bytes = 32768;   // request line and every header line together (431)
    std::size_t max_headers = 100;        // header fields (431 above)
    std::size_t max_body_bytes = 262144;  // a body, after removing the chunked framing (413)
};

// A request the framing layer refuses: the status (400, 408, 413, 414, 415, 429, 431, 503) and a
// sentence for the client. Never a 5xx for a client's mistake.
struct Refusal {
    int status = 400;
    std::string detail;
};

struct HeaderField {
    std::string name;   // as sent
    std::string value;  // without the surrounding blanks
};

enum class BodyFraming { none, length, chunked };

struct RequestHead {
    std::string method;
    std::string target;
    std::string version;  // "HTTP/1.1" or "HTTP/1.0"
    std::vector<HeaderField> fields;
    BodyFraming framing = BodyFraming::none;
    std::uint64_t content_length = 0;  // with BodyFraming::length
    bool expect_continue = false;      // `Expect: 100-continue`
    bool close = false;                // the client asked to close after this request

    // The target without its query ("/api/comments").
    std::string path() const;
    // The first field called `name` (case-insensitive), or nullptr.
    const std::string* find(std::string_view name) const;
    // The head as cpp-httplib is to read it: the request line and every field except
    // Content-Length, Transfer-Encoding and Expect, then `Content-Length: body_bytes` when a body
    // was sent; ends with the blank line.
    std::string for_library(std::size_t body_bytes) const;
};

// The result of looking at the bytes received so far for one request head.
struct HeadParse {
    enum class State { incomplete, complete, refused } state = State::incomplete;
    std::size_t size = 0;    // complete: the bytes the head took, blank line included
    RequestHead head;        // complete; refused for its framing, the head as read
    bool head_read = false;  // complete, or refused for its framing (not for its syntax)
    Refusal refusal;         // refused
};

// Parses the head at the start of `data` (empty lines before it are skipped, as RFC 9112 asks).
// `scanned` is how many bytes of `data` earlier calls already searched for the end of the head;
// the call updates it, so feeding a head byte by byte costs linear time. Incomplete while the
// blank line has not arrived and no limit is passed yet; refused for a malformed head, one over
// `limits`, a Content-Length over max_body_bytes (413, before the body is read),
// Content-Encoding (415), or framing that would let a proxy and Vokter disagree about where the
// request ends (400): two Content-Length fields, Content-Length with Transfer-Encoding, a
// transfer coding other than `chunked` alone.
HeadParse parse_request_head(std::string_view data, const FramingLimits& limits,
                             std::size_t& scanned);

// Reads a chunked body incrementally (RFC 9112 §7.1): chunk sizes are hexadecimal digits only
// (so "-1" is refused), each chunk ends with CRLF, extensions and trailer fields are skipped.
class ChunkedDecoder {
  public:
    enum class Status { more, done, refused };

    explicit ChunkedDecoder(const FramingLimits& limits) : limits_(limits) {}

    // Consumes what it can from the front of `input` (erasing it) and appends the decoded bytes
    // to `body`. done: the last chunk and trailer were read, anything left in `input` is the next
    // request. refused: see refusal() (413 once the decoded body passes max_body_bytes, or once
    // the raw body, framing included, passes twice that plus 64 KiB; 400 for broken framing, 431
    // for an oversized trailer).
    Status feed(std::string& input, std::string& body);
    const Refusal& refusal() const { return refusal_; }

  private:
    enum class Step { size_line, data, data_end, trailer };
    Status refuse(int status, std::string detail);

    FramingLimits limits_;
    Step step_ = Step::size_line;
    std::uint64_t remaining_ = 0;
    std::size_t trailer_bytes_ = 0;
    std::uint64_t consumed_ = 0;  // raw bytes read, framing included
    Refusal refusal_;
};

}  // namespace vokter::http
