#include "core/links.hpp"

#include <algorithm>
#include <array>

namespace vokter::core {

namespace {

char lower(char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
}

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (lower(a[i]) != lower(b[i])) return false;
    }
    return true;
}

bool istarts_with(std::string_view text, std::string_view prefix) {
    return text.size() >= prefix.size() && iequals(text.substr(0, prefix.size()), prefix);
}

// Characters that end a link token: white space, quotes, angle and square brackets. Bytes >= 0x80
// are kept (a token may carry an IDN or a path with UTF-8).
bool is_delimiter(char c) {
    switch (c) {
        case ' ':
        case '\t':
        case '\n':
        case '\r':
        case '\f':
        case '\v':
        case '"':
        case '\'':
        case '<':
        case '>':
        case '[':
        case ']':
        case '(':
        case ')':
        case '{':
        case '}':
        case '|':
        case '\\':
        case '^':
        case '`':
            return true;
        default:
            return false;
    }
}

bool is_host_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.';
}

// Punctuation that ends a sentence rather than a link.
bool is_trailing_punct(char c) {
    return c == '.' || c == ',' || c == ';' || c == ':' || c == '!' || c == '?' || c == '*';
}

constexpr std::array<std::string_view, 58> kCommonTlds = {
    "com", "net", "org",  "info", "biz", "io",  "co",     "me",   "tv",   "ru",   "no",    "uk",
    "de",  "se",  "dk",   "fi",   "nl",  "fr",  "es",     "it",   "pl",   "eu",   "us",    "ca",
    "au",  "in",  "cn",   "br",   "xyz", "top", "online", "site", "club", "shop", "store", "app",
    "ly",  "gl",  "to",   "cc",   "ws",  "pw",  "su",     "ua",   "tk",   "ml",   "ga",    "cf",
    "gq",  "bit", "link", "live", "win", "bid", "loan",   "vip",  "pro",  "mobi"};

// Checks `host` has at least two dot-separated labels of letters, digits and hyphens, none empty.
bool is_host_shape(std::string_view host) {
    if (host.empty() || host.front() == '.' || host.back() == '.' || host.front() == '-')
        return false;
    bool dot = false;
    char prev = 0;
    for (const char c : host) {
        if (!is_host_char(c)) return false;
        if (c == '.') {
            if (prev == '.') return false;
            dot = true;
        }
        prev = c;
    }
    return dot;
}

// The link in `token`, or an empty view when it holds none. Sets `host`.
std::string_view link_in_token(std::string_view token, std::string_view& host) {
    if (token.find('.') == std::string_view::npos) return {};  // every link has a dot
    // Strip BBCode/HTML attribute prefixes: url=…, href=…, src=…
    for (std::string_view prefix : {"url=", "href=", "src="}) {
        if (istarts_with(token, prefix)) token.remove_prefix(prefix.size());
    }
    while (!token.empty() && is_trailing_punct(token.back()))
        token.remove_suffix(1);
    if (token.empty()) return {};

    std::string_view rest = token;
    std::string_view link = token;
    bool explicit_link = false;
    if (const auto scheme = token.find("://"); scheme != std::string_view::npos) {
        // Find where the scheme starts (letters right before "://").
        std::size_t start = scheme;
        while (start > 0 && ((token[start - 1] >= 'a' && token[start - 1] <= 'z') ||
                             (token[start - 1] >= 'A' && token[start - 1] <= 'Z')))
            --start;
        if (start == scheme) return {};
        link = token.substr(start);
        rest = token.substr(scheme + 3);
        explicit_link = true;
    } else if (token.find('@') != std::string_view::npos) {
        return {};  // an e-mail address (or a handle), not a link
    } else if (istarts_with(token, "www.")) {
        explicit_link = true;
    }
    const auto host_end = rest.find_first_of("/?#:");
    host = rest.substr(0, host_end);
    if (const auto at = host.rfind('@'); at != std::string_view::npos) host.remove_prefix(at + 1);
    if (!is_host_shape(host)) return {};
    if (!explicit_link) {
        const auto dot = host.rfind('.');
        if (!is_common_tld(host.substr(dot + 1))) return {};
        // A bare domain whose first label is only digits is a number like 3.5, not a domain.
        const std::string_view first = host.substr(0, host.find('.'));
        if (std::all_of(first.begin(), first.end(), [](char c) { return c >= '0' && c <= '9'; }))
            return {};
    }
    return link;
}

}  // namespace

bool is_common_tld(std::string_view tld) {
    return std::any_of(kCommonTlds.begin(), kCommonTlds.end(),
                       [&](std::string_view known) { return iequals(known, tld); });
}

std::string_view url_host(std::string_view url) {
    if (const auto scheme = url.find("://"); scheme != std::string_view::npos) {
        url.remove_prefix(scheme + 3);
    }
    url = url.substr(0, url.find_first_of("/?#"));
    if (const auto at = url.rfind('@'); at != std::string_view::npos) url.remove_prefix(at + 1);
    return url.substr(0, url.find(':'));
}

std::string_view email_domain(std::string_view email) {
    const auto at = email.rfind('@');
    return at == std::string_view::npos ? std::string_view{} : email.substr(at + 1);
}

bool host_in_domain(std::string_view host, std::string_view domain) {
    while (!host.empty() && host.back() == '.')
        host.remove_suffix(1);
    if (domain.empty() || host.size() < domain.size()) return false;
    const std::string_view tail = host.substr(host.size() - domain.size());
    if (!iequals(tail, domain)) return false;
    return host.size() == domain.size() || host[host.size() - domain.size() - 1] == '.';
}

std::vector<Link> find_links(std::string_view body) {
    std::vector<Link> links;
    std::size_t i = 0;
    while (i < body.size()) {
        while (i < body.size() && is_delimiter(body[i]))
            ++i;
        std::size_t end = i;
        while (end < body.size() && !is_delimiter(body[end]))
            ++end;
        if (end > i) {
            std::string_view host;
            const std::string_view link = link_in_token(body.substr(i, end - i), host);
            if (!link.empty()) {
                const bool seen = std::any_of(links.begin(), links.end(),
                                              [&](const Link& l) { return iequals(l.text, link); });
                if (!seen) links.push_back(Link{link, host});
            }
        }
        i = end;
    }
    return links;
}

}  // namespace vokter::core
