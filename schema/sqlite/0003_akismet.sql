-- The Akismet-compatible API: API keys for blogs, and the labels clients report with
-- /1.1/submit-spam and /1.1/submit-ham. Applied with PRAGMA user_version = 3.

-- One key per blog (or client). Only the SHA-256 of the key is stored; the key is shown once.
CREATE TABLE api_keys (
    id       INTEGER PRIMARY KEY,
    name     TEXT    NOT NULL UNIQUE,
    key_hash BLOB    NOT NULL UNIQUE,            -- SHA-256 of the key
    blog     TEXT    NOT NULL,                   -- the blog URL the key was made for
    created  INTEGER NOT NULL
);

-- A label a client reported: the comment's fields as sent (after conversion to UTF-8), and the
-- stored Akismet comment it matched, if any (that comment's status was then moved through the
-- moderation path, so the label also shows in the audit log, the stats and the rules'
-- agreement figures). These rows are training data for a learning filter.
CREATE TABLE akismet_labels (
    id           INTEGER PRIMARY KEY,
    api_key      TEXT    NOT NULL,               -- the key's name (keys may be removed later)
    label        TEXT    NOT NULL CHECK (label IN ('spam', 'ham')),
    comment_id   INTEGER REFERENCES comments(id),
    blog         TEXT    NOT NULL DEFAULT '',
    permalink    TEXT    NOT NULL DEFAULT '',
    comment_type TEXT    NOT NULL DEFAULT '',
    name         TEXT    NOT NULL DEFAULT '',
    email        TEXT    NOT NULL DEFAULT '',
    website      TEXT    NOT NULL DEFAULT '',
    body         TEXT    NOT NULL DEFAULT '',
    ip           TEXT    NOT NULL DEFAULT '',
    user_agent   TEXT    NOT NULL DEFAULT '',
    referrer     TEXT    NOT NULL DEFAULT '',
    created      INTEGER NOT NULL
);
CREATE INDEX akismet_labels_comment ON akismet_labels (comment_id) WHERE comment_id IS NOT NULL;
