-- Self-care goals. Title, why, category, cadence, dates and status are one encrypted blob under
-- the records sub-key; only ids, the owner and times are in clear.
CREATE TABLE goals (
    id          TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL,
    content     BYTEA NOT NULL
);

CREATE INDEX goals_by_user ON goals (user_id);

-- A check-in's day is in clear (like any timestamp); its note is encrypted, empty when none.
CREATE TABLE goal_checkins (
    id          TEXT PRIMARY KEY,
    goal_id     TEXT NOT NULL REFERENCES goals (id) ON DELETE CASCADE,
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    day         TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    note        BYTEA NOT NULL
);

CREATE INDEX checkins_by_user ON goal_checkins (user_id, day);

-- Reminder times (nothing sensitive) and the private calendar feed, found by the hash of its
-- secret token; the token is kept sealed so its owner can see the address again.
CREATE TABLE reminders (
    user_id            TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    feed_token_hash    BYTEA NOT NULL UNIQUE,
    feed_token_sealed  BYTEA NOT NULL,
    journal_time       TEXT,
    checkin_time       TEXT,
    goal_time          TEXT,
    goal_reminders     BOOLEAN NOT NULL DEFAULT FALSE,
    updated_at         BIGINT NOT NULL
);
