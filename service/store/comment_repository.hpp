#pragma once
// SQL for comments and threads, as named functions over a Connection. Readers take a read
// connection from Store::read(); writers run inside Writer::run(). Times are Unix milliseconds.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/context.hpp"
#include "core/submission.hpp"
#include "core/verdict.hpp"
#include "store/database.hpp"

namespace vokter::store {

// Comment statuses as stored.
inline constexpr const char* kApproved = "approved";
inline constexpr const char* kPending = "pending";
inline constexpr const char* kSpam = "spam";
inline constexpr const char* kRejected = "rejected";
inline constexpr const char* kDeleted = "deleted";

struct ThreadInfo {
    std::int64_t id = 0;
    std::string uri;
    std::string title;
    bool closed = false;
    std::int64_t approved = 0;  // approved comments, kept by triggers (schema 5)
};

// What a reply needs to know about the comment it answers.
struct ParentInfo {
    std::int64_t id = 0;
    std::optional<std::int64_t> parent;
    std::int64_t root_id = 0;
    int depth = 0;
    std::string thread_uri;
    std::string status;
};

struct NewComment {
    core::Submission submission;  // thread must already be normalised
    // The thread's id when the caller has seen it stored with nothing to update (its title set,
    // or none given); empty: insert_comment creates the thread or sets its title first.
    std::optional<std::int64_t> thread_id;
    std::optional<std::int64_t> root_id;  // of the parent's tree; empty for a top-level comment
    int depth = 0;
    core::Verdict verdict;
    std::string status;
    std::string source = "api";
    std::string edit_token_hash;  // SHA-256 bytes; empty for none
    std::int64_t edit_until = 0;
    std::int64_t created = 0;
    std::int64_t updated = 0;        // 0: when created
    std::optional<std::int64_t> id;  // an id to keep (moving a Vokter database); free
};

struct StoredComment {
    std::int64_t id = 0;
    std::string thread;
    std::optional<std::int64_t> parent;
    std::int64_t root_id = 0;
    int depth = 0;
    std::string name, email, website, body, ip, user_agent, referrer;
    std::string status;
    double score = 0;
    std::string ruleset_version;
    std::string source;
    std::string edit_token_hash;
    std::int64_t edit_until = 0;
    std::int64_t created = 0;
    std::int64_t updated = 0;
};

// A comment as the public sees it, with its approved replies.
struct PublicComment {
    std::int64_t id = 0;
    std::optional<std::int64_t> parent;
    std::string name, website, body;
    std::int64_t created = 0;
    std::int64_t updated = 0;  // when last edited (created when never)
    bool edited = false;
    bool removed = false;  // a deleted or hidden comment kept so its replies keep their place
    std::vector<PublicComment> replies;
};

enum class SortOrder { oldest, newest };

// Position after the last top-level comment of a page.
struct ThreadCursor {
    std::int64_t created = 0;
    std::int64_t id = 0;
};

struct ThreadPage {
    std::int64_t total = 0;  // approved comments in the thread, replies included
    std::vector<PublicComment> comments;
    std::optional<ThreadCursor> next;
};

// --- Reading ---------------------------------------------------------------------------------

// The columns read_stored_comment() reads, for a comment `c` joined with its thread `t`:
// "SELECT " VOKTER_STORED_COMMENT_COLUMNS " FROM comments c JOIN threads t ON …". Further
// columns may follow them.
#define VOKTER_STORED_COMMENT_COLUMNS                                                           \
    "c.id, t.uri, c.parent_id, COALESCE(c.root_id, c.id), c.depth, c.name, c.email, "           \
    "c.website, c.body, c.ip, c.user_agent, c.referrer, c.status, c.score, c.ruleset_version, " \
    "c.source, c.edit_token_hash, c.edit_until, c.created, c.updated"
inline constexpr int kStoredCommentColumnCount = 20;

// The comment in the current row of a statement that selects VOKTER_STORED_COMMENT_COLUMNS.
StoredComment read_stored_comment(const Statement& row);

std::optional<ThreadInfo> find_thread(Connection& db, const std::string& uri);
std::optional<ParentInfo> find_parent(Connection& db, std::int64_t id);
std::optional<StoredComment> find_comment(Connection& db, std::int64_t id);

// The facts the rules need about `submission`, looking back from `now_ms` over `windows`.
// Counts saturate at windows.count_limit: the rules only compare them with small limits, and a
// flood of thousands of comments from one address must not make every later look-up slower.
// `exclude_id` leaves one stored comment out (the comment itself, when it is being edited).
core::Context gather_context(Connection& db, const core::Submission& submission,
                             const core::FactWindows& windows, std::int64_t now_ms,
                             std::int64_t exclude_id = 0);

// True when the same normalised body was stored in the same thread from the same IP or email at
// or after `since_ms`: a resubmission (double click, reload) rather than a new comment.
bool is_resubmission(Connection& db, const core::Submission& submission, std::int64_t since_ms);

// What checking a new comment reads before its verdict: its thread (none if the page has no
// comments yet), is_resubmission(submission, resubmission_since_ms) and gather_context(). On
// PostgreSQL in one statement: one round trip to the server instead of three.
struct SubmissionFacts {
    std::optional<ThreadInfo> thread;
    bool resubmission = false;
    core::Context context;
};
SubmissionFacts submission_facts(Connection& db, const core::Submission& submission,
                                 std::int64_t resubmission_since_ms,
                                 const core::FactWindows& windows, std::int64_t now_ms);

// One page of a thread's approved comments: `limit` top-level comments after `after`, each with
// all its approved replies (oldest first) as a tree.
ThreadPage thread_page(Connection& db, const std::string& uri, SortOrder sort, int limit,
                       const std::optional<ThreadCursor>& after);

// Approved comments per thread URI; unknown threads count 0.
std::vector<std::pair<std::string, std::int64_t>> approved_counts(
    Connection& db, const std::vector<std::string>& uris);

std::vector<core::Hit> comment_hits(Connection& db, std::int64_t id);

// True when an approved comment replies to comment `id`.
bool has_approved_replies(Connection& db, std::int64_t id);

// --- Writing (inside Writer::run) ------------------------------------------------------------
// Creates the thread when missing; returns its row. A given non-empty title is stored when the
// thread has none yet.
ThreadInfo ensure_thread(Connection& db, const std::string& uri, const std::string& title,
                         std::int64_t now_ms);

// Stores the comment and its rule hits; returns its id.
std::int64_t insert_comment(Connection& db, const NewComment& comment);

// Makes the ids up to `through` ones the database never gives a new comment by itself, for
// comments that keep their ids (NewComment::id). SQLite gives the largest id plus one, so this
// changes nothing there; PostgreSQL's identity column is moved past `through`. insert_comment
// does this for each id kept; an import reserves the ids of a whole export first, so that
// comments posted meanwhile take none of them.
void reserve_comment_ids(Connection& db, std::int64_t through);

// Replaces a comment's editable fields and its verdict after an edit; returns false when the
// comment does not exist.
bool update_comment(Connection& db, std::int64_t id, const core::Submission& edited,
                    const core::Verdict& verdict, const std::string& status, std::int64_t now_ms);

// Erases a comment's personal data and body but keeps a tombstone row ('deleted') so that its
// replies keep their place. Returns false when the comment does not exist.
bool tombstone_comment(Connection& db, std::int64_t id, std::int64_t now_ms);

bool set_thread_closed(Connection& db, const std::string& uri, bool closed);

// Small settings the service keeps (signing keys, …).
std::optional<std::string> get_setting(Connection& db, const std::string& key);
void put_setting(Connection& db, const std::string& key, const std::string& value);

}  // namespace vokter::store
