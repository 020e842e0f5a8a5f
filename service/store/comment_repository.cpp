#include "store/comment_repository.hpp"

#include <algorithm>
#include <charconv>
#include <functional>
#include <map>

#include "core/text.hpp"
#include "store/classifier/classifier_repository.hpp"

namespace vokter::store {

namespace {

constexpr const char* kCommentById = "SELECT " VOKTER_STORED_COMMENT_COLUMNS
                                     " FROM comments c JOIN threads t ON t.id = c.thread_id "
                                     "WHERE c.id = ?1";

std::optional<std::int64_t> optional_int(const Statement& stmt, int column) {
    if (stmt.is_null(column)) return std::nullopt;
    return stmt.int64(column);
}

}  // namespace

StoredComment read_stored_comment(const Statement& s) {
    StoredComment c;
    c.id = s.int64(0);
    c.thread = s.text(1);
    c.parent = optional_int(s, 2);
    c.root_id = s.int64(3);
    c.depth = static_cast<int>(s.int64(4));
    c.name = s.text(5);
    c.email = s.text(6);
    c.website = s.text(7);
    c.body = s.text(8);
    c.ip = s.text(9);
    c.user_agent = s.text(10);
    c.referrer = s.text(11);
    c.status = s.text(12);
    c.score = s.real(13);
    c.ruleset_version = s.text(14);
    c.source = s.text(15);
    c.edit_token_hash = s.text(16);
    c.edit_until = s.int64(17);
    c.created = s.int64(18);
    c.updated = s.int64(19);
    return c;
}

namespace {

void insert_hits(Connection& db, std::int64_t comment_id, const std::vector<core::Hit>& hits) {
    for (std::size_t seq = 0; seq < hits.size(); ++seq) {
        const core::Hit& hit = hits[seq];
        db.prepare(
              "INSERT INTO rule_hits (comment_id, seq, rule, score, field, detail) "
              "VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
            .bind(1, comment_id)
            .bind(2, static_cast<std::int64_t>(seq))
            .bind(3, hit.rule)
            .bind(4, hit.score)
            .bind(5, hit.field)
            .bind(6, hit.detail)
            .run();
    }
}

// A PostgreSQL array literal of `items`: quoted (text: every element in double quotes, with
// its quotes and backslashes escaped) or as they are (numbers).
std::string pg_array(const std::vector<std::string>& items, bool quoted) {
    std::string out = "{";
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i) out += ',';
        if (!quoted) {
            out += items[i];
            continue;
        }
        out += '"';
        for (const char c : items[i]) {
            if (c == '"' || c == '\\') out += '\\';
            out += c;
        }
        out += '"';
    }
    return out + "}";
}

int count(Statement& stmt) {
    stmt.step();
    return static_cast<int>(stmt.int64(0));
}

// Fills in the replies of every top-level comment in `roots`, as trees, with one query.
// Comments that are not approved are kept as `removed` stand-ins only when an approved
// comment hangs below them.
void attach_replies(Connection& db, std::vector<PublicComment>& roots) {
    if (roots.empty()) return;
    struct Node {
        PublicComment comment;
        bool visible = false;
    };
    // The roots' ids as one parameter: a JSON array for SQLite's json_each, an array literal
    // for PostgreSQL (which has no json_each over arrays).
    const bool postgresql = db.dialect() == Dialect::postgresql;
    std::string ids = postgresql ? "{" : "[";
    for (const auto& root : roots) {
        if (ids.size() > 1) ids += ',';
        ids += std::to_string(root.id);
    }
    ids += postgresql ? "}" : "]";
    static constexpr const char* kSqlite =
        "SELECT id, parent_id, name, website, body, status, created, updated FROM comments "
        "WHERE root_id IN (SELECT value FROM json_each(?1)) "
        "ORDER BY created, id";
    static constexpr const char* kPostgresql =
        "SELECT id, parent_id, name, website, body, status, created, updated FROM comments "
        "WHERE root_id = ANY (CAST(?1 AS BIGINT[])) "
        "ORDER BY created, id";
    auto& stmt = db.prepare(postgresql ? kPostgresql : kSqlite);
    stmt.bind(1, ids);
    std::vector<Node> nodes;
    while (stmt.step()) {
        Node node;
        node.comment.id = stmt.int64(0);
        node.comment.parent = optional_int(stmt, 1);
        node.visible = stmt.text_view(5) == kApproved;
        if (node.visible) {
            node.comment.name = stmt.text(2);
            node.comment.website = stmt.text(3);
            node.comment.body = stmt.text(4);
            node.comment.updated = stmt.int64(7);
            node.comment.edited = stmt.int64(7) != stmt.int64(6);
        } else {
            node.comment.removed = true;
        }
        node.comment.created = stmt.int64(6);
        nodes.push_back(std::move(node));
    }
    // Children by parent id, in creation order.
    std::map<std::int64_t, std::vector<std::size_t>> children;
    for (std::size_t i = 0; i < nodes.size(); ++i) {
        if (nodes[i].comment.parent) children[*nodes[i].comment.parent].push_back(i);
    }
    std::function<std::vector<PublicComment>(std::int64_t)> build =
        [&](std::int64_t parent) -> std::vector<PublicComment> {
        std::vector<PublicComment> out;
        auto found = children.find(parent);
        if (found == children.end()) return out;
        for (const std::size_t i : found->second) {
            PublicComment comment = std::move(nodes[i].comment);
            comment.replies = build(comment.id);
            if (nodes[i].visible || !comment.replies.empty()) out.push_back(std::move(comment));
        }
        return out;
    };
    for (auto& root : roots)
        root.replies = build(root.id);
}

}  // namespace

