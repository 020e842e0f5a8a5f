#include "core/heuristics.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <utility>

#include "core/text.hpp"

namespace vokter::core {

namespace {

constexpr std::array<std::pair<std::string_view, HeuristicKind>, 14> kKinds = {{
    {"link_count", HeuristicKind::link_count},
    {"url_or_email_in_name", HeuristicKind::url_or_email_in_name},
    {"caps_ratio", HeuristicKind::caps_ratio},
    {"repeated_chars", HeuristicKind::repeated_chars},
    {"repeated_words", HeuristicKind::repeated_words},
    {"body_length", HeuristicKind::body_length},
    {"honeypot", HeuristicKind::honeypot},
    {"time_trap", HeuristicKind::time_trap},
    {"flood", HeuristicKind::flood},
    {"duplicate_body", HeuristicKind::duplicate_body},
    {"blocked_domain", HeuristicKind::blocked_domain},
    {"disposable_email", HeuristicKind::disposable_email},
    {"script_mix", HeuristicKind::script_mix},
    {"known_author", HeuristicKind::known_author},
}};

constexpr std::array<std::pair<std::string_view, Script>, 12> kScripts = {{
    {"latin", Script::latin},
    {"greek", Script::greek},
    {"cyrillic", Script::cyrillic},
    {"armenian", Script::armenian},
    {"hebrew", Script::hebrew},
    {"arabic", Script::arabic},
    {"devanagari", Script::devanagari},
    {"thai", Script::thai},
    {"georgian", Script::georgian},
    {"hangul", Script::hangul},
    {"kana", Script::kana},
    {"cjk", Script::cjk},
}};

bool is_space(char32_t cp) {
    return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\f' || cp == '\v' ||
           cp == 0xA0 || cp == 0xFEFF || (cp >= 0x2000 && cp <= 0x200B) || cp == 0x3000;
}

// Letters and digits make words; everything else separates them.
bool is_word_char(char32_t cp) {
    return (cp >= '0' && cp <= '9') || script_of(cp) != Script::other;
}

char32_t fold(char32_t cp) {
    if (cp >= 'A' && cp <= 'Z') return cp + 32;
    if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) return cp + 32;
    if (cp >= 0x410 && cp <= 0x42F) return cp + 32;
    return cp;
}

std::string format_ratio(double value) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.2f", value);
    return buffer;
}

bool looks_like_url_or_email(std::string_view text) {
    if (!find_links(text).empty()) return true;
    const auto at = text.find('@');
    if (at == std::string_view::npos || at == 0) return false;
    const std::string_view domain = text.substr(at + 1);
    const auto dot = domain.find('.');
    return dot != std::string_view::npos && dot > 0 && dot + 1 < domain.size();
}

std::string_view email_domain(std::string_view email) {
    const auto at = email.rfind('@');
    return at == std::string_view::npos ? std::string_view{} : email.substr(at + 1);
}

// The host of a website field: "https://user@Host.example:80/path" -> "Host.example".
std::string_view website_host(std::string_view url) {
    if (const auto scheme = url.find("://"); scheme != std::string_view::npos) {
        url.remove_prefix(scheme + 3);
    }
    url = url.substr(0, url.find_first_of("/?#"));
    if (const auto at = url.rfind('@'); at != std::string_view::npos) url.remove_prefix(at + 1);
    return url.substr(0, url.find(':'));
}

// The first host of `h.fields` found in `h.domains`, or an empty view.
std::string_view blocked_host(const Heuristic& h, const HeuristicInput& in) {
    for (const Field field : h.fields) {
        if (field == Field::links) {
            for (const Link& link : in.links) {
                if (h.domains->contains(link.host)) return link.host;
            }
        } else if (field == Field::website) {
            const std::string_view host = website_host(in.submission.website);
            if (!host.empty() && h.domains->contains(host)) return host;
        } else if (field == Field::email) {
            const std::string_view domain = email_domain(in.submission.email);
            if (!domain.empty() && h.domains->contains(domain)) return domain;
        }
    }
    return {};
}

}  // namespace

std::optional<HeuristicKind> parse_heuristic_kind(std::string_view name) {
    for (const auto& [text, kind] : kKinds) {
        if (text == name) return kind;
    }
    return std::nullopt;
}

std::string_view to_string(HeuristicKind kind) {
    for (const auto& [text, k] : kKinds) {
        if (k == kind) return text;
    }
    return "unknown";
}

std::optional<Script> parse_script(std::string_view name) {
    for (const auto& [text, script] : kScripts) {
        if (text == name) return script;
    }
    return std::nullopt;
}

CapsMeasure measure_caps(std::string_view text) {
    CapsMeasure m;
    for (std::size_t i = 0; i < text.size();) {
        const char32_t cp = next_code_point(text, i);
        const Script s = script_of(cp);
        if (s == Script::latin || s == Script::greek || s == Script::cyrillic) {
            ++m.letters;
            if (is_upper_letter(cp)) ++m.upper;
        }
    }
    return m;
}

std::int64_t longest_char_run(std::string_view text) {
    std::int64_t best = 0;
    std::int64_t run = 0;
    char32_t prev = 0;
    for (std::size_t i = 0; i < text.size();) {
        const char32_t cp = next_code_point(text, i);
        if (is_space(cp)) {
            run = 0, prev = 0;
            continue;
        }
        run = (cp == prev) ? run + 1 : 1;
        prev = cp;
        if (run > best) best = run;
    }
    return best;
}

