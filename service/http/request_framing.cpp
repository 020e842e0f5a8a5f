#include "http/request_framing.hpp"

#include <algorithm>
#include <cctype>
#include <cstring>

namespace vokter::http {

namespace {

// The longest chunk-size line, extensions included, a client may send.
constexpr std::size_t kMaxChunkLine = 1024;

bool is_tchar(unsigned char c) {
    if (std::isalnum(c)) return true;
    return std::strchr("!#$%&'*+-.^_`|~", c) != nullptr && c != '\0';
}

bool is_blank(char c) {
    return c == ' ' || c == '\t';
}

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

std::string_view trim(std::string_view text) {
    while (!text.empty() && is_blank(text.front()))
        text.remove_prefix(1);
    while (!text.empty() && is_blank(text.back()))
        text.remove_suffix(1);
    return text;
}

// True when a comma-separated field value lists `token` (case-insensitive).
bool lists_token(std::string_view value, std::string_view token) {
    while (!value.empty()) {
        const auto comma = value.find(',');
        if (iequals(trim(value.substr(0, comma)), token)) return true;
        if (comma == std::string_view::npos) break;
        value.remove_prefix(comma + 1);
    }
    return false;
}

// A field value may hold visible characters, blanks and obs-text, never other control bytes.
bool valid_value(std::string_view value) {
    return std::none_of(value.begin(), value.end(), [](char ch) {
        const auto c = static_cast<unsigned char>(ch);
        return (c < 0x20 && c != '\t') || c == 0x7F;
    });
}

HeadParse refused(int status, std::string detail) {
    HeadParse result;
    result.state = HeadParse::State::refused;
    result.refusal = {status, std::move(detail)};
    return result;
}

std::string over_limit(std::string_view what, std::size_t limit) {
    return std::string(what) + " is longer than " + std::to_string(limit) + " bytes";
}

std::string body_too_large(std::size_t limit) {
    return "the request body is larger than " + std::to_string(limit) + " bytes";
}

// The request line: METHOD SP TARGET SP HTTP/1.x. Returns an empty string when valid.
std::string parse_request_line(std::string_view line, RequestHead& head) {
    const auto first = line.find(' ');
    const auto second = first == std::string_view::npos ? first : line.find(' ', first + 1);
    if (second == std::string_view::npos || line.find(' ', second + 1) != std::string_view::npos) {
        return "the request line is not METHOD TARGET HTTP-VERSION";
    }
    const std::string_view method = line.substr(0, first);
    const std::string_view target = line.substr(first + 1, second - first - 1);
    const std::string_view version = line.substr(second + 1);
    if (method.empty() || !std::all_of(method.begin(), method.end(), [](char c) {
            return is_tchar(static_cast<unsigned char>(c));
        })) {
        return "the request method is not a token";
    }
    if (target.empty() || std::any_of(target.begin(), target.end(), [](char ch) {
            const auto c = static_cast<unsigned char>(ch);
            return c <= 0x20 || c == 0x7F;
        })) {
        return "the request target is empty or holds control characters";
    }
    if (version != "HTTP/1.1" && version != "HTTP/1.0") {
        return "only HTTP/1.1 and HTTP/1.0 are spoken here";
    }
    head.method = method;
    head.target = target;
    head.version = version;
    return "";
}

// Decides how the body is framed, from the fields that say so. Returns an empty string when the
// framing is unambiguous; otherwise sets `status`.
std::string decide_framing(RequestHead& head, const FramingLimits& limits, int& status) {
    status = 400;
    const HeaderField* length = nullptr;
    const HeaderField* transfer = nullptr;
    for (const auto& field : head.fields) {
        if (iequals(field.name, "Content-Length")) {
            if (length) return "more than one Content-Length field";
            length = &field;
        } else if (iequals(field.name, "Transfer-Encoding")) {
            if (transfer) return "more than one Transfer-Encoding field";
            transfer = &field;
        } else if (iequals(field.name, "Content-Encoding")) {
            if (!iequals(field.value, "identity")) {
                status = 415;
                return "Content-Encoding " + field.value +
                       " is not accepted: send the body uncompressed";
            }
        } else if (iequals(field.name, "Expect")) {
            head.expect_continue = head.expect_continue || lists_token(field.value, "100-continue");
        } else if (iequals(field.name, "Connection")) {
            if (lists_token(field.value, "close")) head.close = true;
        }
    }
    if (head.version == "HTTP/1.0") {
        const std::string* connection = head.find("Connection");
        if (!connection || !lists_token(*connection, "keep-alive")) head.close = true;
    }
    if (transfer) {
        if (length) return "both Content-Length and Transfer-Encoding";
        if (head.version == "HTTP/1.0") return "Transfer-Encoding in an HTTP/1.0 request";
        if (!iequals(transfer->value, "chunked")) {
            return "Transfer-Encoding " + transfer->value + " is not supported: only chunked";
        }
        head.framing = BodyFraming::chunked;
        return "";
    }
    if (length) {
        const std::string& digits = length->value;
        if (digits.empty() || digits.size() > 18 ||
            !std::all_of(digits.begin(), digits.end(),
                         [](char c) { return c >= '0' && c <= '9'; })) {
            return "Content-Length is not a number of bytes";
        }
        head.content_length = std::stoull(digits);
        if (head.content_length > limits.max_body_bytes) {
            status = 413;
            return body_too_large(limits.max_body_bytes);
        }
        head.framing = BodyFraming::length;
    }
    return "";
}

}  // namespace

std::string RequestHead::path() const {
    return target.substr(0, target.find('?'));
}

const std::string* RequestHead::find(std::string_view name) const {
    for (const auto& field : fields) {
        if (iequals(field.name, name)) return &field.value;
    }
    return nullptr;
}

std::string RequestHead::for_library(std::size_t body_bytes) const {
    std::string text = method + " " + target + " " + version + "\r\n";
    for (const auto& field : fields) {
        if (iequals(field.name, "Content-Length") || iequals(field.name, "Transfer-Encoding") ||
            iequals(field.name, "Expect")) {
            continue;
        }
        text += field.name + ": " + field.value + "\r\n";
    }
    if (framing != BodyFraming::none)
        text += "Content-Length: " + std::to_string(body_bytes) + "\r\n";
    text += "\r\n";
    return text;
}

HeadParse parse_request_head(std::string_view data, const FramingLimits& limits,
                             std::size_t& scanned) {
    std::size_t start = 0;
    while (data.size() >= start + 2 && data[start] == '\r' && data[start + 1] == '\n')
        start += 2;
    if (start > limits.max_line_bytes)
        return refused(400, "too many empty lines before the request");
    const std::size_t from = std::max(start, scanned >= 3 ? scanned - 3 : 0);
    const auto end = data.find("\r\n\r\n", from);
    if (end == std::string_view::npos) {
        if (data.find("\n\n", from) != std::string_view::npos) {
            return refused(400, "the lines of the request head must end with CRLF");
        }
        scanned = data.size();
        const std::string_view rest = data.substr(start);
        // A request line of max_line_bytes ends with CR LF at offsets max and max + 1: only
        // when no LF is among the first max + 2 bytes is the line over the limit.
        if (rest.size() > limits.max_line_bytes + 2 &&
            std::memchr(rest.data(), '\n', limits.max_line_bytes + 2) == nullptr) {
            return refused(414, over_limit("the request line", limits.max_line_bytes));
        }
        if (rest.size() > limits.max_head_bytes) {
            return refused(431, over_limit("the request head", limits.max_head_bytes));
        }
        return {};
    }
    if (end + 2 - start > limits.max_head_bytes) {
        return refused(431, over_limit("the request head", limits.max_head_bytes));
    }

    HeadParse result;
    RequestHead& head = result.head;
    std::size_t pos = start;
    bool first_line = true;
    while (pos < end + 2) {
        const auto line_end = data.find("\r\n", pos);
        const std::string_view line = data.substr(pos, line_end - pos);
        pos = line_end + 2;
        if (line.find_first_of("\r\n") != std::string_view::npos) {
            return refused(400, "a line of the request head holds a bare CR or LF");
        }
        if (first_line) {
            first_line = false;
            if (line.size() > limits.max_line_bytes) {
                return refused(414, over_limit("the request line", limits.max_line_bytes));
            }
            if (auto problem = parse_request_line(line, head); !problem.empty()) {
                return refused(400, problem);
            }
            continue;
        }
        if (line.size() > limits.max_line_bytes) {
            return refused(431, over_limit("a header line", limits.max_line_bytes));
        }
        if (head.fields.size() == limits.max_headers) {
            return refused(431,
                           "more than " + std::to_string(limits.max_headers) + " header fields");
        }
        if (is_blank(line.front())) return refused(400, "obsolete line folding in the head");
        const auto colon = line.find(':');
        const std::string_view name = line.substr(0, colon);
        if (colon == std::string_view::npos || name.empty() ||
            !std::all_of(name.begin(), name.end(),
                         [](char c) { return is_tchar(static_cast<unsigned char>(c)); })) {
            return refused(400, "a header line is not NAME: VALUE");
        }
        const std::string_view value = trim(line.substr(colon + 1));
        if (!valid_value(value)) return refused(400, "a header value holds control characters");
        head.fields.push_back({std::string(name), std::string(value)});
    }
    result.head_read = true;
    int status = 400;
    if (auto problem = decide_framing(head, limits, status); !problem.empty()) {
        result.state = HeadParse::State::refused;
        result.refusal = {status, std::move(problem)};
        return result;
    }
    result.state = HeadParse::State::complete;
    result.size = end + 4;
    scanned = 0;
    return result;
}

ChunkedDecoder::Status ChunkedDecoder::refuse(int status, std::string detail) {
    refusal_ = {status, std::move(detail)};
    return Status::refused;
}

ChunkedDecoder::Status ChunkedDecoder::feed(std::string& input, std::string& body) {
    std::size_t pos = 0;
    Status status = Status::more;
    while (status == Status::more) {
        if (step_ == Step::size_line) {
            const auto line_end = input.find("\r\n", pos);
            if (line_end == std::string::npos) {
                if (input.size() - pos > kMaxChunkLine + 1) {  // the line and its CR
                    return refuse(400, over_limit("a chunk-size line", kMaxChunkLine));
                }
                break;
            }
            const std::string_view line(input.data() + pos, line_end - pos);
            pos = line_end + 2;
            std::uint64_t size = 0;
            std::size_t digits = 0;
            for (; digits < line.size() && std::isxdigit(static_cast<unsigned char>(line[digits]));
                 ++digits) {
                if (size >> 60) return refuse(413, body_too_large(limits_.max_body_bytes));
                const char c =
                    static_cast<char>(std::tolower(static_cast<unsigned char>(line[digits])));
                size = size * 16 + static_cast<std::uint64_t>(c <= '9' ? c - '0' : c - 'a' + 10);
            }
            const std::string_view extension = trim(line.substr(digits));
            if (digits == 0 || (!extension.empty() && extension.front() != ';') ||
                !valid_value(extension) || line.size() > kMaxChunkLine) {
                return refuse(400, "a chunk size is not hexadecimal digits");
            }
            if (size == 0) {
                step_ = Step::trailer;
            } else if (body.size() + size > limits_.max_body_bytes) {
                return refuse(413, body_too_large(limits_.max_body_bytes));
            } else {
                remaining_ = size;
                step_ = Step::data;
            }
        } else if (step_ == Step::data) {
            const auto n =
                static_cast<std::size_t>(std::min<std::uint64_t>(remaining_, input.size() - pos));
            body.append(input, pos, n);
            pos += n;
            remaining_ -= n;
            if (remaining_ > 0) break;
            step_ = Step::data_end;
        } else if (step_ == Step::data_end) {
            if (input.size() - pos < 2) break;
            if (input.compare(pos, 2, "\r\n") != 0) {
                return refuse(400, "a chunk is longer than its size says");
            }
            pos += 2;
            step_ = Step::size_line;
        } else {  // trailer fields, skipped, up to the blank line
            const auto line_end = input.find("\r\n", pos);
            // Without its line end yet, a trailing CR may be the start of one: not counted.
            std::size_t length = (line_end == std::string::npos ? input.size() : line_end) - pos;
            if (line_end == std::string::npos && length > 0 && input.back() == '\r') --length;
            if (trailer_bytes_ + length > limits_.max_head_bytes) {
                return refuse(431, over_limit("the trailer", limits_.max_head_bytes));
            }
            if (line_end == std::string::npos) break;
            const std::string_view line(input.data() + pos, length);
            if (line.find_first_of("\r\n") != std::string_view::npos || !valid_value(line)) {
                return refuse(400, "a trailer line holds control characters");
            }
            pos = line_end + 2;
            trailer_bytes_ += length + 2;
            if (length == 0) status = Status::done;
        }
    }
    consumed_ += pos;
    if (status != Status::done && consumed_ > 2 * std::uint64_t{limits_.max_body_bytes} + 65536) {
        return refuse(413, body_too_large(limits_.max_body_bytes));
    }
    input.erase(0, pos);
    return status;
}

}  // namespace vokter::http