std::optional<ThreadInfo> find_thread(Connection& db, const std::string& uri) {
    auto& stmt = db.prepare("SELECT id, uri, title, closed, approved FROM threads WHERE uri = ?1");
    stmt.bind(1, uri);
    if (!stmt.step()) return std::nullopt;
    return ThreadInfo{stmt.int64(0), stmt.text(1), stmt.text(2), stmt.int64(3) != 0, stmt.int64(4)};
}

std::optional<ParentInfo> find_parent(Connection& db, std::int64_t id) {
    auto& stmt = db.prepare(
        "SELECT c.id, c.parent_id, COALESCE(c.root_id, c.id), c.depth, t.uri, c.status "
        "FROM comments c JOIN threads t ON t.id = c.thread_id WHERE c.id = ?1");
    stmt.bind(1, id);
    if (!stmt.step()) return std::nullopt;
    return ParentInfo{stmt.int64(0), optional_int(stmt, 1),
                      stmt.int64(2), static_cast<int>(stmt.int64(3)),
                      stmt.text(4),  stmt.text(5)};
}

std::optional<StoredComment> find_comment(Connection& db, std::int64_t id) {
    auto& stmt = db.prepare(kCommentById);
    stmt.bind(1, id);
    if (!stmt.step()) return std::nullopt;
    return read_stored_comment(stmt);
}

namespace {

// PostgreSQL: gather_context's four facts as the first four columns of one statement, since
// each round trip to the server costs more than the look-up itself. An empty address or e-mail
// counts nothing, as in the SQLite statements. Parameters ?1 to ?7: bind_facts.
#define VOKTER_PG_FACT_COLUMNS                                                          \
    "CASE WHEN CAST(?1 AS TEXT) = '' THEN 0 ELSE (SELECT count(*) FROM (SELECT 1 "      \
    "FROM comments WHERE ip = ?1 AND created >= ?2 AND id <> ?3 LIMIT ?4) AS a) END, "  \
    "CASE WHEN CAST(?5 AS TEXT) = '' THEN 0 ELSE (SELECT count(*) FROM (SELECT 1 "      \
    "FROM comments WHERE email = ?5 AND email <> '' "                                   \
    "AND status IN ('approved', 'pending', 'spam', 'rejected', 'deleted') "             \
    "AND created >= ?2 AND id <> ?3 LIMIT ?4) AS b) END, "                              \
    "CASE WHEN CAST(?5 AS TEXT) = '' THEN 0 ELSE (SELECT count(*) FROM (SELECT 1 "      \
    "FROM comments WHERE email = ?5 AND email <> '' AND status = 'approved' LIMIT ?4) " \
    "AS c) END, "                                                                       \
    "EXISTS (SELECT 1 FROM comments WHERE body_fingerprint = ?6 AND created >= ?7 AND id <> ?3)"

Statement& bind_facts(Statement& stmt, const core::Submission& submission,
                      const core::FactWindows& windows, std::int64_t now_ms,
                      std::int64_t exclude_id) {
    return stmt.bind(1, submission.ip)
        .bind(2, now_ms - windows.flood_seconds * 1000)
        .bind(3, exclude_id)
        .bind(4, windows.count_limit)
        .bind(5, submission.email)
        .bind(6, core::body_fingerprint(submission.body))
        .bind(7, now_ms - windows.duplicate_seconds * 1000);
}

core::Context read_facts(const Statement& row) {
    core::Context context;
    context.same_ip_recent = static_cast<int>(row.int64(0));
    context.same_email_recent = static_cast<int>(row.int64(1));
    context.author_approved = static_cast<int>(row.int64(2));
    context.duplicate_body = row.int64(3) != 0;
    return context;
}

}  // namespace

