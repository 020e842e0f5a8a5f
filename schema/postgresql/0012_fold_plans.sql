-- The rule counts of comments not yet counted, read so that PostgreSQL's planner cannot make a
-- fold's cost grow with the database. As 0010 wrote it, the view joined the span's comments to
-- rule_hits however the planner liked: past a few hundred comments a span, it read every rule
-- hit ever stored (a sequential scan and a hash join: 80 ms at 220,000 hits, under the lock a
-- fold holds inserts off with). Here each comment's hits are read through rule_hits' primary
-- key, and its latest decision once per comment (0010's form evaluated it once per mention).
-- The same columns, the same figures.

CREATE OR REPLACE VIEW uncounted_rule_counts AS
SELECT day, rule, count(*) AS hits,
       count(*) FILTER (WHERE (score > 0 AND decision IN ('spam', 'rejected')) OR
                              (score < 0 AND decision = 'approved')) AS agreed,
       count(*) FILTER (WHERE (score > 0 AND decision = 'approved') OR
                              (score < 0 AND decision IN ('spam', 'rejected'))) AS disagreed
FROM (SELECT c.created / 86400000 AS day, h.rule AS rule, h.score AS score, d.decision
      FROM comments c
      -- OFFSET 0 keeps each subquery whole: run once per comment, by its index.
      CROSS JOIN LATERAL (SELECT hit.rule, hit.score FROM rule_hits hit
                          WHERE hit.comment_id = c.id OFFSET 0) AS h
      LEFT JOIN LATERAL (SELECT l.new_status AS decision FROM moderation_log l
                         WHERE l.comment_id = c.id AND l.action IN ('approve', 'reject', 'spam')
                         ORDER BY l.id DESC LIMIT 1) AS d ON true
      WHERE c.id > (SELECT counted_through FROM moderation_counts_state)
        AND c.id <= (SELECT span_end FROM moderation_counts_state)) AS hit
GROUP BY day, rule;
