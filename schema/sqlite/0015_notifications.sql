-- Notifications: events for moderators (a comment held, a comment filed as spam, a burst of spam,
-- a rule file refused), written in the transaction of the change they tell of, and their
-- delivery to each receiver (a webhook, the moderators' e-mail) by the sender
-- (app/notify/sender.hpp). An event names its comment rather than copying it: what is sent is
-- read at delivery, so an erasure or deletion in between is respected, and the outbox holds no
-- personal data of its own. Applied with PRAGMA user_version = 15.

CREATE TABLE notification_events (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused: receivers keep a mark
    kind       TEXT    NOT NULL,  -- comment.held, comment.spam, spam.burst, rules.failed
    comment_id INTEGER,           -- comment.*: the comment (no foreign key: a purge may go first)
    detail     TEXT    NOT NULL DEFAULT '',  -- spam.burst: the count; rules.failed: the errors
    created    INTEGER NOT NULL
);
CREATE INDEX notification_events_kind ON notification_events (kind, id);

-- One row per event and receiver, made by the sender when it first sees the event. A receiver is
-- named by a digest of its address (receiver_key in store/notifications.hpp), never the address.
CREATE TABLE notification_deliveries (
    event_id     INTEGER NOT NULL REFERENCES notification_events (id) ON DELETE CASCADE,
    receiver     TEXT    NOT NULL,
    attempts     INTEGER NOT NULL DEFAULT 0,
    next_attempt INTEGER NOT NULL,  -- due from then; a sender's claim moves it past its attempt
    delivered    INTEGER,           -- when the receiver acknowledged it (2xx, SMTP 250)
    abandoned    INTEGER,           -- when retries ran out (24 h after the event)
    last_error   TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (event_id, receiver)
) WITHOUT ROWID;
CREATE INDEX notification_deliveries_pending ON notification_deliveries (receiver, event_id)
    WHERE delivered IS NULL AND abandoned IS NULL;
CREATE INDEX notification_deliveries_abandoned ON notification_deliveries (abandoned)
    WHERE abandoned IS NOT NULL;
