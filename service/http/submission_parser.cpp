#include "http/submission_parser.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <set>
#include <vector>

#include "core/normalise.hpp"
#include "core/text.hpp"
#include "http/problem.hpp"

namespace vokter::http {

namespace {

const std::set<std::string, std::less<>> kKnownFields = {
    "thread", "title", "parent", "name", "email", "website", "body", "honeypot", "form_token"};

bool has_control_chars(std::string_view text, bool allow_newlines) {
    return std::any_of(text.begin(), text.end(), [&](char c) {
        const auto b = static_cast<unsigned char>(c);
        if (allow_newlines && (c == '\n' || c == '\r' || c == '\t')) return false;
        return b < 0x20 || b == 0x7F;
    });
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

}  // namespace

std::optional<std::string> url_decode(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '+') {
            out += ' ';
        } else if (text[i] == '%') {
            if (i + 2 >= text.size()) return std::nullopt;
            const int hi = hex_value(text[i + 1]);
            const int lo = hex_value(text[i + 2]);
            if (hi < 0 || lo < 0) return std::nullopt;
            out += static_cast<char>(hi * 16 + lo);
            i += 2;
        } else {
            out += text[i];
        }
    }
    return out;
}

FieldMap parse_json_fields(std::string_view body) {
    if (!core::is_valid_utf8(body)) fail(400, "the request body is not valid UTF-8");
    const auto doc = nlohmann::json::parse(body, nullptr, false);
    if (doc.is_discarded()) fail(400, "the request body is not valid JSON");
    if (!doc.is_object()) fail(400, "the request body must be a JSON object");
    FieldMap fields;
    std::vector<FieldError> errors;
    for (const auto& [key, value] : doc.items()) {
        if (!kKnownFields.contains(key)) {
            errors.push_back({key, "unknown field"});
        } else if (value.is_string()) {
            fields[key] = value.get<std::string>();
        } else if (key == "parent" && value.is_number_integer()) {
            fields[key] = std::to_string(value.get<std::int64_t>());
        } else if (value.is_null()) {
            continue;  // the same as leaving the field out
        } else {
            errors.push_back({key, key == "parent" ? "must be a comment id (a whole number)"
                                                   : "must be a string"});
        }
    }
    if (!errors.empty()) fail_fields(std::move(errors));
    return fields;
}

FieldMap parse_form_fields(std::string_view body) {
    FieldMap fields;
    std::vector<FieldError> errors;
    while (!body.empty()) {
        const auto amp = body.find('&');
        const std::string_view pair = body.substr(0, amp);
        body = amp == std::string_view::npos ? std::string_view() : body.substr(amp + 1);
        if (pair.empty()) continue;
        const auto eq = pair.find('=');
        const auto key = url_decode(pair.substr(0, eq));
        const auto value =
            url_decode(eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1));
        if (!key || !value) fail(400, "the form body has a broken %-escape");
        if (!kKnownFields.contains(*key)) {
            errors.push_back({*key, "unknown field"});
        } else if (!fields.emplace(*key, *value).second) {
            errors.push_back({*key, "given more than once"});
        }
    }
    if (!errors.empty()) fail_fields(std::move(errors));
    return fields;
}

std::optional<std::string> normalise_thread_uri(std::string_view uri, std::size_t max_bytes) {
    uri = core::trim_ascii_space(uri);
    if (const auto hash = uri.find('#'); hash != std::string_view::npos) uri = uri.substr(0, hash);
    if (uri.empty() || uri.size() > max_bytes || has_control_chars(uri, false) ||
        uri.find(' ') != std::string_view::npos || !core::is_valid_utf8(uri)) {
        return std::nullopt;
    }
    std::string prefix;  // "https://host" for absolute URLs
    std::string_view rest = uri;
    const std::string head = core::ascii_lower(uri.substr(0, 8));
    if (head.starts_with("http://") || head.starts_with("https://")) {
        const std::size_t scheme_end = uri.find("://") + 3;
        const std::size_t host_end = uri.find_first_of("/?", scheme_end);
        std::string host = core::ascii_lower(uri.substr(scheme_end, host_end - scheme_end));
        if (host.empty()) return std::nullopt;
        const std::string scheme = core::ascii_lower(uri.substr(0, scheme_end));
        if (scheme == "http://" && host.ends_with(":80")) host.resize(host.size() - 3);
        if (scheme == "https://" && host.ends_with(":443")) host.resize(host.size() - 4);
        prefix = scheme + host;
        rest = host_end == std::string_view::npos ? std::string_view() : uri.substr(host_end);
    } else if (uri.front() != '/' || uri.starts_with("//")) {
        return std::nullopt;
    }
    const std::size_t query_start = rest.find('?');
    std::string path(rest.substr(0, query_start));
    const std::string_view query =
        query_start == std::string_view::npos ? std::string_view() : rest.substr(query_start);
    while (path.size() > 1 && path.back() == '/')
        path.pop_back();
    if (path.empty()) path = "/";
    return prefix + path + std::string(query);
}

