-- Health data: each user's metrics key (wrapped by the data key) and questionnaire results
-- encrypted under it. Which questionnaire and when are in clear, as the threat model admits.
CREATE TABLE metrics_keys (
    user_id      TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    key_wrapped  BLOB NOT NULL,
    created_at   INTEGER NOT NULL
) STRICT;

CREATE TABLE assessments (
    id          TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    instrument  TEXT NOT NULL,
    taken_at    INTEGER NOT NULL,
    content     BLOB NOT NULL
) STRICT;

CREATE INDEX assessments_by_user ON assessments (user_id, instrument, taken_at DESC);
