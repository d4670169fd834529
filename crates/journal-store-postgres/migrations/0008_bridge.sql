-- The therapist bridge. Invite codes are stored as hashes. A link records which of mood,
-- questionnaires and goal progress are shared, with the client's metrics key boxed to the therapist while either
-- is. A shared entry is a row holding the entry's key boxed from client to therapist; ending the
-- link deletes every share of it. Comments are encrypted under the entry's key; homework under a
-- random key boxed to the client. The access log is a hash chain per client, whose newest hash is
-- kept with the client so a deleted last row is noticed too.
CREATE TABLE invites (
    code_hash     BYTEA PRIMARY KEY,
    therapist_id  TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at    BIGINT NOT NULL,
    expires_at    BIGINT NOT NULL,
    used_at       BIGINT
);

CREATE TABLE connections (
    id                 TEXT PRIMARY KEY,
    therapist_id       TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    client_id          TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at         BIGINT NOT NULL,
    share_mood         BOOLEAN NOT NULL DEFAULT FALSE,
    share_assessments  BOOLEAN NOT NULL DEFAULT FALSE,
    share_goals        BOOLEAN NOT NULL DEFAULT FALSE,
    metrics_box        BYTEA,
    UNIQUE (therapist_id, client_id)
);

CREATE INDEX connections_by_client ON connections (client_id);

CREATE TABLE entry_shares (
    entry_id       TEXT NOT NULL REFERENCES entries (id) ON DELETE CASCADE,
    connection_id  TEXT NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    key_box        BYTEA NOT NULL,
    created_at     BIGINT NOT NULL,
    PRIMARY KEY (entry_id, connection_id)
);

CREATE INDEX entry_shares_by_connection ON entry_shares (connection_id);

CREATE TABLE comments (
    id          TEXT PRIMARY KEY,
    seq         BIGSERIAL,
    entry_id    TEXT NOT NULL REFERENCES entries (id) ON DELETE CASCADE,
    author_id   TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at  BIGINT NOT NULL,
    body        BYTEA NOT NULL
);

CREATE INDEX comments_by_entry ON comments (entry_id, created_at);

CREATE TABLE assignments (
    id               TEXT PRIMARY KEY,
    connection_id    TEXT NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    created_at       BIGINT NOT NULL,
    due_date         TEXT,
    content          BYTEA NOT NULL,
    key_box          BYTEA NOT NULL,
    answered_at      BIGINT,
    answer_entry_id  TEXT
);

CREATE INDEX assignments_by_connection ON assignments (connection_id);

CREATE TABLE access_log (
    seq             BIGSERIAL PRIMARY KEY,
    client_id       TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    therapist_id    TEXT NOT NULL,
    therapist_name  TEXT NOT NULL,
    item_kind       TEXT NOT NULL,
    item_id         TEXT NOT NULL,
    at              BIGINT NOT NULL,
    prev_hash       BYTEA NOT NULL,
    hash            BYTEA NOT NULL
);

CREATE INDEX access_log_by_client ON access_log (client_id, seq);

ALTER TABLE users ADD COLUMN access_log_head BYTEA;
ALTER TABLE metrics_keys ADD COLUMN rotate_pending BOOLEAN NOT NULL DEFAULT FALSE;
