// The HTTP/1.1 framing every request passes before cpp-httplib sees it (request_framing.hpp),
// with small limits so the fuzzer reaches them. Besides not crashing, the parse must not depend
// on how the bytes arrive: the head and a chunked body are read once whole and once in pieces
// (sizes taken from the input), and both readings must agree: refused, complete (with the same
// head) or incomplete alike. A complete head is what the
// library gets, so it must hold no line break inside a field.

#include <cstdint>
#include <string>

#include "fuzz/fuzz_input.hpp"
#include "http/request_framing.hpp"

namespace http = vokter::http;

namespace {

constexpr http::FramingLimits kLimits{256, 1024, 16, 4096};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1) return 0;
    const std::size_t step = 1 + data[0] % 13;  // bytes per piece when reading in pieces
    const std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);

    std::size_t scanned = 0;
    const http::HeadParse whole = http::parse_request_head(bytes, kLimits, scanned);

    http::HeadParse pieces;
    std::size_t piece_scanned = 0;
    for (std::size_t end = std::min(step, bytes.size());;
         end = std::min(end + step, bytes.size())) {
        pieces = http::parse_request_head(bytes.substr(0, end), kLimits, piece_scanned);
        if (pieces.state != http::HeadParse::State::incomplete || end == bytes.size()) break;
    }
    FUZZ_CHECK(pieces.state == whole.state);
    if (whole.state == http::HeadParse::State::refused) {
        // A head that breaks two rules (a bare LF in a request line over the limit) may be
        // refused for either, depending on which arrives first; both readings must refuse it
        // as the client's fault.
        FUZZ_CHECK(pieces.refusal.status >= 400 && pieces.refusal.status < 500);
        FUZZ_CHECK(whole.refusal.status >= 400 && whole.refusal.status < 500);
        FUZZ_CHECK(!whole.refusal.detail.empty());
        return 0;
    }
    if (whole.state != http::HeadParse::State::complete) return 0;
    FUZZ_CHECK(pieces.size == whole.size && pieces.head.target == whole.head.target);
    FUZZ_CHECK(whole.size <= bytes.size());
    for (const http::HeaderField& f : whole.head.fields) {
        FUZZ_CHECK(f.name.find_first_of("\r\n:") == std::string::npos);
        FUZZ_CHECK(f.value.find_first_of("\r\n") == std::string::npos);
    }
    if (whole.head.framing == http::BodyFraming::length) {
        FUZZ_CHECK(whole.head.content_length <= kLimits.max_body_bytes);
    }
    (void)whole.head.for_library(whole.head.content_length);
    if (whole.head.framing != http::BodyFraming::chunked) return 0;

    // The chunked body after the head: whole, then in pieces.
    const std::string_view rest = bytes.substr(whole.size);
    http::ChunkedDecoder all_at_once(kLimits);
    std::string input(rest), body;
    const auto status = all_at_once.feed(input, body);
    FUZZ_CHECK(body.size() <= kLimits.max_body_bytes);

    http::ChunkedDecoder piecewise(kLimits);
    std::string buffer, piece_body;
    auto piece_status = http::ChunkedDecoder::Status::more;
    std::size_t fed = 0;
    while (fed < rest.size() && piece_status == http::ChunkedDecoder::Status::more) {
        buffer.append(rest.substr(fed, step));
        fed = std::min(fed + step, rest.size());
        piece_status = piecewise.feed(buffer, piece_body);
    }
    if (rest.empty()) piece_status = piecewise.feed(buffer, piece_body);
    FUZZ_CHECK(piece_status == status);
    if (status == http::ChunkedDecoder::Status::done) {
        FUZZ_CHECK(piece_body == body);
        // What follows the body is the next request, left alone by both readings.
        FUZZ_CHECK(buffer + std::string(rest.substr(fed)) == input);
    }
    if (status == http::ChunkedDecoder::Status::refused) {  // for either rule broken, as above
        FUZZ_CHECK(piecewise.refusal().status >= 400 && piecewise.refusal().status < 500);
        FUZZ_CHECK(all_at_once.refusal().status >= 400 && all_at_once.refusal().status < 500);
    }
    return 0;
}