core::Context gather_context(Connection& db, const core::Submission& submission,
                             const core::FactWindows& windows, std::int64_t now_ms,
                             std::int64_t exclude_id) {
    core::Context context;
    const std::int64_t flood_since = now_ms - windows.flood_seconds * 1000;
    if (db.dialect() == Dialect::postgresql) {
        auto& stmt = db.prepare("SELECT " VOKTER_PG_FACT_COLUMNS);
        bind_facts(stmt, submission, windows, now_ms, exclude_id).step();
        context = read_facts(stmt);
        stmt.reset();
        return context;
    }
    if (!submission.ip.empty()) {
        context.same_ip_recent = count(
            db.prepare(
                  "SELECT count(*) FROM (SELECT 1 FROM comments WHERE ip = ?1 AND created >= ?2 "
                  "AND id <> ?3 LIMIT ?4) AS recent")
                .bind(1, submission.ip)
                .bind(2, flood_since)
                .bind(3, exclude_id)
                .bind(4, windows.count_limit));
    }
    if (!submission.email.empty()) {
        context.same_email_recent = count(
            db.prepare(
                  "SELECT count(*) FROM (SELECT 1 FROM comments WHERE email = ?1 AND email <> '' "
                  "AND status IN ('approved', 'pending', 'spam', 'rejected', 'deleted') "
                  "AND created >= ?2 AND id <> ?3 LIMIT ?4) AS recent")
                .bind(1, submission.email)
                .bind(2, flood_since)
                .bind(3, exclude_id)
                .bind(4, windows.count_limit));
        context.author_approved = count(
            db.prepare(
                  "SELECT count(*) FROM (SELECT 1 FROM comments WHERE email = ?1 AND email <> '' "
                  "AND status = 'approved' LIMIT ?2) AS approved")
                .bind(1, submission.email)
                .bind(2, windows.count_limit));
    }
    context.duplicate_body =
        count(db.prepare("SELECT EXISTS (SELECT 1 FROM comments WHERE body_fingerprint = ?1 "
                         "AND created >= ?2 AND id <> ?3)")
                  .bind(1, core::body_fingerprint(submission.body))
                  .bind(2, now_ms - windows.duplicate_seconds * 1000)
                  .bind(3, exclude_id)) != 0;
    return context;
}

bool is_resubmission(Connection& db, const core::Submission& submission, std::int64_t since_ms) {
    // The body's fingerprint finds the few candidates; the unary plus keeps SQLite from reading
    // every recent comment of the thread through comments_thread_created instead.
    auto& stmt = db.prepare(
        "SELECT EXISTS (SELECT 1 FROM comments c JOIN threads t ON t.id = +c.thread_id "
        "WHERE c.body_fingerprint = ?1 AND c.created >= ?2 AND t.uri = ?3 "
        "AND (c.ip = ?4 OR (?5 <> '' AND c.email = ?5)))");
    stmt.bind(1, core::body_fingerprint(submission.body))
        .bind(2, since_ms)
        .bind(3, submission.thread)
        .bind(4, submission.ip)
        .bind(5, submission.email);
    return count(stmt) != 0;
}

