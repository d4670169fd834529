-- Reminders that are sent: where to (channels) and when (jobs). The delivery worker reads these
-- with nobody signed in, so a destination is sealed under a key derived from the server key file
-- outside the database, not under the person's data key. Every message is a neutral line: no
-- content is kept here.
CREATE TABLE reminder_channels (
    id                  TEXT PRIMARY KEY,
    user_id             TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind                TEXT NOT NULL,
    destination_sealed  BLOB NOT NULL,
    verified_at         INTEGER,
    verify_token_hash   BLOB UNIQUE,
    verify_expires_at   INTEGER,
    failures            INTEGER NOT NULL DEFAULT 0,
    last_error          TEXT,
    last_failed_at      INTEGER,
    created_at          INTEGER NOT NULL
);

CREATE INDEX reminder_channels_by_user ON reminder_channels (user_id);

-- One row per reminder, carrying its next due time. A server claims due rows for a short lease
-- (claimed_by, claimed_until), so with several servers each occurrence is sent by one of them.
CREATE TABLE reminder_jobs (
    id                TEXT PRIMARY KEY,
    user_id           TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    channel_id        TEXT NOT NULL REFERENCES reminder_channels (id) ON DELETE CASCADE,
    spec              TEXT NOT NULL,
    specific_wording  INTEGER NOT NULL DEFAULT 0,
    due_at            INTEGER,
    attempts          INTEGER NOT NULL DEFAULT 0,
    last_error        TEXT,
    claimed_by        TEXT,
    claimed_until     INTEGER,
    created_at        INTEGER NOT NULL
);

CREATE INDEX reminder_jobs_by_due ON reminder_jobs (due_at);
CREATE INDEX reminder_jobs_by_user ON reminder_jobs (user_id);
CREATE INDEX reminder_jobs_by_channel ON reminder_jobs (channel_id);
