-- The learned classifier (core/classifier). Its counts are derived data: every moderator
-- decision that labels a comment (approve -> ham, spam -> spam), every Akismet submit-ham or
-- submit-spam and every `vokter learn` row first writes a training job to classifier_outbox, in
-- the same transaction as the decision; the trainer (store/trainer) turns jobs into counts in
-- later transactions and deletes them. A job carries a copy of the text it learns from, so a
-- comment deleted or edited meanwhile is still learned and unlearned exactly.
-- Applied with PRAGMA user_version = 6.

-- What a comment has taught the classifier: NULL (nothing), 'ham' or 'spam'.
ALTER TABLE comments ADD COLUMN trained_as TEXT CHECK (trained_as IN ('ham', 'spam'));

-- Per feature (the stable 64-bit hash of its text): in how many learned ham and spam comments it
-- was seen. Rows whose counts both fall to 0 are deleted.
CREATE TABLE classifier_tokens (
    hash INTEGER PRIMARY KEY,
    ham INTEGER NOT NULL CHECK (ham >= 0),
    spam INTEGER NOT NULL CHECK (spam >= 0)
);

-- How many ham and spam comments were learned; `generation` grows with every training
-- transaction, so a process sees when another one (vokter learn) changed the counts.
CREATE TABLE classifier_totals (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    ham INTEGER NOT NULL CHECK (ham >= 0),
    spam INTEGER NOT NULL CHECK (spam >= 0),
    feature_version INTEGER NOT NULL,
    generation INTEGER NOT NULL
);
INSERT INTO classifier_totals (id, ham, spam, feature_version, generation) VALUES (1, 0, 0, 1, 0);

-- Training not yet applied to the counts: unlearn `forget` (when set) and learn `learn` (when
-- set) from this text. comment_id is informational (NULL for Akismet reports and learned files).
CREATE TABLE classifier_outbox (
    id INTEGER PRIMARY KEY,
    comment_id INTEGER,
    forget TEXT CHECK (forget IN ('ham', 'spam')),
    learn TEXT CHECK (learn IN ('ham', 'spam')),
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    website TEXT NOT NULL,
    body TEXT NOT NULL,
    created INTEGER NOT NULL
);
