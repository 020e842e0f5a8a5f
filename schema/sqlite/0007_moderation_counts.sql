-- The figures of GET /api/moderation/stats (store/moderation_stats.hpp), kept in two small
-- tables instead of computed from every comment of the last 30 days on each request (340 ms at
-- 1,000,000 comments): a row per day and (verdict, status) pair, and a row per day and rule.
-- A new comment costs the write path nothing: comments are counted in arrears, a span of ids at a
-- time, by fold_moderation_counts() (the store runs it 40 times a second); the comments not yet
-- counted, those above moderation_counts_state.counted_through, are read through the two
-- uncounted_* views and added at read time. Triggers keep the counts right when a counted comment
-- changes: a decision, an edit scored again, a deletion.
-- Days are UTC calendar days of the comment's creation (created / 86400000). A comment's verdict
-- is the old status of its first moderation log entry, else its current status; a rule hit's
-- agreement depends on the latest approve, reject or spam decision on its comment (definitions
-- in store/moderation_stats.hpp). Comment rows are never deleted (deletion is a tombstone), but
-- a deleted row is taken out of the counts all the same.
-- Applied with PRAGMA user_version = 7.

CREATE TABLE comment_counts (
    day     INTEGER NOT NULL,
    verdict TEXT    NOT NULL,
    status  TEXT    NOT NULL,
    n       INTEGER NOT NULL,
    PRIMARY KEY (day, verdict, status)
) WITHOUT ROWID;

CREATE TABLE rule_counts (
    day       INTEGER NOT NULL,
    rule      TEXT    NOT NULL,
    hits      INTEGER NOT NULL,  -- hits on comments created that day
    agreed    INTEGER NOT NULL,  -- of those, decided by a moderator in the rule's favour
    disagreed INTEGER NOT NULL,  -- and against it
    PRIMARY KEY (day, rule)
) WITHOUT ROWID;

-- Comments with ids up to counted_through are in the counts; those above, not yet. The views
-- below read the comments above counted_through and up to span_end: the largest integer, except
-- inside a fold's own transaction, which lowers it to count a bounded span of ids at a time.
CREATE TABLE moderation_counts_state (
    id               INTEGER PRIMARY KEY CHECK (id = 1),
    counted_through  INTEGER NOT NULL,
    span_end         INTEGER NOT NULL
);
INSERT INTO moderation_counts_state (id, counted_through, span_end)
VALUES (1, 0, 9223372036854775807);

CREATE VIEW uncounted_comment_counts AS
SELECT c.created / 86400000 AS day,
       COALESCE((SELECT l.old_status FROM moderation_log l WHERE l.comment_id = c.id
                 ORDER BY l.id LIMIT 1), c.status) AS verdict,
       c.status AS status, count(*) AS n
FROM comments c
WHERE c.id > (SELECT counted_through FROM moderation_counts_state)
  AND c.id <= (SELECT span_end FROM moderation_counts_state)
GROUP BY 1, 2, 3;

CREATE VIEW uncounted_rule_counts AS
SELECT day, rule, count(*) AS hits,
       sum(coalesce((score > 0 AND decision IN ('spam', 'rejected')) OR
                    (score < 0 AND decision = 'approved'), 0)) AS agreed,
       sum(coalesce((score > 0 AND decision = 'approved') OR
                    (score < 0 AND decision IN ('spam', 'rejected')), 0)) AS disagreed
FROM (SELECT c.created / 86400000 AS day, h.rule AS rule, h.score AS score,
             (SELECT l.new_status FROM moderation_log l WHERE l.comment_id = c.id
              AND l.action IN ('approve', 'reject', 'spam') ORDER BY l.id DESC LIMIT 1) AS decision
      FROM comments c JOIN rule_hits h ON h.comment_id = c.id
      WHERE c.id > (SELECT counted_through FROM moderation_counts_state)
        AND c.id <= (SELECT span_end FROM moderation_counts_state))
GROUP BY day, rule;

