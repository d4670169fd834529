-- A questionnaire form carries a random token, so sending the same form twice (a double click, a
-- reload after posting) stores one result. Only a hash of each token is kept, with the id of the
-- result it produced; tokens are forgotten after a day.
CREATE TABLE submission_tokens (
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash  BYTEA NOT NULL,
    result_id   TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (user_id, token_hash)
);
