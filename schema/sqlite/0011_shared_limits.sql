-- Rate-limit buckets shared by the replicas of one database. A SQLite store serves one process,
-- which keeps its buckets in memory (http/rate_limiter.hpp): this table stays empty here, and
-- exists so that both backends have the same tables at the same version (`vokter store copy`).
-- Applied with PRAGMA user_version = 11.

CREATE TABLE rate_buckets (
    key     TEXT    PRIMARY KEY,  -- the client's address
    tokens  REAL    NOT NULL,     -- posts it may make now (refilled continuously)
    updated INTEGER NOT NULL      -- Unix milliseconds of the last change
) WITHOUT ROWID;
