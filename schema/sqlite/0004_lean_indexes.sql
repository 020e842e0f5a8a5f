-- Leaner comment indexes. Every index is one more B-tree page that storing a comment dirties, and
-- the WAL writes each dirty page whole at every commit: with keys spread over threads, authors
-- and body hashes, each of these indexes costs the writer a page per comment. Schemas 1 and 2 had
-- seven such indexes; this leaves four for an approved comment and five for a held one.
-- Applied with PRAGMA user_version = 4.

-- One index answers both facts about an author: recent comments (flood, through a seek per
-- status) and approved ones (known_author).
DROP INDEX comments_email_created;
DROP INDEX comments_email_status;
CREATE INDEX comments_email ON comments (email, status, created) WHERE email <> '';

-- The queue of one thread by score is read for comments that wait for a decision or were filed
-- away; approved comments, most of a blog's, need no entry (that rarer view sorts the thread's
-- approved comments, found through comments_thread_queue_created). Queries name the condition.
DROP INDEX comments_thread_queue_score;
CREATE INDEX comments_thread_queue_score ON comments (thread_id, status, score DESC, id DESC)
    WHERE status <> 'approved';

-- A thread's public top-level comments are read through comments_thread_queue_created (thread,
-- status 'approved', time), like its approved count.
DROP INDEX comments_thread_roots;
