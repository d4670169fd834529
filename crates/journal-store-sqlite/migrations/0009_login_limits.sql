-- Sign-in attempt counters, shared by every app server on this database so that a limit holds
-- however many servers there are. The key is a keyed hash of what is counted (an address, an
-- account, a device), never the address or email itself; rows go once their window has ended.
CREATE TABLE login_counters (
    key       BLOB PRIMARY KEY,
    count     INTEGER NOT NULL,
    reset_at  INTEGER NOT NULL
);

CREATE INDEX login_counters_by_reset ON login_counters (reset_at);

-- One row: the random secret that signs device cookies and keys the counter hashes. It unlocks
-- no one's data; whoever holds the database could only mint a cookie that skips the per-account
-- slowdown.
CREATE TABLE server_settings (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    secret      BLOB NOT NULL,
    created_at  INTEGER NOT NULL
);