SubmissionFacts submission_facts(Connection& db, const core::Submission& submission,
                                 std::int64_t resubmission_since_ms,
                                 const core::FactWindows& windows, std::int64_t now_ms) {
    SubmissionFacts facts;
    if (db.dialect() == Dialect::sqlite) {
        facts.thread = find_thread(db, submission.thread);
        facts.resubmission = is_resubmission(db, submission, resubmission_since_ms);
        facts.context = gather_context(db, submission, windows, now_ms);
        return facts;
    }
    // The thread's row (none when it is new), is_resubmission's question asked of that thread,
    // and the facts: one round trip instead of three.
    auto& stmt = db.prepare(
        "SELECT " VOKTER_PG_FACT_COLUMNS
        ", t.id, t.uri, t.title, t.closed, t.approved, t.id IS NOT NULL AND EXISTS (SELECT 1 "
        "FROM comments r WHERE r.thread_id = t.id AND r.body_fingerprint = ?6 "
        "AND r.created >= ?9 AND (r.ip = ?1 OR (?5 <> '' AND r.email = ?5))) "
        "FROM (SELECT 1) AS one LEFT JOIN threads t ON t.uri = ?8");
    bind_facts(stmt, submission, windows, now_ms, 0)
        .bind(8, submission.thread)
        .bind(9, resubmission_since_ms)
        .step();
    facts.context = read_facts(stmt);
    if (!stmt.is_null(4)) {
        facts.thread = ThreadInfo{stmt.int64(4), stmt.text(5), stmt.text(6), stmt.int64(7) != 0,
                                  stmt.int64(8)};
    }
    facts.resubmission = stmt.int64(9) != 0;
    stmt.reset();
    return facts;
}

ThreadPage thread_page(Connection& db, const std::string& uri, SortOrder sort, int limit,
                       const std::optional<ThreadCursor>& after) {
    ThreadPage page;
    const auto thread = find_thread(db, uri);
    if (!thread) return page;
    page.total = thread->approved;

    // Top-level comments that are approved, or removed (any other status) but with approved
    // replies below them: the thread's comments in time order (comments_thread_created), filtered
    // by row. The scan ends with the page, so a thread full of spam costs a page its share of spam
    // only. The CAST of r.status keeps SQLite from looking replies up by status instead of by
    // root (a unary plus would too, but PostgreSQL has none for text).
    static constexpr const char* kOldest =
        "SELECT id, name, website, body, status, created, updated FROM comments c "
        "WHERE thread_id = ?1 AND parent_id IS NULL AND (created, id) > (?2, ?3) "
        "AND (status = 'approved' OR EXISTS (SELECT 1 FROM comments r "
        "WHERE r.root_id = c.id AND CAST(r.status AS TEXT) = 'approved')) "
        "ORDER BY created, id LIMIT ?4";
    static constexpr const char* kNewest =
        "SELECT id, name, website, body, status, created, updated FROM comments c "
        "WHERE thread_id = ?1 AND parent_id IS NULL AND (created, id) < (?2, ?3) "
        "AND (status = 'approved' OR EXISTS (SELECT 1 FROM comments r "
        "WHERE r.root_id = c.id AND CAST(r.status AS TEXT) = 'approved')) "
        "ORDER BY created DESC, id DESC LIMIT ?4";
    const bool oldest = sort == SortOrder::oldest;
    const ThreadCursor start = after.value_or(oldest ? ThreadCursor{INT64_MIN, INT64_MIN}
                                                     : ThreadCursor{INT64_MAX, INT64_MAX});
    auto& roots = db.prepare(oldest ? kOldest : kNewest);
    roots.bind(1, thread->id).bind(2, start.created).bind(3, start.id).bind(4, limit + 1);
    while (roots.step()) {
        if (static_cast<int>(page.comments.size()) == limit) {
            const auto& last = page.comments.back();
            page.next = ThreadCursor{last.created, last.id};
            break;
        }
        PublicComment comment;
        comment.id = roots.int64(0);
        comment.created = roots.int64(5);
        if (roots.text_view(4) == kApproved) {
            comment.name = roots.text(1);
            comment.website = roots.text(2);
            comment.body = roots.text(3);
            comment.updated = roots.int64(6);
            comment.edited = comment.updated != comment.created;
        } else {
            comment.removed = true;
        }
        page.comments.push_back(std::move(comment));
    }
    attach_replies(db, page.comments);
    return page;
}

std::vector<std::pair<std::string, std::int64_t>> approved_counts(
    Connection& db, const std::vector<std::string>& uris) {
    std::vector<std::pair<std::string, std::int64_t>> counts;
    for (const auto& uri : uris) {
        auto& stmt = db.prepare("SELECT approved FROM threads WHERE uri = ?1");
        stmt.bind(1, uri);
        counts.emplace_back(uri, stmt.step() ? stmt.int64(0) : 0);
    }
    return counts;
}