std::int64_t longest_word_repeat(std::string_view text) {
    // Words are compared code point by code point after folding, as views into `text`.
    const auto same_word = [](std::string_view a, std::string_view b) {
        std::size_t i = 0, j = 0;
        while (i < a.size() && j < b.size()) {
            if (fold(next_code_point(a, i)) != fold(next_code_point(b, j))) return false;
        }
        return i == a.size() && j == b.size();
    };
    std::int64_t best = 0;
    std::int64_t run = 0;
    std::string_view prev;
    std::size_t start = std::string_view::npos;
    const auto finish_word = [&](std::size_t end) {
        if (start == std::string_view::npos) return;
        const std::string_view word = text.substr(start, end - start);
        run = (!prev.empty() && same_word(word, prev)) ? run + 1 : 1;
        if (run > best) best = run;
        prev = word;
        start = std::string_view::npos;
    };
    for (std::size_t i = 0; i < text.size();) {
        const std::size_t at = i;
        const char32_t cp = next_code_point(text, i);
        if (is_word_char(cp)) {
            if (start == std::string_view::npos) start = at;
        } else {
            finish_word(at);
        }
    }
    finish_word(text.size());
    return best;
}

std::optional<double> run_heuristic(const Heuristic& h, const HeuristicInput& in,
                                    std::string& detail) {
    const Submission& s = in.submission;
    const Context& c = in.context;
    switch (h.kind) {
        case HeuristicKind::link_count: {
            const auto n = static_cast<std::int64_t>(in.links.size());
            if (n < h.min) return std::nullopt;
            detail = std::to_string(n) + (n == 1 ? " link" : " links");
            return h.score;
        }
        case HeuristicKind::url_or_email_in_name: {
            if (!looks_like_url_or_email(s.name)) return std::nullopt;
            detail = std::string(truncate_utf8(s.name, 80));
            return h.score;
        }
        case HeuristicKind::caps_ratio: {
            const CapsMeasure m = measure_caps(s.body);
            if (m.letters == 0 || m.letters < h.min_letters) return std::nullopt;
            const double ratio = static_cast<double>(m.upper) / static_cast<double>(m.letters);
            if (ratio < h.min_ratio) return std::nullopt;
            detail =
                "capitals " + format_ratio(ratio) + " of " + std::to_string(m.letters) + " letters";
            return h.score;
        }
        case HeuristicKind::repeated_chars: {
            const std::int64_t run = longest_char_run(s.body);
            if (run < h.min_run) return std::nullopt;
            detail = "same character " + std::to_string(run) + " times in a row";
            return h.score;
        }
        case HeuristicKind::repeated_words: {
            const std::int64_t run = longest_word_repeat(s.body);
            if (run < h.min_repeats) return std::nullopt;
            detail = "same word " + std::to_string(run) + " times in a row";
            return h.score;
        }
        case HeuristicKind::body_length: {
            const auto n = static_cast<std::int64_t>(count_code_points(s.body));
            if (n < h.min) {
                detail = std::to_string(n) + " characters, fewer than " + std::to_string(h.min);
                return h.score;
            }
            if (h.max > 0 && n > h.max) {
                detail = std::to_string(n) + " characters, more than " + std::to_string(h.max);
                return h.score;
            }
            return std::nullopt;
        }
        case HeuristicKind::honeypot: {
            if (s.honeypot.empty()) return std::nullopt;
            detail = "hidden field filled: " + std::string(truncate_utf8(s.honeypot, 40));
            return h.score;
        }
        case HeuristicKind::time_trap: {
            if (!c.form_rendered_at) {
                if (h.score_missing == 0.0) return std::nullopt;
                detail = "no valid form token";
                return h.score_missing;
            }
            const std::int64_t elapsed = in.now - *c.form_rendered_at;
            if (elapsed >= h.min_seconds) return std::nullopt;
            detail = "posted " + std::to_string(elapsed) + " s after the form was shown";
            return h.score;
        }
        case HeuristicKind::flood: {
            const int most = std::max(c.same_ip_recent, c.same_email_recent);
            if (most + 1 <= h.max) return std::nullopt;
            detail = std::to_string(most + 1) + " comments within " +
                     std::to_string(h.window_seconds) + " s from one " +
                     (c.same_ip_recent >= c.same_email_recent ? "IP" : "e-mail");
            return h.score;
        }
        case HeuristicKind::duplicate_body: {
            if (!c.duplicate_body) return std::nullopt;
            detail = "same text already posted";
            return h.score;
        }
        case HeuristicKind::blocked_domain:
        case HeuristicKind::disposable_email: {
            if (!h.domains) return std::nullopt;
            const std::string_view host = blocked_host(h, in);
            if (host.empty()) return std::nullopt;
            detail = std::string(truncate_utf8(host, 80));
            return h.score;
        }
        case HeuristicKind::script_mix: {
            std::uint32_t wanted = 0;
            for (const Script script : h.scripts)
                wanted |= 1u << static_cast<unsigned>(script);
            std::int64_t letters = 0;
            std::int64_t counted = 0;
            for (std::size_t i = 0; i < s.body.size();) {
                const Script script = script_of(next_code_point(s.body, i));
                if (script == Script::other) continue;
                ++letters;
                counted += (wanted >> static_cast<unsigned>(script)) & 1u;
            }
            if (letters == 0 || letters < h.min_letters) return std::nullopt;
            const double ratio = static_cast<double>(counted) / static_cast<double>(letters);
            if (counted == 0 || ratio < h.min_ratio) return std::nullopt;
            detail = "share " + format_ratio(ratio) + " of " + std::to_string(letters) + " letters";
            return h.score;
        }
        case HeuristicKind::known_author: {
            if (c.author_approved < h.min_approved) return std::nullopt;
            detail = std::to_string(c.author_approved) + " approved comments";
            return h.score;
        }
    }
    return std::nullopt;
}

}  // namespace vokter::core
