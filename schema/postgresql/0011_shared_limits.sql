-- Rate-limit buckets shared by the replicas of one database: posts, edits and deletions from one
-- address share `rate_limit_per_minute` however a load balancer spreads them. UNLOGGED: a bucket
-- is not worth a WAL record, and a crash of the server forgetting them is harmless.

CREATE UNLOGGED TABLE rate_buckets (
    key     TEXT             PRIMARY KEY,  -- the client's address
    tokens  DOUBLE PRECISION NOT NULL,     -- posts it may make now (refilled continuously)
    updated BIGINT           NOT NULL      -- Unix milliseconds of the last change
);

-- Takes one token from the bucket of `bucket_key`, which holds `per_minute` tokens and refills
-- continuously, by the server's clock (one clock for every replica). Returns 0 when a token was
-- taken, otherwise the seconds (at least 1) until the next one: the Retry-After value. The row
-- lock serialises replicas taking from the same bucket.
CREATE FUNCTION take_rate_token(bucket_key TEXT, per_minute INTEGER) RETURNS INTEGER
LANGUAGE plpgsql AS $$
DECLARE
    now_ms BIGINT := (extract(epoch FROM clock_timestamp()) * 1000)::BIGINT;
    per_ms DOUBLE PRECISION := per_minute / 60000.0;
    available DOUBLE PRECISION;
BEGIN
    INSERT INTO rate_buckets (key, tokens, updated) VALUES (bucket_key, per_minute, now_ms)
    ON CONFLICT (key) DO NOTHING;
    SELECT LEAST(per_minute, tokens + GREATEST(0, now_ms - updated) * per_ms) INTO available
    FROM rate_buckets WHERE key = bucket_key FOR UPDATE;
    -- Now and then, forget clients whose buckets are full again.
    IF random() < 0.001 THEN
        DELETE FROM rate_buckets WHERE updated < now_ms - 60000 * 2;
    END IF;
    IF available >= 1 THEN
        UPDATE rate_buckets SET tokens = available - 1, updated = now_ms WHERE key = bucket_key;
        RETURN 0;
    END IF;
    UPDATE rate_buckets SET tokens = available, updated = now_ms WHERE key = bucket_key;
    RETURN GREATEST(1, ceil((1 - available) / per_ms / 1000.0))::INTEGER;
END;
$$;
