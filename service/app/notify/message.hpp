#pragma once
// What a notification says: the webhook's JSON document, with a `text` line that Slack and
// Microsoft Teams incoming webhooks show as it is, and the moderators' e-mail. A comment event
// shows the comment as it is when the message is made (its status may have changed since it was
// held); names and excerpts only, never an e-mail address, an IP or a user agent. In `text`, what
// a reader wrote has &, < and > as entities: Slack and Teams read <…> as links and mentions.
//
//   {"id": 17, "event": "comment.held", "created": "2026-12-04T18:27:50Z",
//    "text": "Vokter: a comment by Kari on /blogg/tur waits for a moderator (score 6: HOLD_WORD):
//             “Kjøp billige …” https://comments.example/moderate#comment-42",
//    "comment": {"id": 42, "thread": "/blogg/tur", "name": "Kari", "excerpt": "Kjøp billige …",
//                "status": "pending", "score": 6.0, "rules": ["HOLD_WORD"],
//                "url": "https://comments.example/moderate#comment-42"}}
//
// spam.burst adds {"count": 20, "minutes": 10}; rules.failed adds {"errors": "…"}.

#include <optional>
#include <string>
#include <vector>

#include "app/notify/transport.hpp"
#include "store/comment_repository.hpp"
#include "store/notifications.hpp"

namespace vokter::app::notify {

struct EventView {
    store::Delivery delivery;
    std::optional<store::StoredComment> comment;  // comment events, while the comment exists
    std::vector<std::string> rules;               // the rule ids that hit it
};

// At most `bytes` bytes of `text`, cut at a character's start (a cut character would make the
// text invalid UTF-8, which PostgreSQL refuses).
std::string utf8_prefix(const std::string& text, std::size_t bytes);

// Where the moderator page shows comment `id`: public_url + "/moderate#comment-ID".
std::string moderation_link(const std::string& public_url, std::int64_t id);

// One line for a person: what happened, where, why, and the link.
std::string event_text(const EventView& event, const std::string& public_url, int burst_minutes);

// The webhook's JSON document (above).
std::string webhook_body(const EventView& event, const std::string& public_url, int burst_minutes);

// One message for `events` (one, or a digest's), from `from` to `to`.
MailMessage mail_for(const std::vector<EventView>& events, const std::string& public_url,
                     int burst_minutes, const std::string& from,
                     const std::vector<std::string>& to);

}  // namespace vokter::app::notify
