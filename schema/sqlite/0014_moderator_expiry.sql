-- Moderator tokens that expire, and when each was last used (`vokter moderator add --expires-days`,
-- `vokter moderator rotate`, `vokter moderator list`, GET /api/moderation/me). Times are Unix
-- milliseconds; NULL: the token never expires, has not been used. `token_created` is when the
-- token in force was issued (rotation issues a new one); NULL on accounts older than this
-- version, whose token is the one issued at `created`. Applied with PRAGMA user_version = 14.

ALTER TABLE moderators ADD COLUMN expires INTEGER;
ALTER TABLE moderators ADD COLUMN last_used INTEGER;
ALTER TABLE moderators ADD COLUMN token_created INTEGER;
