#include "store/moderation_repository.hpp"

#include <algorithm>
#include <cfloat>
#include <cstdint>
#include <unordered_map>

#include "store/classifier/classifier_repository.hpp"

namespace vokter::store {

namespace {

// The columns of a moderation item, in the order read_item() reads them. `c` is the comment,
// `t` its thread and `p` its parent (LEFT JOIN).
#define VOKTER_ITEM_SELECT                                  \
    "SELECT " VOKTER_STORED_COMMENT_COLUMNS                 \
    ", substr(p.body, 1, 140) "                             \
    "FROM comments c JOIN threads t ON t.id = c.thread_id " \
    "LEFT JOIN comments p ON p.id = c.parent_id "

// Free text over the author fields and the body, case folded; ?4 is a LIKE pattern or NULL for
// none. LIKE names the operator: LIKE in SQLite (which folds ASCII case), ILIKE in PostgreSQL
// (whose LIKE folds none).
#define VOKTER_TEXT_FILTER(LIKE)                                                       \
    " AND (CAST(?4 AS TEXT) IS NULL OR c.body " LIKE " ?4 ESCAPE '\\' OR c.name " LIKE \
    " ?4 ESCAPE '\\' OR c.email " LIKE " ?4 ESCAPE '\\' OR c.website " LIKE " ?4 ESCAPE '\\') "

// ?1 status, ?2 and ?3 the cursor, ?4 the text pattern, ?5 the limit, ?6 the thread id.
#define VOKTER_BY_SCORE " AND (c.score, c.id) < (?2, ?3) "
#define VOKTER_BY_NEWEST " AND (c.created, c.id) < (?2, ?3) "
#define VOKTER_BY_OLDEST " AND (c.created, c.id) > (?2, ?3) "
#define VOKTER_ORDER_SCORE "ORDER BY c.score DESC, c.id DESC LIMIT ?5"
#define VOKTER_ORDER_NEWEST "ORDER BY c.created DESC, c.id DESC LIMIT ?5"
#define VOKTER_ORDER_OLDEST "ORDER BY c.created, c.id LIMIT ?5"

// The queue statements of one dialect: one per sort, without and with a thread filter, and the
// two of a thread's queue by score.
struct QueueStatements {
    const char* queue[3][2];
    const char* thread_by_score_undecided;
    const char* thread_by_score_approved;
};

// One statement per sort, without and with a thread filter: static text, so each is prepared
// once per connection, and each lets SQLite pick the index that serves it (queue indexes of
// schema 1 without a thread; with one, comments_thread_created of schema 5 in time order with the
// status checked by row, the CAST of c.status keeping SQLite from walking that status's queue
// index across every thread instead). A thread's queue by score has two statements:
// - for a status other than approved, naming the condition of the partial index
//   comments_thread_queue_score (schema 4) is what lets SQLite use it;
// - the approved comments of a thread by score have no index in that order, so the thread's
//   comments are read through comments_thread_created and the approved ones sorted. The CAST
//   and the unary pluses keep SQLite from walking comments_queue_score instead, which is in
//   score order but holds every approved comment of every thread (hundreds of milliseconds at a
//   million).
#define VOKTER_QUEUE_STATEMENTS(LIKE)                                                             \
    QueueStatements {                                                                             \
        {{VOKTER_ITEM_SELECT "WHERE c.status = ?1" VOKTER_BY_SCORE VOKTER_TEXT_FILTER(LIKE)       \
              VOKTER_ORDER_SCORE,                                                                 \
          nullptr},                                                                               \
         {VOKTER_ITEM_SELECT "WHERE c.status = ?1" VOKTER_BY_NEWEST VOKTER_TEXT_FILTER(LIKE)      \
              VOKTER_ORDER_NEWEST,                                                                \
          VOKTER_ITEM_SELECT                                                                      \
          "WHERE CAST(c.status AS TEXT) = ?1 AND c.thread_id = ?6" VOKTER_BY_NEWEST               \
              VOKTER_TEXT_FILTER(LIKE) VOKTER_ORDER_NEWEST},                                      \
         {VOKTER_ITEM_SELECT "WHERE c.status = ?1" VOKTER_BY_OLDEST VOKTER_TEXT_FILTER(LIKE)      \
              VOKTER_ORDER_OLDEST,                                                                \
          VOKTER_ITEM_SELECT                                                                      \
          "WHERE CAST(c.status AS TEXT) = ?1 AND c.thread_id = ?6" VOKTER_BY_OLDEST               \
              VOKTER_TEXT_FILTER(LIKE) VOKTER_ORDER_OLDEST}},                                     \
            VOKTER_ITEM_SELECT                                                                    \
            "WHERE c.status = ?1 AND c.status <> 'approved' AND c.thread_id = ?6" VOKTER_BY_SCORE \
            VOKTER_TEXT_FILTER(LIKE) VOKTER_ORDER_SCORE,                                          \
            VOKTER_ITEM_SELECT                                                                    \
            "WHERE CAST(c.status AS TEXT) = ?1 AND c.thread_id = ?6 "                             \
            "AND (+c.score, c.id) < (?2, ?3)" VOKTER_TEXT_FILTER(                                 \
                LIKE) "ORDER BY +c.score DESC, c.id DESC LIMIT ?5"                                \
    }

constexpr QueueStatements kSqliteQueue = VOKTER_QUEUE_STATEMENTS("LIKE");
constexpr QueueStatements kPostgresqlQueue = VOKTER_QUEUE_STATEMENTS("ILIKE");

constexpr const char* kItemSql = VOKTER_ITEM_SELECT "WHERE c.id = ?1";

#undef VOKTER_QUEUE_STATEMENTS
#undef VOKTER_ITEM_SELECT
#undef VOKTER_TEXT_FILTER
#undef VOKTER_BY_SCORE
#undef VOKTER_BY_NEWEST
#undef VOKTER_BY_OLDEST
#undef VOKTER_ORDER_SCORE
#undef VOKTER_ORDER_NEWEST
#undef VOKTER_ORDER_OLDEST

std::optional<std::int64_t> optional_int(const Statement& s, int column) {
    if (s.is_null(column)) return std::nullopt;
    return s.int64(column);
}

ModerationItem read_item(const Statement& s) {
    ModerationItem item;
    item.comment = read_stored_comment(s);
    item.comment.edit_token_hash.clear();  // a moderator has no use for the author's secret
    item.parent_excerpt = s.text(kStoredCommentColumnCount);
    return item;
}

// "%text%" with LIKE's wildcards and the escape character itself escaped.
std::string like_pattern(std::string_view text) {
    std::string pattern = "%";
    for (const char ch : text) {
        if (ch == '%' || ch == '_' || ch == '\\') pattern += '\\';
        pattern += ch;
    }
    return pattern + "%";
}

LogEntry read_log(const Statement& s) {
    LogEntry e;
    e.id = s.int64(0);
    e.comment_id = optional_int(s, 1);
    e.moderator = s.text(2);
    e.action = s.text(3);
    e.old_status = s.text(4);
    e.new_status = s.text(5);
    e.note = s.text(6);
    e.created = s.int64(7);
    return e;
}

#define VOKTER_LOG_SELECT \
    "SELECT id, comment_id, moderator, action, old_status, new_status, note, created "

}  // namespace

QueuePage queue_page(Connection& db, const QueueQuery& query) {
    QueuePage page;
    std::optional<std::int64_t> thread_id;
    if (query.thread) {
        const auto thread = find_thread(db, *query.thread);
        if (!thread) return page;
        thread_id = thread->id;
    }
    const QueueStatements& statements =
        db.dialect() == Dialect::postgresql ? kPostgresqlQueue : kSqliteQueue;
    const int sort = static_cast<int>(query.sort);
    const char* sql = statements.queue[sort][thread_id ? 1 : 0];
    if (query.sort == QueueSort::score && thread_id) {
        sql = query.status == kApproved ? statements.thread_by_score_approved
                                        : statements.thread_by_score_undecided;
    }
    auto& stmt = db.prepare(sql);
    stmt.bind(1, query.status);
    if (query.sort == QueueSort::score) {
        const QueueCursor start = query.after.value_or(QueueCursor{DBL_MAX, 0, INT64_MAX});
        stmt.bind(2, start.score).bind(3, start.id);
    } else {
        const bool oldest = query.sort == QueueSort::oldest;
        const QueueCursor start = query.after.value_or(
            oldest ? QueueCursor{0, INT64_MIN, INT64_MIN} : QueueCursor{0, INT64_MAX, INT64_MAX});
        stmt.bind(2, start.created).bind(3, start.id);
    }
    if (query.text) {
        stmt.bind(4, like_pattern(*query.text));
    } else {
        stmt.bind_null(4);
    }
    stmt.bind(5, query.limit + 1);
    if (thread_id) stmt.bind(6, *thread_id);
    while (stmt.step()) {
        if (static_cast<int>(page.items.size()) == query.limit) {
            const StoredComment& last = page.items.back().comment;
            page.next = QueueCursor{last.score, last.created, last.id};
            break;
        }
        page.items.push_back(read_item(stmt));
    }
    stmt.reset();  // ends the read before the hit look-ups below
    for (auto& item : page.items)
        item.hits = comment_hits(db, item.comment.id);
    return page;
}

std::optional<ModerationItem> moderation_item(Connection& db, std::int64_t id) {
    auto& stmt = db.prepare(kItemSql);
    stmt.bind(1, id);
    if (!stmt.step()) return std::nullopt;
    ModerationItem item = read_item(stmt);
    stmt.reset();
    item.hits = comment_hits(db, id);
    return item;
}

std::int64_t append_log(Connection& db, const LogEntry& entry) {
    auto& stmt = db.prepare(
        "INSERT INTO moderation_log (comment_id, moderator, action, old_status, new_status, "
        "note, created) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id");
    stmt.bind(1, entry.comment_id)
        .bind(2, entry.moderator)
        .bind(3, entry.action)
        .bind(4, entry.old_status)
        .bind(5, entry.new_status)
        .bind(6, entry.note)
        .bind(7, entry.created);
    stmt.step();
    const std::int64_t id = stmt.int64(0);
    stmt.reset();
    return id;
}

std::vector<LogEntry> comment_history(Connection& db, std::int64_t id) {
    auto& stmt =
        db.prepare(VOKTER_LOG_SELECT "FROM moderation_log WHERE comment_id = ?1 ORDER BY id");
    stmt.bind(1, id);
    std::vector<LogEntry> entries;
    while (stmt.step())
        entries.push_back(read_log(stmt));
    return entries;
}

LogPage log_page(Connection& db, const LogQuery& query) {
    // One statement per filter so that each walks its own index newest first. Each uses every
    // parameter up to its last (PostgreSQL cannot type one a statement leaves out).
    static constexpr const char* kAll =
        VOKTER_LOG_SELECT "FROM moderation_log WHERE id < ?1 ORDER BY id DESC LIMIT ?2";
    static constexpr const char* kByComment = VOKTER_LOG_SELECT
        "FROM moderation_log WHERE comment_id = ?3 AND id < ?1 "
        "AND (CAST(?4 AS TEXT) IS NULL OR moderator = ?4) ORDER BY id DESC LIMIT ?2";
    static constexpr const char* kByModerator = VOKTER_LOG_SELECT
        "FROM moderation_log WHERE moderator = ?3 AND id < ?1 ORDER BY id DESC LIMIT ?2";
    const char* sql = query.comment_id ? kByComment : query.moderator ? kByModerator : kAll;
    auto& stmt = db.prepare(sql);
    stmt.bind(1, query.before_id.value_or(INT64_MAX)).bind(2, query.limit + 1);
    if (query.comment_id) {
        stmt.bind(3, *query.comment_id).bind(4, query.moderator);
    } else if (query.moderator) {
        stmt.bind(3, *query.moderator);
    }
    LogPage page;
    while (stmt.step()) {
        if (static_cast<int>(page.entries.size()) == query.limit) {
            page.next_before_id = page.entries.back().id;
            break;
        }
        page.entries.push_back(read_log(stmt));
    }
    return page;
}

#undef VOKTER_LOG_SELECT

std::optional<Decision> decision_from(std::string_view action) {
    if (action == "approve") return Decision::approve;
    if (action == "reject") return Decision::reject;
    if (action == "spam") return Decision::spam;
    if (action == "delete") return Decision::remove;
    return std::nullopt;
}

std::string_view action_name(Decision decision) {
    switch (decision) {
        case Decision::approve:
            return "approve";
        case Decision::reject:
            return "reject";
        case Decision::spam:
            return "spam";
        case Decision::remove:
            return "delete";
    }
    return "";
}

std::string_view status_after(Decision decision) {
    switch (decision) {
        case Decision::approve:
            return kApproved;
        case Decision::reject:
            return kRejected;
        case Decision::spam:
            return kSpam;
        case Decision::remove:
            return kDeleted;
    }
    return "";
}

DecisionOutcome apply_decision(Connection& db, std::int64_t id, Decision decision,
                               const std::string& moderator, const std::string& note,
                               std::int64_t now_ms) {
    DecisionOutcome outcome;
    outcome.id = id;
    auto& find = db.prepare("SELECT status FROM comments WHERE id = ?1");
    find.bind(1, id);
    if (!find.step()) {
        outcome.error = "no such comment";
        return outcome;
    }
    outcome.old_status = find.text(0);
    find.reset();
    const std::string target(status_after(decision));
    if (outcome.old_status == kDeleted && target != kDeleted) {
        outcome.error = "the comment is deleted";
        return outcome;
    }
    outcome.ok = true;
    outcome.new_status = target;
    // Approve teaches ham and spam teaches spam (unlearning what the comment taught before),
    // also when it confirms the status the rules gave; reject and delete teach nothing and leave
    // what it taught. Teaching the label it already taught changes nothing.
    if (decision == Decision::approve) relabel_comment(db, id, core::Label::ham, now_ms);
    if (decision == Decision::spam) relabel_comment(db, id, core::Label::spam, now_ms);
    if (outcome.old_status == target) return outcome;  // idempotent: no change, no log entry

    if (decision == Decision::remove) {
        tombstone_comment(db, id, now_ms);
        // Hit details quote the comment (matched words, links, addresses): erase them too.
        db.prepare("UPDATE rule_hits SET detail = '' WHERE comment_id = ?1").bind(1, id).run();
    } else {
        db.prepare("UPDATE comments SET status = ?2 WHERE id = ?1")
            .bind(1, id)
            .bind(2, target)
            .run();
    }
    append_log(db, LogEntry{0, id, moderator, std::string(action_name(decision)),
                            outcome.old_status, target, note, now_ms});
    return outcome;
}

std::vector<DecisionOutcome> apply_decisions(Connection& db, const std::vector<std::int64_t>& ids,
                                             Decision decision, const std::string& moderator,
                                             const std::string& note, std::int64_t now_ms) {
    std::vector<std::int64_t> order = ids;
    std::sort(order.begin(), order.end());
    order.erase(std::unique(order.begin(), order.end()), order.end());
    std::unordered_map<std::int64_t, DecisionOutcome> decided;
    decided.reserve(order.size());
    for (const std::int64_t id : order) {
        decided.emplace(id, apply_decision(db, id, decision, moderator, note, now_ms));
    }
    std::vector<DecisionOutcome> outcomes;
    outcomes.reserve(ids.size());
    for (const std::int64_t id : ids)
        outcomes.push_back(decided.at(id));
    return outcomes;
}

std::vector<StoredComment> recent_comments(Connection& db, int limit) {
    static constexpr const char* kRecent =
        "SELECT " VOKTER_STORED_COMMENT_COLUMNS
        " FROM comments c JOIN threads t ON t.id = c.thread_id "
        "WHERE c.status <> 'deleted' ORDER BY c.created DESC, c.id DESC LIMIT ?1";
    auto& stmt = db.prepare(kRecent);
    stmt.bind(1, limit);
    std::vector<StoredComment> comments;
    while (stmt.step())
        comments.push_back(read_stored_comment(stmt));
    return comments;
}

}  // namespace vokter::store
