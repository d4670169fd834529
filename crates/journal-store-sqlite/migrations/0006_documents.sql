-- Personal records kept whole, one encrypted document each (the prompt book, the safety plan),
-- under a sub-key of the user's data key. Only the owner, the kind and the time are in clear.
CREATE TABLE documents (
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind        TEXT NOT NULL,
    content     BLOB NOT NULL,
    updated_at  INTEGER NOT NULL,
    PRIMARY KEY (user_id, kind)
) STRICT;
