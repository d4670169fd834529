-- The access log records more than therapist reads (shares, exports, sign-ins, an administrator's
-- reset), and new rows are keyed under the server key (version 2) instead of a bare SHA-256.
-- Rows already written stay version 1 and keep verifying as they were.
ALTER TABLE access_log ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE access_log ADD COLUMN event TEXT NOT NULL DEFAULT 'read';
ALTER TABLE access_log ADD COLUMN actor TEXT NOT NULL DEFAULT 'therapist';
ALTER TABLE access_log ADD COLUMN detail TEXT NOT NULL DEFAULT '';

-- The server key's MAC over access_log_head.
ALTER TABLE users ADD COLUMN access_log_head_mac BYTEA;
