#pragma once
// SQL for moderators' work: the queue, one comment with its history, decisions and the audit
// log. Readers take a connection from Store::read(); writers run inside Writer::run(). Times are
// Unix milliseconds.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/verdict.hpp"
#include "store/comment_repository.hpp"
#include "store/database.hpp"

namespace vokter::store {

// A comment as a moderator sees it: everything stored, the start of the comment it answers, and
// every rule hit.
struct ModerationItem {
    StoredComment comment;
    std::string parent_excerpt;  // first 140 characters of the parent's body; "" for top level
    std::vector<core::Hit> hits;
};

enum class QueueSort { score, newest, oldest };

// Position after the last item of a queue page. For QueueSort::score `score` orders, for the
// other sorts `created` does; `id` breaks ties.
struct QueueCursor {
    double score = 0;
    std::int64_t created = 0;
    std::int64_t id = 0;
};

struct QueueQuery {
    std::string status = kPending;      // approved, pending, spam or rejected
    std::optional<std::string> thread;  // normalised thread URI
    std::optional<std::string> text;    // matched as a substring of body, name, email or website
    QueueSort sort = QueueSort::score;
    int limit = 50;
    std::optional<QueueCursor> after;
};

struct QueuePage {
    std::vector<ModerationItem> items;
    std::optional<QueueCursor> next;  // empty on the last page
};

// One page of the queue in keyset order: score (score DESC, id DESC), newest (created DESC,
// id DESC) or oldest (created ASC, id ASC). Comments added while a moderator pages through never
// make a later page skip or repeat a comment. An unknown thread gives an empty page.
QueuePage queue_page(Connection& db, const QueueQuery& query);

// One comment with its parent excerpt and hits, or empty when there is no such comment.
std::optional<ModerationItem> moderation_item(Connection& db, std::int64_t id);

// --- The audit log -----------------------------------------------------------------------------
// Actions: approve, reject, spam, delete (comment_id set; statuses before and after) and
// rules.replace, rules.reload (comment_id empty; old_status and new_status hold the ruleset
// versions before and after).
struct LogEntry {
    std::int64_t id = 0;
    std::optional<std::int64_t> comment_id;
    std::string moderator;
    std::string action;
    std::string old_status;
    std::string new_status;
    std::string note;
    std::int64_t created = 0;
};

// Appends one entry (its id is ignored); returns the new entry's id. Inside Writer::run().
std::int64_t append_log(Connection& db, const LogEntry& entry);

// Every entry about comment `id`, oldest first.
std::vector<LogEntry> comment_history(Connection& db, std::int64_t id);

struct LogQuery {
    std::optional<std::string> moderator;
    std::optional<std::int64_t> comment_id;
    std::optional<std::int64_t> before_id;  // the cursor: entries with a smaller id
    int limit = 50;
};

struct LogPage {
    std::vector<LogEntry> entries;  // newest first
    std::optional<std::int64_t> next_before_id;
};

LogPage log_page(Connection& db, const LogQuery& query);

// --- Decisions (inside Writer::run) ----------------------------------------------------------
enum class Decision { approve, reject, spam, remove };

// "approve" -> Decision::approve, …, "delete" -> Decision::remove; empty for anything else.
std::optional<Decision> decision_from(std::string_view action);
std::string_view action_name(Decision decision);   // "approve", "reject", "spam", "delete"
std::string_view status_after(Decision decision);  // "approved", "rejected", "spam", "deleted"

struct DecisionOutcome {
    std::int64_t id = 0;
    bool ok = false;
    std::string old_status;
    std::string new_status;
    std::string error;  // set when !ok
};

// Applies `decision` to comment `id` and logs it under `moderator`. Idempotent: a comment that
// already has the target status is left alone and nothing is logged. Approve and spam also
// teach the classifier (ham, spam) in the same transaction, also when they confirm the status
// the rules gave; call Store::training_enqueued() after the commit. A deleted comment can only
// be deleted again. Delete erases the personal data and the body (and the text of its rule hits)
// and keeps a 'deleted' tombstone so its replies keep their place. Never throws for an unknown
// id (the outcome says so); throws StoreError when the database fails.
DecisionOutcome apply_decision(Connection& db, std::int64_t id, Decision decision,
                               const std::string& moderator, const std::string& note,
                               std::int64_t now_ms);

// apply_decision for every id (a repeated id is decided once and answered each time). Rows are
// visited in ascending id order, so neighbouring comments share page reads and writes; the
// outcomes come back in the order of `ids`.
std::vector<DecisionOutcome> apply_decisions(Connection& db, const std::vector<std::int64_t>& ids,
                                             Decision decision, const std::string& moderator,
                                             const std::string& note, std::int64_t now_ms);

// --- Re-scoring ------------------------------------------------------------------------------
// The `limit` most recently created comments that still have a body (not deleted), newest
// first, for dry runs of a candidate rule file.
std::vector<StoredComment> recent_comments(Connection& db, int limit);

}  // namespace vokter::store
