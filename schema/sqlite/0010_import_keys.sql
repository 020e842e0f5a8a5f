-- Imports (vokter import …): which comment each imported record became, so that importing the
-- same export again adds nothing and a reply found later still finds its parent. `source` names
-- the export's origin ("wordpress https://blogg.example.no"), `external_id` the record's id there.
-- Applied with PRAGMA user_version = 10.

CREATE TABLE import_keys (
    source      TEXT    NOT NULL,
    external_id TEXT    NOT NULL,
    comment_id  INTEGER NOT NULL REFERENCES comments(id) ON DELETE CASCADE,
    PRIMARY KEY (source, external_id)
) WITHOUT ROWID;
CREATE INDEX import_keys_comment ON import_keys (comment_id);
