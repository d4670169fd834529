-- Journal entries. Title, body, tags, mood and prompt live in one encrypted `content` blob under
-- a per-entry key (`key_wrapped`, wrapped by the user's data key). Only ids, the owner, the entry
-- date and timestamps are in clear.
ALTER TABLE users ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'UTC';
-- Bumped by every write to a user's entries, so a server can tell its in-memory search index is
-- stale when another server wrote.
ALTER TABLE users ADD COLUMN content_version INTEGER NOT NULL DEFAULT 0;

CREATE TABLE entries (
    id           TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    entry_date   TEXT NOT NULL,
    key_wrapped  BLOB NOT NULL,
    content      BLOB NOT NULL,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
) STRICT;

CREATE INDEX entries_by_user_date ON entries (user_id, entry_date DESC, created_at DESC, id DESC);

-- Autosaved writing, one per user and per entry being written (`draft_key` is 'new' or an entry id).
CREATE TABLE drafts (
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    draft_key   TEXT NOT NULL,
    content     BLOB NOT NULL,
    updated_at  INTEGER NOT NULL,
    PRIMARY KEY (user_id, draft_key)
) STRICT;
