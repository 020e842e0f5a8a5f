#include "http/akismet/akismet_form.hpp"

#include <algorithm>
#include <cctype>

#include "core/text.hpp"

namespace vokter::http {

namespace {

int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// Percent-decoding that keeps a broken escape as written instead of failing.
std::string lenient_decode(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '+') {
            out += ' ';
        } else if (c == '%' && i + 2 < text.size() && hex_digit(text[i + 1]) >= 0 &&
                   hex_digit(text[i + 2]) >= 0) {
            out += static_cast<char>(hex_digit(text[i + 1]) * 16 + hex_digit(text[i + 2]));
            i += 2;
        } else {
            out += c;
        }
    }
    return out;
}

}  // namespace

AkismetFields parse_akismet_form(std::string_view body) {
    AkismetFields fields;
    while (!body.empty()) {
        const std::size_t amp = body.find('&');
        const std::string_view pair = body.substr(0, amp);
        body = amp == std::string_view::npos ? std::string_view() : body.substr(amp + 1);
        const std::size_t eq = pair.find('=');
        std::string name = lenient_decode(pair.substr(0, eq));
        if (name.empty()) continue;
        fields[std::move(name)] =
            eq == std::string_view::npos ? std::string() : lenient_decode(pair.substr(eq + 1));
    }
    return fields;
}

std::string key_from_host(std::string_view host) {
    if (host.empty() || host.front() == '[') return "";  // an IPv6 literal
    if (const std::size_t colon = host.rfind(':'); colon != std::string_view::npos) {
        host = host.substr(0, colon);
    }
    const std::size_t dot = host.find('.');
    if (dot == std::string_view::npos || dot == 0) return "";
    const bool ipv4 = std::all_of(host.begin(), host.end(),
                                  [](char c) { return c == '.' || (c >= '0' && c <= '9'); });
    if (ipv4) return "";
    return core::ascii_lower(host.substr(0, dot));
}

std::string charset_parameter(std::string_view content_type) {
    const std::string lowered = core::ascii_lower(content_type);
    const std::size_t at = lowered.find("charset=");
    if (at == std::string::npos) return "";
    std::string_view value = content_type.substr(at + 8);
    value = value.substr(0, value.find(';'));
    while (!value.empty() && (value.back() == ' ' || value.back() == '"'))
        value.remove_suffix(1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '"'))
        value.remove_prefix(1);
    return std::string(value);
}

std::string_view field(const AkismetFields& fields, std::string_view name) {
    const auto found = fields.find(name);
    return found == fields.end() ? std::string_view() : std::string_view(found->second);
}

}  // namespace vokter::http
