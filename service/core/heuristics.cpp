#include "core/heuristics.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <utility>

#include "core/language.hpp"
#include "core/text.hpp"

namespace vokter::core {

namespace {

constexpr std::array<std::pair<std::string_view, HeuristicKind>, 18> kKinds = {{
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
    {"language", HeuristicKind::language},
    {"keyword_name", HeuristicKind::keyword_name},
    {"generic_praise", HeuristicKind::generic_praise},
    {"classifier", HeuristicKind::classifier},
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

// The longest run of one word in a row among `words`.
std::int64_t longest_repeat(std::span<const std::string_view> words) {
    std::int64_t best = 0;
    std::int64_t run = 0;
    std::string_view prev;
    for (const std::string_view word : words) {
        run = word == prev ? run + 1 : 1;
        best = std::max(best, run);
        prev = word;
    }
    return best;
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

// The first host of `h.fields` found in `h.domains`, or an empty view.
std::string_view blocked_host(const Heuristic& h, const HeuristicInput& in) {
    for (const Field field : h.fields) {
        if (field == Field::links) {
            for (const Link& link : in.links) {
                if (h.domains->contains(link.host)) return link.host;
            }
        } else if (field == Field::website) {
            const std::string_view host = url_host(in.submission.website);
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
    const NormalisedText normalised = normalise(text);
    return longest_repeat(words(normalised.folded));
}

// --- Helpers of the language, keyword_name and generic_praise heuristics ----------------------
namespace {

std::int64_t count_letters(std::string_view text) {
    std::int64_t letters = 0;
    for (std::size_t i = 0; i < text.size();) {
        if (script_of(next_code_point(text, i)) != Script::other) ++letters;
    }
    return letters;
}

// `body` with the text of each of its links (views into it) blanked out, so that host names and
// paths do not count as words of a language.
std::string without_links(std::string_view body, std::span<const Link> links) {
    std::string out(body);
    for (const Link& link : links) {
        if (link.text.data() < body.data() ||
            link.text.data() + link.text.size() > body.data() + body.size())
            continue;
        const auto at = static_cast<std::size_t>(link.text.data() - body.data());
        out.replace(at, link.text.size(), link.text.size(), ' ');
    }
    return out;
}

// True when the name's words, joined, spell one label of the website's host (hyphens ignored,
// the top-level domain left out): "Best Car To Buy" and www.best-car-to-buy.example.
bool name_spells_host(std::span<const std::string_view> name_words, std::string_view website) {
    std::string joined;
    for (const std::string_view word : name_words) {
        for (const char c : word) {
            if (c != '-' && c != '\'') joined += c;
        }
    }
    if (joined.size() < 4) return false;
    const std::string host = ascii_lower(url_host(website));
    std::string_view rest = host;
    const std::size_t tld = rest.rfind('.');
    if (tld == std::string_view::npos) return false;
    rest = rest.substr(0, tld);
    while (!rest.empty()) {
        const std::size_t dot = rest.find('.');
        std::string label(rest.substr(0, dot));
        label.erase(std::remove(label.begin(), label.end(), '-'), label.end());
        if (label == joined) return true;
        if (dot == std::string_view::npos) break;
        rest.remove_prefix(dot + 1);
    }
    return false;
}

// Words that say nothing about a post's topic: English and Norwegian function words of three or
// more letters, sorted by bytes (binary_search).
constexpr std::array<std::string_view, 124> kStopWords = {{
    "about", "after", "all",     "alle",    "also",  "and",   "any",   "are",   "bare",  "been",
    "ble",   "blir",  "but",     "can",     "could", "den",   "denne", "der",   "deres", "det",
    "dette", "did",   "din",     "dine",    "disse", "ditt",  "does",  "eller", "ene",   "enn",
    "ett",   "etter", "for",     "fra",     "from",  "get",   "got",   "had",   "han",   "har",
    "has",   "have",  "her",     "here",    "hers",  "him",   "his",   "how",   "hun",   "hva",
    "hvem",  "hvor",  "hvordan", "hvorfor", "ikke",  "into",  "its",   "jeg",   "just",  "kan",
    "man",   "med",   "meg",     "men",     "mer",   "min",   "mine",  "mitt",  "more",  "most",
    "much",  "mye",   "nei",     "noe",     "noen",  "not",   "now",   "når",   "også",  "one",
    "only",  "our",   "out",     "over",    "seg",   "she",   "sin",   "sine",  "sitt",  "skal",
    "som",   "such",  "than",    "that",    "the",   "their", "them",  "then",  "there", "these",
    "they",  "this",  "those",   "til",     "under", "var",   "very",  "vil",   "vår",   "være",
    "vært",  "was",   "were",    "what",    "when",  "where", "which", "who",   "why",   "will",
    "with",  "would", "you",     "your",
}};
static_assert(std::is_sorted(kStopWords.begin(), kStopWords.end()));

// Words of a topic: at least three letters, not a stop word.
bool is_content_word(std::string_view word) {
    if (count_code_points(word) < 3) return false;
    return !std::binary_search(kStopWords.begin(), kStopWords.end(), word);
}

// Two words share a stem when they are equal, when the shorter has four or more characters and
// begins the longer ("design" and "designs", "oppskrift" and "oppskriften"), or when it has five
// or more and appears inside the longer, as in a compound ("punkt" and "læringspunkter").
bool share_stem(std::string_view a, std::string_view b) {
    if (a.size() > b.size()) std::swap(a, b);
    if (a == b) return true;
    const std::size_t length = count_code_points(a);
    return (length >= 4 && b.starts_with(a)) ||
           (length >= 5 && b.find(a) != std::string_view::npos);
}

// The words of the thread's last path segment ("/blogg/fem-laeringspunkter/" -> fem,
// laeringspunkter), folded.
NormalisedText thread_slug(std::string_view thread) {
    thread = thread.substr(0, thread.find_first_of("?#"));
    while (!thread.empty() && thread.back() == '/')
        thread.remove_suffix(1);
    std::string slug(thread.substr(thread.rfind('/') + 1));
    for (char& c : slug) {
        if (c == '-' || c == '_' || c == '.' || c == '+') c = ' ';
    }
    return normalise(slug);
}

}  // namespace

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
            const std::int64_t run = longest_repeat(in.body_words);
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
        case HeuristicKind::language: {
            const std::string text = without_links(s.body, in.links);
            if (count_letters(text) < h.min_letters) return std::nullopt;
            const LanguageGuess guess = detect_language(text);
            if (!guess.reliable || guess.code == "un" ||
                std::binary_search(h.languages.begin(), h.languages.end(), guess.code))
                return std::nullopt;
            detail =
                "language " + guess.code + ", " + std::to_string(guess.percent) + "% of the text";
            return h.score;
        }
        case HeuristicKind::keyword_name: {
            if (h.require_website && s.website.empty()) return std::nullopt;
            const std::span<const std::string_view> name = in.name_words;
            if (name.empty()) return std::nullopt;
            if (h.phrases) {
                if (const auto found = h.phrases->find(name)) {
                    detail = "name has '" + std::string(truncate_utf8(*found, 60)) + "'";
                    return h.score;
                }
            }
            if (h.min_words > 0 && static_cast<std::int64_t>(name.size()) >= h.min_words) {
                detail = "name of " + std::to_string(name.size()) + " words";
                return h.score;
            }
            if (h.match_website && name.size() >= 2 && name_spells_host(name, s.website)) {
                detail = "name spells the website " +
                         std::string(truncate_utf8(url_host(s.website), 60));
                return h.score;
            }
            return std::nullopt;
        }
        case HeuristicKind::classifier:
            return run_classifier(
                h.classifier, in.context.classifier.get(),
                FeatureSource{s, in.normalised, in.body_words, in.name_words, in.links}, detail);
        case HeuristicKind::generic_praise: {
            if (h.require_website && s.website.empty()) return std::nullopt;
            if (!h.phrases) return std::nullopt;
            const std::span<const std::string_view> body = in.body_words;
            if (body.empty() || static_cast<std::int64_t>(body.size()) > h.max_words)
                return std::nullopt;
            const auto found = h.phrases->find(body);
            if (!found) return std::nullopt;
            // Off topic: no content word of the body shares a stem with one of the title or
            // of the thread's last path segment.
            const NormalisedText slug = thread_slug(s.thread);
            std::vector<std::string_view> topic = words(in.normalised.title.folded);
            const std::vector<std::string_view> slug_words = words(slug.folded);
            topic.insert(topic.end(), slug_words.begin(), slug_words.end());
            std::erase_if(topic, [](std::string_view w) { return !is_content_word(w); });
            for (const std::string_view word : body) {
                if (!is_content_word(word)) continue;
                for (const std::string_view t : topic) {
                    if (share_stem(word, t)) return std::nullopt;
                }
            }
            detail = "'" + std::string(truncate_utf8(*found, 60)) + "', " +
                     (topic.empty() ? "no title to compare" : "no word of the title");
            return h.score;
        }
    }
    return std::nullopt;
}

}  // namespace vokter::core
