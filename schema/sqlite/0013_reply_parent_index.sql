-- Replies by their parent, for the foreign key comments.parent_id: deleting a comment row (the
-- retention purge of old spam, store/retention.hpp) makes SQLite look for rows that point at it,
-- which without an index on parent_id reads the whole table once per deleted row (0.6 ms at
-- 5,000 comments, growing with the table). Partial: top-level comments, most of them, add
-- nothing to it. Applied with PRAGMA user_version = 13.

CREATE INDEX comments_parent ON comments (parent_id) WHERE parent_id IS NOT NULL;
