#include "app/notify/message.hpp"

#include <unicode/utf8.h>

#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "http/log.hpp"

namespace vokter::app::notify {

namespace {

constexpr std::int32_t kExcerptChars = 140;

// The first kExcerptChars characters of `body` on one line, "…" when there was more.
std::string excerpt(const std::string& body) {
    std::string flat;
    for (const char c : body)
        flat += (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
    std::int32_t at = 0;
    const auto length = static_cast<std::int32_t>(flat.size());
    U8_FWD_N(flat.data(), at, length, kExcerptChars);
    if (at >= length) return flat;
    return flat.substr(0, static_cast<std::size_t>(at)) + "…";
}

std::string score_text(double score) {
    char text[32];
    std::snprintf(text, sizeof text, "%g", std::round(score * 10) / 10);
    return text;
}

std::string joined(const std::vector<std::string>& items) {
    std::string text;
    for (const std::string& item : items)
        text += (text.empty() ? "" : ", ") + item;
    return text;
}

// What a reader wrote, as Slack and Teams must show it: their texts take <…> for links and
// mentions (<!channel> would call every moderator), so &, < and > are written as entities.
std::string shown(const std::string& text) {
    std::string out;
    for (const char c : text) {
        if (c == '&') {
            out += "&amp;";
        } else if (c == '<') {
            out += "&lt;";
        } else if (c == '>') {
            out += "&gt;";
        } else {
            out += c;
        }
    }
    return out;
}

// `text`, or its first `bytes` bytes and "…".
std::string cut(const std::string& text, std::size_t bytes) {
    return text.size() <= bytes ? text : utf8_prefix(text, bytes) + "…";
}

std::string author(const store::StoredComment& c) {
    return c.name.empty() ? std::string("an anonymous reader") : c.name;
}

}  // namespace

std::string utf8_prefix(const std::string& text, std::size_t bytes) {
    if (text.size() <= bytes) return text;
    while (bytes > 0 && (static_cast<unsigned char>(text[bytes]) & 0xC0) == 0x80)
        --bytes;
    return text.substr(0, bytes);
}

std::string moderation_link(const std::string& public_url, std::int64_t id) {
    return public_url + "/moderate#comment-" + std::to_string(id);
}

std::string event_text(const EventView& event, const std::string& public_url, int burst_minutes) {
    const store::Delivery& d = event.delivery;
    if (d.kind == store::kEventSpamBurst) {
        return "Vokter: a burst of spam, " + d.detail + " comments filed as spam within " +
               std::to_string(burst_minutes) + " minutes. " + public_url + "/moderate#stats";
    }
    if (d.kind == store::kEventRulesFailed) {
        return "Vokter: a rule file was refused, the rules in force stay: " + shown(d.detail) +
               " " + public_url + "/moderate#rules";
    }
    const bool held = d.kind == store::kEventHeld;
    if (!event.comment) {
        return std::string("Vokter: a comment was ") +
               (held ? "held for a moderator" : "filed as spam") + " and has since been removed.";
    }
    const store::StoredComment& c = *event.comment;
    std::string text = "Vokter: a comment by " + shown(author(c)) + " on " + shown(c.thread) +
                       (held ? " waits for a moderator" : " was filed as spam") + " (score " +
                       score_text(c.score);
    if (!event.rules.empty()) text += ": " + shown(joined(event.rules));
    text += "): “" + shown(excerpt(c.body)) + "” " + moderation_link(public_url, c.id);
    return text;
}

std::string webhook_body(const EventView& event, const std::string& public_url, int burst_minutes) {
    const store::Delivery& d = event.delivery;
    nlohmann::ordered_json doc = {{"id", d.event_id},
                                  {"event", d.kind},
                                  {"created", http::iso_time(d.created)},
                                  {"text", event_text(event, public_url, burst_minutes)}};
    if (d.kind == store::kEventSpamBurst) {
        doc["count"] = std::stoll(d.detail.empty() ? "0" : d.detail);
        doc["minutes"] = burst_minutes;
    } else if (d.kind == store::kEventRulesFailed) {
        doc["errors"] = d.detail;
    } else if (event.comment) {
        const store::StoredComment& c = *event.comment;
        doc["comment"] = {{"id", c.id},           {"thread", c.thread},
                          {"name", c.name},       {"excerpt", excerpt(c.body)},
                          {"status", c.status},   {"score", c.score},
                          {"rules", event.rules}, {"url", moderation_link(public_url, c.id)}};
    } else if (d.comment_id) {
        doc["comment"] = {{"id", *d.comment_id}, {"status", "removed"}};
    }
    return doc.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

MailMessage mail_for(const std::vector<EventView>& events, const std::string& public_url,
                     int burst_minutes, const std::string& from,
                     const std::vector<std::string>& to) {
    MailMessage message;
    message.from = from;
    message.to = to;
    if (events.size() == 1) {
        const EventView& e = events.front();
        const std::string& kind = e.delivery.kind;
        message.subject = kind == store::kEventSpamBurst     ? "Vokter: a burst of spam"
                          : kind == store::kEventRulesFailed ? "Vokter: a rule file was refused"
                          : e.comment ? "Vokter: a comment by " + cut(author(*e.comment), 60) +
                                            " waits on " + cut(e.comment->thread, 80)
                                      : "Vokter: a comment waits for a moderator";
    } else {
        message.subject = "Vokter: " + std::to_string(events.size()) + " notifications";
    }
    for (const EventView& e : events)
        message.text += event_text(e, public_url, burst_minutes) + "\n\n";
    message.text += "The moderation queue: " + public_url + "/moderate\n";
    return message;
}

}  // namespace vokter::app::notify
