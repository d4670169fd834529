-- Accounts and sessions. Everything secret is stored wrapped (see docs/SECURITY.md); the clear
-- columns are the metadata the threat model admits: email, name, role and timestamps.
CREATE TABLE users (
    id                  TEXT PRIMARY KEY,
    email               TEXT NOT NULL UNIQUE,
    display_name        TEXT NOT NULL,
    role                TEXT NOT NULL CHECK (role IN ('client', 'therapist')),
    created_at          BIGINT NOT NULL,
    disabled            BOOLEAN NOT NULL DEFAULT FALSE,
    pw_kdf_memory_kib   BIGINT NOT NULL,
    pw_kdf_iterations   BIGINT NOT NULL,
    pw_kdf_parallelism  BIGINT NOT NULL,
    pw_salt             BYTEA NOT NULL,
    pw_verifier         BYTEA NOT NULL,
    dek_by_password     BYTEA NOT NULL,
    rc_kdf_memory_kib   BIGINT NOT NULL,
    rc_kdf_iterations   BIGINT NOT NULL,
    rc_kdf_parallelism  BIGINT NOT NULL,
    rc_salt             BYTEA NOT NULL,
    dek_by_recovery     BYTEA NOT NULL,
    public_key          BYTEA NOT NULL,
    secret_key_wrapped  BYTEA NOT NULL
);

CREATE TABLE sessions (
    id            TEXT PRIMARY KEY,
    user_id       TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash    BYTEA NOT NULL UNIQUE,
    kind          TEXT NOT NULL CHECK (kind IN ('browser', 'api')),
    name          TEXT,
    dek_wrapped   BYTEA NOT NULL,
    created_at    BIGINT NOT NULL,
    last_seen_at  BIGINT NOT NULL,
    expires_at    BIGINT
);

CREATE INDEX sessions_by_user ON sessions (user_id);