std::vector<core::Hit> comment_hits(Connection& db, std::int64_t id) {
    auto& stmt = db.prepare(
        "SELECT rule, score, field, detail FROM rule_hits WHERE comment_id = ?1 "
        "ORDER BY score DESC, seq");
    stmt.bind(1, id);
    std::vector<core::Hit> hits;
    while (stmt.step())
        hits.push_back({stmt.text(0), stmt.real(1), stmt.text(2), stmt.text(3)});
    return hits;
}

bool has_approved_replies(Connection& db, std::int64_t id) {
    auto& stmt = db.prepare(
        "SELECT EXISTS (SELECT 1 FROM comments WHERE root_id = "
        "(SELECT coalesce(root_id, id) FROM comments WHERE id = ?1) "
        "AND parent_id = ?1 AND status = 'approved')");
    stmt.bind(1, id);
    const bool found = stmt.step() && stmt.int64(0) == 1;
    stmt.reset();
    return found;
}

ThreadInfo ensure_thread(Connection& db, const std::string& uri, const std::string& title,
                         std::int64_t now_ms) {
    db.prepare(
          "INSERT INTO threads (uri, title, created) VALUES (?1, ?2, ?3) "
          "ON CONFLICT (uri) DO UPDATE SET title = excluded.title "
          "WHERE threads.title = '' AND excluded.title <> ''")
        .bind(1, uri)
        .bind(2, title)
        .bind(3, now_ms)
        .run();
    return *find_thread(db, uri);
}

std::int64_t insert_comment(Connection& db, const NewComment& comment) {
    const core::Submission& s = comment.submission;
    const std::int64_t thread_id = comment.thread_id
                                       ? *comment.thread_id
                                       : ensure_thread(db, s.thread, s.title, comment.created).id;
    // Without an id the database gives the next free one (an identity column on PostgreSQL,
    // which takes no NULL for it); with one, the comment keeps it.
    static constexpr const char* kInsert =
        "INSERT INTO comments (thread_id, parent_id, root_id, depth, name, email, website, body, "
        "body_fingerprint, ip, user_agent, referrer, status, score, ruleset_version, source, "
        "edit_token_hash, edit_until, created, updated) VALUES "
        "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, "
        "?17, ?18, ?19, ?20) RETURNING id";
    static constexpr const char* kInsertWithId =
        "INSERT INTO comments (thread_id, parent_id, root_id, depth, name, email, website, body, "
        "body_fingerprint, ip, user_agent, referrer, status, score, ruleset_version, source, "
        "edit_token_hash, edit_until, created, updated, id) VALUES "
        "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, "
        "?17, ?18, ?19, ?20, ?21) RETURNING id";
    // PostgreSQL: the comment and its hits in one statement, one round trip to the server
    // instead of one per hit (the writer waits for each, and they were most of its time).
    static constexpr const char* kInsertWithHitsPg =
        "WITH c AS (INSERT INTO comments (thread_id, parent_id, root_id, depth, name, email, "
        "website, body, body_fingerprint, ip, user_agent, referrer, status, score, "
        "ruleset_version, source, edit_token_hash, edit_until, created, updated) VALUES "
        "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, "
        "?17, ?18, ?19, ?20) RETURNING id), "
        "h AS (INSERT INTO rule_hits (comment_id, seq, rule, score, field, detail) "
        "SELECT c.id, x.seq - 1, x.rule, x.score, x.field, x.detail FROM c, "
        "unnest(CAST(?21 AS TEXT[]), CAST(?22 AS DOUBLE PRECISION[]), CAST(?23 AS TEXT[]), "
        "CAST(?24 AS TEXT[])) WITH ORDINALITY AS x(rule, score, field, detail, seq)) "
        "SELECT id FROM c";
    const bool hits_inline = db.dialect() == Dialect::postgresql && !comment.id;
    auto& stmt =
        db.prepare(hits_inline ? kInsertWithHitsPg : (comment.id ? kInsertWithId : kInsert));
    stmt.bind(1, thread_id)
        .bind(2, s.parent)
        .bind(3, comment.root_id)
        .bind(4, comment.depth)
        .bind(5, s.name)
        .bind(6, s.email)
        .bind(7, s.website)
        .bind(8, s.body)
        .bind(9, core::body_fingerprint(s.body))
        .bind(10, s.ip)
        .bind(11, s.user_agent)
        .bind(12, s.referrer)
        .bind(13, comment.status)
        .bind(14, comment.verdict.score)
        .bind(15, comment.verdict.ruleset_version)
        .bind(16, comment.source);
    if (comment.edit_token_hash.empty()) {
        stmt.bind_null(17);
    } else {
        stmt.bind_blob(17, comment.edit_token_hash);
    }
    stmt.bind(18, comment.edit_until)
        .bind(19, comment.created)
        .bind(20, comment.updated != 0 ? comment.updated : comment.created);
    if (comment.id) stmt.bind(21, *comment.id);
    if (hits_inline) {
        std::vector<std::string> rules, scores, fields, details;
        for (const core::Hit& hit : comment.verdict.hits) {
            rules.push_back(hit.rule);
            char number[32];
            const auto end = std::to_chars(number, number + sizeof number, hit.score).ptr;
            scores.emplace_back(number, end);
            fields.push_back(hit.field);
            details.push_back(hit.detail);
        }
        stmt.bind(21, pg_array(rules, true))
            .bind(22, pg_array(scores, false))
            .bind(23, pg_array(fields, true))
            .bind(24, pg_array(details, true));
    }
    stmt.step();
    const std::int64_t id = stmt.int64(0);
    stmt.reset();
    if (comment.id) reserve_comment_ids(db, id);
    if (!hits_inline) insert_hits(db, id, comment.verdict.hits);
    return id;
}

