-- Replies only in comments_root: it is searched by a tree's root (the replies of a thread page's
-- roots, whether a root has approved replies), and top-level comments, most of them, have no
-- root. Each such comment now writes one index entry fewer when it is posted.
-- Applied with PRAGMA user_version = 8.

DROP INDEX comments_root;
CREATE INDEX comments_root ON comments (root_id, created, id) WHERE root_id IS NOT NULL;
