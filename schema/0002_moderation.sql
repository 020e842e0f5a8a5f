-- Moderation: what the queue, the audit log and the statistics need beyond schema 1.
-- Applied with PRAGMA user_version = 2.

-- Statistics per day look at every comment submitted in a time window, whatever its status.
CREATE INDEX comments_created ON comments (created);

-- The audit log filtered by action (rules changes) newest first.
CREATE INDEX moderation_log_action ON moderation_log (action, id);