-- The comments already stored are counted now, as fold_moderation_counts() counts later ones.
INSERT INTO comment_counts (day, verdict, status, n) SELECT * FROM uncounted_comment_counts;
INSERT INTO rule_counts (day, rule, hits, agreed, disagreed) SELECT * FROM uncounted_rule_counts;
UPDATE moderation_counts_state SET counted_through = (SELECT coalesce(max(id), 0) FROM comments);

-- A new status (a decision, an edit scored again, a deletion). The verdict stays the first log
-- entry's old status when there is one, and follows the status while there is none.
CREATE TRIGGER comment_counts_update AFTER UPDATE OF status ON comments
WHEN old.status <> new.status
 AND old.id <= (SELECT counted_through FROM moderation_counts_state)
BEGIN
    UPDATE comment_counts SET n = n - 1
    WHERE day = old.created / 86400000 AND status = old.status
      AND verdict = COALESCE((SELECT old_status FROM moderation_log WHERE comment_id = old.id
                              ORDER BY id LIMIT 1), old.status);
    INSERT INTO comment_counts (day, verdict, status, n)
    VALUES (new.created / 86400000,
            COALESCE((SELECT old_status FROM moderation_log WHERE comment_id = new.id
                      ORDER BY id LIMIT 1), new.status),
            new.status, 1)
    ON CONFLICT (day, verdict, status) DO UPDATE SET n = n + 1;
END;

-- The first log entry of a comment fixes its verdict at the entry's old status (the same as the
-- status when the entry is written before the change, and set right here when after).
CREATE TRIGGER comment_counts_first_entry AFTER INSERT ON moderation_log
WHEN new.comment_id <= (SELECT counted_through FROM moderation_counts_state)
 AND NOT EXISTS (SELECT 1 FROM moderation_log
                 WHERE comment_id = new.comment_id AND id < new.id)
BEGIN
    UPDATE comment_counts SET n = n - 1
    WHERE (day, verdict, status) =
          (SELECT created / 86400000, status, status FROM comments
           WHERE id = new.comment_id AND status <> new.old_status);
    INSERT INTO comment_counts (day, verdict, status, n)
    SELECT created / 86400000, new.old_status, status, 1 FROM comments
    WHERE id = new.comment_id AND status <> new.old_status
    ON CONFLICT (day, verdict, status) DO UPDATE SET n = n + 1;
END;

-- Its hits are deleted here, while the comment row still gives their day (the cascade of the
-- foreign key would delete them after it).
CREATE TRIGGER comment_counts_delete BEFORE DELETE ON comments
BEGIN
    DELETE FROM rule_hits WHERE comment_id = old.id;
    UPDATE comment_counts SET n = n - 1
    WHERE old.id <= (SELECT counted_through FROM moderation_counts_state)
      AND day = old.created / 86400000 AND status = old.status
      AND verdict = COALESCE((SELECT old_status FROM moderation_log WHERE comment_id = old.id
                              ORDER BY id LIMIT 1), old.status);
END;

-- Ids are not AUTOINCREMENT: once the newest row is deleted, SQLite gives its id out again, to
-- a comment no fold would count. So counted_through never stays above the newest id. (Vokter
-- keeps tombstones: rows go only when a retention purge or an operator deletes them.)
CREATE TRIGGER moderation_counts_newest_deleted AFTER DELETE ON comments
WHEN old.id >= (SELECT coalesce(max(id), 0) FROM comments)
BEGIN
    UPDATE moderation_counts_state
    SET counted_through = min(counted_through, (SELECT coalesce(max(id), 0) FROM comments));
END;

