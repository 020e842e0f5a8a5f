#pragma once
// JSON encodings of what the moderator API returns. Unlike the public encodings these carry
// personal data (emails, IPs) and the rules' reasons: only authenticated moderators get them.

#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>

#include "core/rule_set.hpp"
#include "store/moderation_repository.hpp"
#include "store/moderation_stats.hpp"
#include "store/personal_data.hpp"

namespace vokter::http {

// {id, thread, parent, parent_excerpt, name, email, website, ip, user_agent, body, created,
//  status, score, hits: [{rule, score, field, detail}], ruleset_version}
nlohmann::json moderation_item_json(const store::ModerationItem& item);

// {id, comment, moderator, action, old_status, new_status, note, created}; a rules entry
// (comment null) names its versions old_version and new_version instead of the statuses, and
// an entry about no one comment (a personal-data export or an erasure of reports) neither.
nlohmann::json log_entry_json(const store::LogEntry& entry);

nlohmann::json stats_json(const store::ModerationStats& stats, std::int64_t now_ms);

// A reader's data (GDPR art. 15): {email, exported, comments: [{id, thread, parent, name, email,
// website, body, ip, user_agent, referrer, status, source, created, updated}], akismet_reports:
// [{id, label, comment, blog, permalink, comment_type, name, email, website, body, ip,
// user_agent, referrer, created}], kept_elsewhere}. Times are ISO 8601 UTC.
nlohmann::json personal_data_json(const store::PersonalData& data, const std::string& email,
                                  std::int64_t now_ms);

// Per-rule summaries for GET /api/rules.
nlohmann::json rule_summaries_json(const core::Ruleset& ruleset);

// Opaque queue cursors, bound to their sort: "s_<score>_<id>", "n_<created>_<id>",
// "o_<created>_<id>". parse_queue_cursor returns empty for a malformed cursor or one made for
// another sort.
std::string format_queue_cursor(store::QueueSort sort, const store::QueueCursor& cursor);
std::optional<store::QueueCursor> parse_queue_cursor(store::QueueSort sort, std::string_view text);

}  // namespace vokter::http
