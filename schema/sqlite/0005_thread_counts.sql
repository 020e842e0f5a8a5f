-- Status out of the thread index. comments_thread_queue_created (thread, status, created) moved an
-- entry between two places of a thread's range whenever a moderator decided: about a third of
-- the pages a 500-comment decision wrote. The thread's comments are now indexed by time alone,
-- and the one figure that needed status in that index, a thread's approved count, is kept on the
-- thread by triggers (a handful of pages for any decision, as threads are few).
-- Applied with PRAGMA user_version = 5.

ALTER TABLE threads ADD COLUMN approved INTEGER NOT NULL DEFAULT 0;  -- approved comments
UPDATE threads SET approved =
    (SELECT count(*) FROM comments WHERE thread_id = threads.id AND status = 'approved');

CREATE TRIGGER comments_approved_insert AFTER INSERT ON comments
WHEN new.status = 'approved'
BEGIN
    UPDATE threads SET approved = approved + 1 WHERE id = new.thread_id;
END;

CREATE TRIGGER comments_approved_update AFTER UPDATE OF status, thread_id ON comments
WHEN (old.status = 'approved') <> (new.status = 'approved') OR old.thread_id <> new.thread_id
BEGIN
    UPDATE threads SET approved = approved - 1
    WHERE id = old.thread_id AND old.status = 'approved';
    UPDATE threads SET approved = approved + 1
    WHERE id = new.thread_id AND new.status = 'approved';
END;

CREATE TRIGGER comments_approved_delete AFTER DELETE ON comments
WHEN old.status = 'approved'
BEGIN
    UPDATE threads SET approved = approved - 1 WHERE id = old.thread_id;
END;

-- A thread's comments in time order: its public pages (top-level comments, filtered by row)
-- and its moderation queue by time (filtered by status).
DROP INDEX comments_thread_queue_created;
CREATE INDEX comments_thread_created ON comments (thread_id, created, id);
