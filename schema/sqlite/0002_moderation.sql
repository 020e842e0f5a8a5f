-- Moderation: what the queue, the audit log and the statistics need beyond schema 1.
-- Applied with PRAGMA user_version = 2.

-- The queue filtered by thread, riskiest, newest or oldest first: thread, status, then the sort
-- key, so that a page of one thread reads only that page (comments_thread_status would make
-- SQLite sort every comment of the thread, or walk the whole status by score).
CREATE INDEX comments_thread_queue_score ON comments (thread_id, status, score DESC, id DESC);
CREATE INDEX comments_thread_queue_created ON comments (thread_id, status, created, id);

-- Statistics per day look at every comment submitted in a time window, whatever its status.
CREATE INDEX comments_created ON comments (created);