std::optional<std::string> normalise_website(std::string_view website) {
    website = core::trim_ascii_space(website);
    if (website.empty() || has_control_chars(website, false) ||
        website.find(' ') != std::string_view::npos) {
        return std::nullopt;
    }
    std::string url(website);
    const std::string head = core::ascii_lower(website.substr(0, 8));
    if (!head.starts_with("http://") && !head.starts_with("https://")) {
        if (website.find("://") != std::string_view::npos || website.find(':') == 0) {
            return std::nullopt;  // another scheme: javascript:, ftp://, …
        }
        url = "https://" + url;
    }
    const std::size_t host_start = url.find("://") + 3;
    const std::size_t host_end = url.find_first_of("/?#", host_start);
    const std::string host = url.substr(host_start, host_end - host_start);
    if (host.empty() || host.find('.') == std::string::npos || host.front() == '.' ||
        host.find('@') != std::string::npos) {
        return std::nullopt;
    }
    // A host name (letters, digits, '-', '.', and any non-ASCII letter of a Unicode name) and
    // perhaps a port: "https://javascript:alert(document.cookie)" names no host.
    const std::size_t colon = host.find(':');
    for (std::size_t i = 0; i < host.size(); ++i) {
        const auto c = static_cast<unsigned char>(host[i]);
        const bool name_char = c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                               (c >= '0' && c <= '9') || c == '-' || c == '.';
        const bool port_char = colon != std::string::npos && i > colon && c >= '0' && c <= '9';
        if (i == colon ? i + 1 == host.size() : !(i < colon ? name_char : port_char))
            return std::nullopt;
    }
    return url;
}

bool is_plausible_email(std::string_view email) {
    const auto at = email.find('@');
    if (at == 0 || at == std::string_view::npos ||
        email.find('@', at + 1) != std::string_view::npos)
        return false;
    const std::string_view domain = email.substr(at + 1);
    const auto dot = domain.rfind('.');
    return dot != std::string_view::npos && dot > 0 && dot + 1 < domain.size() &&
           email.find(' ') == std::string_view::npos && !has_control_chars(email, false);
}

core::Submission validate_submission(const FieldMap& fields, const SubmissionLimits& limits) {
    std::vector<FieldError> errors;
    const auto get = [&](std::string_view name) -> std::string_view {
        auto found = fields.find(name);
        return found == fields.end() ? std::string_view() : std::string_view(found->second);
    };
    // Every field must be UTF-8 before anything else looks at it.
    for (const auto& [name, value] : fields) {
        if (!core::is_valid_utf8(value)) errors.push_back({name, "is not valid UTF-8 text"});
    }
    if (!errors.empty()) fail_fields(std::move(errors));

    core::Submission s;
    if (get("thread").empty()) {
        errors.push_back({"thread", "is required (the page's path or URL)"});
    } else if (auto thread = normalise_thread_uri(get("thread"), limits.thread_bytes)) {
        s.thread = *thread;
    } else {
        errors.push_back({"thread", "must be a path starting with / or an http(s) URL, at most " +
                                        std::to_string(limits.thread_bytes) + " bytes"});
    }

    const std::string_view body = get("body");
    if (core::trim_ascii_space(body).empty()) {
        errors.push_back({"body", "is required"});
    } else if (core::count_code_points(body) > limits.body_chars) {
        errors.push_back(
            {"body", "is longer than " + std::to_string(limits.body_chars) + " characters"});
    } else if (has_control_chars(body, true)) {
        errors.push_back({"body", "contains control characters"});
    } else {
        s.body = std::string(body);
    }

    const std::string_view name = core::trim_ascii_space(get("name"));
    if (core::count_code_points(name) > limits.name_chars) {
        errors.push_back(
            {"name", "is longer than " + std::to_string(limits.name_chars) + " characters"});
    } else if (has_control_chars(name, false)) {
        errors.push_back({"name", "contains control characters"});
    } else if (const char32_t hidden = core::hidden_character(name)) {
        char code[16];
        std::snprintf(code, sizeof code, "U+%04X", static_cast<unsigned>(hidden));
        errors.push_back(
            {"name", std::string("contains an invisible or text-direction character (") + code +
                         "); write the name without it"});
    } else {
        s.name = std::string(name);
    }

    const std::string_view email = core::trim_ascii_space(get("email"));
    if (email.size() > limits.email_bytes) {
        errors.push_back(
            {"email", "is longer than " + std::to_string(limits.email_bytes) + " characters"});
    } else if (!email.empty() && !is_plausible_email(email)) {
        errors.push_back({"email", "is not an email address (name@example.no)"});
    } else {
        s.email = std::string(email);
    }

    const std::string_view website = core::trim_ascii_space(get("website"));
    if (website.size() > limits.website_bytes) {
        errors.push_back(
            {"website", "is longer than " + std::to_string(limits.website_bytes) + " characters"});
    } else if (!website.empty()) {
        if (auto url = normalise_website(website)) {
            s.website = *url;
        } else {
            errors.push_back({"website", "must be an http(s) address (https://example.no)"});
        }
    }

    const std::string_view title = core::trim_ascii_space(get("title"));
    if (core::count_code_points(title) > limits.title_chars) {
        errors.push_back(
            {"title", "is longer than " + std::to_string(limits.title_chars) + " characters"});
    } else if (has_control_chars(title, false)) {
        errors.push_back({"title", "contains control characters"});
    } else {
        s.title = std::string(title);
    }

    const std::string_view parent = core::trim_ascii_space(get("parent"));
    if (!parent.empty()) {
        std::int64_t id = 0;
        bool ok = parent.size() <= 18;
        for (const char c : parent) {
            if (c < '0' || c > '9') ok = false;
            if (ok) id = id * 10 + (c - '0');
        }
        if (ok && id > 0) {
            s.parent = id;
        } else {
            errors.push_back({"parent", "must be a comment id (a positive whole number)"});
        }
    }

    s.honeypot = std::string(get("honeypot").substr(0, 1000));
    if (!errors.empty()) fail_fields(std::move(errors));
    return s;
}

std::optional<std::string> form_token_of(const FieldMap& fields) {
    auto found = fields.find("form_token");
    if (found == fields.end() || found->second.empty()) return std::nullopt;
    return found->second;
}

}  // namespace vokter::http
