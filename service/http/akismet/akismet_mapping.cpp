#include "http/akismet/akismet_mapping.hpp"

#include <algorithm>
#include <cctype>

#include "core/text.hpp"
#include "core/utf8_scan.hpp"
#include "http/charset.hpp"

namespace vokter::http {

namespace {

// `text` without control characters (tab, newline and carriage return kept when `multiline`).
std::string drop_controls(std::string_view text, bool multiline) {
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        const auto b = static_cast<unsigned char>(c);
        if ((b < 0x20 || b == 0x7F) && !(multiline && (c == '\t' || c == '\n' || c == '\r'))) {
            continue;
        }
        out += c;
    }
    return out;
}

std::string trim(std::string text) {
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) return "";
    return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

// The first `max_chars` code points of valid UTF-8 `text`.
std::string cut_chars(std::string text, std::size_t max_chars) {
    std::size_t pos = 0;
    for (std::size_t n = 0; n < max_chars && pos < text.size(); ++n)
        core::next_code_point(text, pos);
    text.resize(pos);
    return text;
}

std::string cut_bytes(const std::string& text, std::size_t max_bytes) {
    return std::string(core::truncate_utf8(text, max_bytes));
}

}  // namespace

bool akismet_flag(std::string_view value) {
    const std::string v = core::ascii_lower(value);
    return !v.empty() && v != "0" && v != "false" && v != "no";
}

AkismetComment map_akismet_comment(const AkismetFields& fields,
                                   std::string_view content_type_charset,
                                   const SubmissionLimits& limits, const std::string& key_blog) {
    const std::string_view declared = field(fields, "blog_charset");
    const Charset charset = charset_from_label(declared.empty() ? content_type_charset : declared);
    const auto text = [&](std::string_view name) { return to_utf8(field(fields, name), charset); };
    const auto line = [&](std::string_view name, std::size_t max_bytes) {
        return cut_bytes(trim(drop_controls(text(name), false)), max_bytes);
    };

    AkismetComment comment;
    comment.blog = line("blog", limits.thread_bytes);
    comment.permalink = line("permalink", limits.thread_bytes);
    comment.comment_type = line("comment_type", 64);
    comment.is_test = akismet_flag(field(fields, "is_test"));
    comment.administrator =
        core::ascii_lower(trim(std::string(field(fields, "user_role")))) == "administrator";
    comment.recheck = !field(fields, "recheck_reason").empty();

    core::Submission& s = comment.submission;
    for (const std::string& candidate : {comment.permalink, comment.blog, key_blog}) {
        if (auto uri = normalise_thread_uri(candidate, limits.thread_bytes)) {
            s.thread = std::move(*uri);
            break;
        }
    }
    if (s.thread.empty()) s.thread.assign(1, '/');  // (not = "/": GCC 12 warns falsely)
    s.body = cut_chars(drop_controls(text("comment_content"), true), limits.body_chars);
    s.name = cut_chars(trim(drop_controls(text("comment_author"), false)), limits.name_chars);
    s.email = line("comment_author_email", limits.email_bytes);
    const std::string website = line("comment_author_url", limits.website_bytes);
    const auto normalised = website.empty() ? std::nullopt : normalise_website(website);
    s.website = normalised ? cut_bytes(*normalised, limits.website_bytes) : website;
    s.ip = line("user_ip", 64);
    s.user_agent = line("user_agent", 512);
    s.referrer = line("referrer", 1024);
    if (const std::string_view honeypot_field = field(fields, "honeypot_field_name");
        !honeypot_field.empty()) {
        s.honeypot = cut_bytes(drop_controls(text(honeypot_field), true), 1024);
    }
    return comment;
}

}  // namespace vokter::http
