-- Accounts and sessions. Everything secret is stored wrapped (see docs/SECURITY.md); the clear
-- columns are the metadata the threat model admits: email, name, role and timestamps.
CREATE TABLE users (
    id                  TEXT PRIMARY KEY,
    email               TEXT NOT NULL UNIQUE,
    display_name        TEXT NOT NULL,
    role                TEXT NOT NULL CHECK (role IN ('client', 'therapist')),
    created_at          INTEGER NOT NULL,
    disabled            INTEGER NOT NULL DEFAULT 0,
    pw_kdf_memory_kib   INTEGER NOT NULL,
    pw_kdf_iterations   INTEGER NOT NULL,
    pw_kdf_parallelism  INTEGER NOT NULL,
    pw_salt             BLOB NOT NULL,
    pw_verifier         BLOB NOT NULL,
    dek_by_password     BLOB NOT NULL,
    rc_kdf_memory_kib   INTEGER NOT NULL,
    rc_kdf_iterations   INTEGER NOT NULL,
    rc_kdf_parallelism  INTEGER NOT NULL,
    rc_salt             BLOB NOT NULL,
    dek_by_recovery     BLOB NOT NULL,
    public_key          BLOB NOT NULL,
    secret_key_wrapped  BLOB NOT NULL
) STRICT;

CREATE TABLE sessions (
    id            TEXT PRIMARY KEY,
    user_id       TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash    BLOB NOT NULL UNIQUE,
    kind          TEXT NOT NULL CHECK (kind IN ('browser', 'api')),
    name          TEXT,
    dek_wrapped   BLOB NOT NULL,
    created_at    INTEGER NOT NULL,
    last_seen_at  INTEGER NOT NULL,
    expires_at    INTEGER
) STRICT;

CREATE INDEX sessions_by_user ON sessions (user_id);