void reserve_comment_ids(Connection& db, std::int64_t through) {
    if (db.dialect() != Dialect::postgresql) return;  // SQLite takes the largest id plus one
    // The identity only ever grows; setval() takes effect at once, whether or not the
    // transaction commits.
    db.prepare(
          "SELECT setval(pg_get_serial_sequence('comments', 'id'), CAST(?1 AS BIGINT)) "
          "WHERE CAST(?1 AS BIGINT) > coalesce(pg_sequence_last_value("
          "CAST(pg_get_serial_sequence('comments', 'id') AS REGCLASS)), 0)")
        .bind(1, through)
        .run();
}

bool update_comment(Connection& db, std::int64_t id, const core::Submission& edited,
                    const core::Verdict& verdict, const std::string& status, std::int64_t now_ms) {
    forget_comment(db, id, now_ms);  // what it taught came from the text it replaces
    db.prepare(
          "UPDATE comments SET name = ?2, website = ?3, body = ?4, body_fingerprint = ?5, "
          "status = ?6, ruleset_version = ?7, updated = ?8 WHERE id = ?1")
        .bind(1, id)
        .bind(2, edited.name)
        .bind(3, edited.website)
        .bind(4, edited.body)
        .bind(5, core::body_fingerprint(edited.body))
        .bind(6, status)
        .bind(7, verdict.ruleset_version)
        .bind(8, now_ms)
        .run();
    if (db.changes() == 0) return false;
    db.prepare("DELETE FROM rule_hits WHERE comment_id = ?1").bind(1, id).run();
    insert_hits(db, id, verdict.hits);
    // The score last: setting it counts the new hits in the moderation counts (the trigger
    // rule_counts_rescored).
    db.prepare("UPDATE comments SET score = ?2 WHERE id = ?1")
        .bind(1, id)
        .bind(2, verdict.score)
        .run();
    return true;
}

bool tombstone_comment(Connection& db, std::int64_t id, std::int64_t now_ms) {
    db.prepare(
          "UPDATE comments SET name = '', email = '', website = '', body = '', ip = '', "
          "user_agent = '', referrer = '', edit_token_hash = NULL, edit_until = 0, "
          "status = 'deleted', updated = ?2 WHERE id = ?1")
        .bind(1, id)
        .bind(2, now_ms)
        .run();
    return db.changes() > 0;
}

bool set_thread_closed(Connection& db, const std::string& uri, bool closed) {
    db.prepare("UPDATE threads SET closed = ?2 WHERE uri = ?1")
        .bind(1, uri)
        .bind(2, closed ? 1 : 0)
        .run();
    return db.changes() > 0;
}

std::optional<std::string> get_setting(Connection& db, const std::string& key) {
    auto& stmt = db.prepare("SELECT value FROM settings WHERE key = ?1");
    stmt.bind(1, key);
    if (!stmt.step()) return std::nullopt;
    return stmt.text(0);
}

void put_setting(Connection& db, const std::string& key, const std::string& value) {
    db.prepare(
          "INSERT INTO settings (key, value) VALUES (?1, ?2) "
          "ON CONFLICT (key) DO UPDATE SET value = excluded.value")
        .bind(1, key)
        .bind_blob(2, value)
        .run();
}

}  // namespace vokter::store
