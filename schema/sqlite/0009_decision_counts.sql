-- A decision's upkeep of the rule counts (rule_counts_decision of 0007), the same figures at
-- about 40% less cost: the previous decision is found once, as a log row joined by id, where
-- 0007 read it through a FROM-clause subquery that SQLite builds a temporary table for on every
-- decision; three-way IN lists, which SQLite also evaluates through a temporary table each time,
-- are spelled out as comparisons; and a hit whose standing does not change is skipped before its
-- row is written instead of upserted with zeros. A 500-id decision at 1,000,000 comments spends
-- 5 ms less in its triggers (bench/queue_bench).
-- Applied with PRAGMA user_version = 9.

DROP TRIGGER rule_counts_decision;

-- A decision moves each hit of its comment from what the previous decision made it (agreeing,
-- disagreeing or neither) to what this one makes it: a hit that scored for spam agrees with spam
-- and rejected and disagrees with approved; a hit that scored for ham the other way round; a hit
-- of score 0 never counts. Standing 1 is approved, 2 spam or rejected, 0 none (no decision yet).
CREATE TRIGGER rule_counts_decision AFTER INSERT ON moderation_log
WHEN (new.action = 'approve' OR new.action = 'reject' OR new.action = 'spam')
 AND new.comment_id <= (SELECT counted_through FROM moderation_counts_state)
BEGIN
    INSERT INTO rule_counts (day, rule, hits, agreed, disagreed)
    SELECT c.created / 86400000, h.rule, 0,
           coalesce((h.score > 0 AND (new.new_status = 'spam' OR new.new_status = 'rejected')) OR
                    (h.score < 0 AND new.new_status = 'approved'), 0) -
           coalesce((h.score > 0 AND (p.new_status = 'spam' OR p.new_status = 'rejected')) OR
                    (h.score < 0 AND p.new_status = 'approved'), 0),
           coalesce((h.score > 0 AND new.new_status = 'approved') OR
                    (h.score < 0 AND (new.new_status = 'spam' OR new.new_status = 'rejected')), 0) -
           coalesce((h.score > 0 AND p.new_status = 'approved') OR
                    (h.score < 0 AND (p.new_status = 'spam' OR p.new_status = 'rejected')), 0)
    FROM comments c
    JOIN rule_hits h ON h.comment_id = c.id
    LEFT JOIN moderation_log p
           ON p.id = (SELECT l.id FROM moderation_log l
                      WHERE l.comment_id = new.comment_id AND l.id < new.id
                        AND (l.action = 'approve' OR l.action = 'reject' OR l.action = 'spam')
                      ORDER BY l.id DESC LIMIT 1)
    WHERE c.id = new.comment_id AND h.score <> 0
      AND (CASE WHEN new.new_status = 'approved' THEN 1
                WHEN new.new_status = 'spam' OR new.new_status = 'rejected' THEN 2 ELSE 0 END) <>
          (CASE WHEN p.new_status = 'approved' THEN 1
                WHEN p.new_status = 'spam' OR p.new_status = 'rejected' THEN 2 ELSE 0 END)
    ON CONFLICT (day, rule) DO UPDATE SET agreed = agreed + excluded.agreed,
        disagreed = disagreed + excluded.disagreed;
END;
