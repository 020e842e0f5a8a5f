-- Replies by their parent, for the foreign key comments.parent_id: deleting a comment row (the
-- retention purge of old spam, store/retention.hpp) makes PostgreSQL look for rows that point at
-- it, which without an index on parent_id is a sequential scan of comments per deleted row.
-- Partial: top-level comments, most of them, add nothing to it.

CREATE INDEX comments_parent ON comments (parent_id) WHERE parent_id IS NOT NULL;
