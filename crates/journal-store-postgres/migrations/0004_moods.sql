-- Mood check-ins: only the moment is in clear; score, emotions, sleep, activities and note are
-- encrypted under the user's metrics key.
CREATE TABLE moods (
    id          TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    at          BIGINT NOT NULL,
    content     BYTEA NOT NULL
);

CREATE INDEX moods_by_user ON moods (user_id, at);