-- An edit scored again replaces a comment's hits, and sets its score after writing the new
-- ones (update_comment): a counted comment's new hits are counted here, each agreeing or
-- disagreeing by the comment's latest decision if any. No trigger runs when a comment is posted.
CREATE TRIGGER rule_counts_rescored AFTER UPDATE OF score ON comments
WHEN new.id <= (SELECT counted_through FROM moderation_counts_state)
BEGIN
    INSERT INTO rule_counts (day, rule, hits, agreed, disagreed)
    SELECT new.created / 86400000, h.rule, 1,
           coalesce((h.score > 0 AND p.decision IN ('spam', 'rejected')) OR
                    (h.score < 0 AND p.decision = 'approved'), 0),
           coalesce((h.score > 0 AND p.decision = 'approved') OR
                    (h.score < 0 AND p.decision IN ('spam', 'rejected')), 0)
    FROM (SELECT (SELECT l.new_status FROM moderation_log l WHERE l.comment_id = new.id
                  AND l.action IN ('approve', 'reject', 'spam') ORDER BY l.id DESC LIMIT 1)
                     AS decision) AS p,
         rule_hits h
    WHERE h.comment_id = new.id
    ON CONFLICT (day, rule) DO UPDATE SET hits = hits + excluded.hits,
        agreed = agreed + excluded.agreed, disagreed = disagreed + excluded.disagreed;
END;

-- Hits go when an edit is scored again (and with a deleted comment row).
CREATE TRIGGER rule_counts_delete AFTER DELETE ON rule_hits
WHEN old.comment_id <= (SELECT counted_through FROM moderation_counts_state)
BEGIN
    UPDATE rule_counts SET hits = hits - 1, agreed = agreed - x.gone_agreed,
                           disagreed = disagreed - x.gone_disagreed
    FROM (SELECT c.created / 86400000 AS day,
                 coalesce((old.score > 0 AND decision IN ('spam', 'rejected')) OR
                          (old.score < 0 AND decision = 'approved'), 0) AS gone_agreed,
                 coalesce((old.score > 0 AND decision = 'approved') OR
                          (old.score < 0 AND decision IN ('spam', 'rejected')), 0)
                     AS gone_disagreed
          FROM (SELECT cc.created AS created,
                       (SELECT l.new_status FROM moderation_log l WHERE l.comment_id = cc.id
                        AND l.action IN ('approve', 'reject', 'spam') ORDER BY l.id DESC LIMIT 1)
                           AS decision
                FROM comments cc WHERE cc.id = old.comment_id) AS c) AS x
    WHERE rule_counts.day = x.day AND rule_counts.rule = old.rule;
END;

-- A decision moves each hit of its comment from what the previous decision made it (agreeing,
-- disagreeing or neither) to what this one makes it. An upsert per hit, not UPDATE ... FROM a
-- grouped subquery: half the cost per decision (a 500-id decision: 14 -> 9 ms of SQL).
CREATE TRIGGER rule_counts_decision AFTER INSERT ON moderation_log
WHEN new.action IN ('approve', 'reject', 'spam')
 AND new.comment_id <= (SELECT counted_through FROM moderation_counts_state)
BEGIN
    INSERT INTO rule_counts (day, rule, hits, agreed, disagreed)
    SELECT day, rule, 0, more_agreed, more_disagreed
    FROM (SELECT c.created / 86400000 AS day, h.rule AS rule,
                 coalesce((h.score > 0 AND new.new_status IN ('spam', 'rejected')) OR
                          (h.score < 0 AND new.new_status = 'approved'), 0) -
                 coalesce((h.score > 0 AND p.decision IN ('spam', 'rejected')) OR
                          (h.score < 0 AND p.decision = 'approved'), 0) AS more_agreed,
                 coalesce((h.score > 0 AND new.new_status = 'approved') OR
                          (h.score < 0 AND new.new_status IN ('spam', 'rejected')), 0) -
                 coalesce((h.score > 0 AND p.decision = 'approved') OR
                          (h.score < 0 AND p.decision IN ('spam', 'rejected')), 0)
                     AS more_disagreed
          FROM (SELECT (SELECT l.new_status FROM moderation_log l
                        WHERE l.comment_id = new.comment_id AND l.id < new.id
                          AND l.action IN ('approve', 'reject', 'spam')
                        ORDER BY l.id DESC LIMIT 1) AS decision) AS p,
               comments c JOIN rule_hits h ON h.comment_id = c.id
          WHERE c.id = new.comment_id)
    WHERE more_agreed <> 0 OR more_disagreed <> 0
    ON CONFLICT (day, rule) DO UPDATE SET agreed = agreed + excluded.agreed,
                                          disagreed = disagreed + excluded.disagreed;
END;
