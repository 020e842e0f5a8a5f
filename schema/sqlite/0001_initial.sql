-- Vokter's first schema: threads, comments with their verdicts, rule hits, moderators and the
-- moderation log. Times are Unix milliseconds (UTC). Applied with PRAGMA user_version = 1.

CREATE TABLE threads (
    id       INTEGER PRIMARY KEY,
    uri      TEXT    NOT NULL UNIQUE,
    title    TEXT    NOT NULL DEFAULT '',
    closed   INTEGER NOT NULL DEFAULT 0 CHECK (closed IN (0, 1)),
    created  INTEGER NOT NULL
);

CREATE TABLE comments (
    id               INTEGER PRIMARY KEY,
    thread_id        INTEGER NOT NULL REFERENCES threads(id),
    parent_id        INTEGER REFERENCES comments(id),
    root_id          INTEGER,                   -- the top-level comment of its tree; NULL for roots
    depth            INTEGER NOT NULL DEFAULT 0, -- 0 for top-level comments
    name             TEXT    NOT NULL DEFAULT '',
    email            TEXT    NOT NULL DEFAULT '',
    website          TEXT    NOT NULL DEFAULT '',
    body             TEXT    NOT NULL,
    body_fingerprint INTEGER NOT NULL,          -- core::body_fingerprint, for duplicate look-ups
    ip               TEXT    NOT NULL DEFAULT '',
    user_agent       TEXT    NOT NULL DEFAULT '',
    referrer         TEXT    NOT NULL DEFAULT '',
    status           TEXT    NOT NULL
                     CHECK (status IN ('approved', 'pending', 'spam', 'rejected', 'deleted')),
    score            REAL    NOT NULL DEFAULT 0,
    ruleset_version  TEXT    NOT NULL DEFAULT '',
    source           TEXT    NOT NULL DEFAULT 'api',
    edit_token_hash  BLOB,                      -- SHA-256 of the commenter's edit token
    edit_until       INTEGER NOT NULL DEFAULT 0,
    created          INTEGER NOT NULL,
    updated          INTEGER NOT NULL
);

-- The public thread page: roots of a thread in order, then every reply of those roots.
-- (Approved counts per thread use comments_thread_queue_created of 0002.)
CREATE INDEX comments_thread_roots ON comments (thread_id, parent_id, created, id);
CREATE INDEX comments_root ON comments (root_id, created, id);
-- The moderator queue by status, riskiest or newest first.
CREATE INDEX comments_queue_score ON comments (status, score DESC, id DESC);
CREATE INDEX comments_queue_created ON comments (status, created, id);
-- Facts for the rules: flood per IP and email, an author's approved count, duplicate bodies. Every index costs each insert a B-tree update: keep only those a query needs.
CREATE INDEX comments_ip_created ON comments (ip, created);
CREATE INDEX comments_email_created ON comments (email, created) WHERE email <> '';
CREATE INDEX comments_email_status ON comments (email, status) WHERE email <> '';
CREATE INDEX comments_fingerprint ON comments (body_fingerprint, created);

-- A comment's hits, clustered by comment: one B-tree, and a new comment's hits land together at
-- its end, so storing them costs the writer one page or two.
CREATE TABLE rule_hits (
    comment_id INTEGER NOT NULL REFERENCES comments(id) ON DELETE CASCADE,
    seq        INTEGER NOT NULL,                -- position among the comment's hits
    rule       TEXT    NOT NULL,
    score      REAL    NOT NULL,
    field      TEXT    NOT NULL DEFAULT '',
    detail     TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (comment_id, seq)
) WITHOUT ROWID;

CREATE TABLE moderators (
    id         INTEGER PRIMARY KEY,
    name       TEXT    NOT NULL UNIQUE,
    token_hash BLOB    NOT NULL UNIQUE,         -- SHA-256 of the bearer token; the token is never stored
    created    INTEGER NOT NULL
);

CREATE TABLE moderation_log (
    id         INTEGER PRIMARY KEY,
    comment_id INTEGER REFERENCES comments(id),
    moderator  TEXT    NOT NULL,
    action     TEXT    NOT NULL,
    old_status TEXT    NOT NULL DEFAULT '',
    new_status TEXT    NOT NULL DEFAULT '',
    note       TEXT    NOT NULL DEFAULT '',
    created    INTEGER NOT NULL
);
CREATE INDEX moderation_log_comment ON moderation_log (comment_id, id);
CREATE INDEX moderation_log_moderator ON moderation_log (moderator, id);

-- Small key/value settings the service keeps for itself (the form-token signing key, …).
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value BLOB NOT NULL
) WITHOUT ROWID;
