-- API tokens with a role (issue 3).
-- Portable SQL (SQLite and PostgreSQL).
--
-- A token is stored only as the lowercase hex SHA-256 of its text: the token is 256 random
-- bits, so its hash cannot be reversed or guessed, and a leaked table grants nothing.
-- Revoking sets revoked_at; rows are kept, since survey versions name their author.
CREATE TABLE api_tokens (
    token_sha256 TEXT NOT NULL PRIMARY KEY,
    name         TEXT NOT NULL,
    role         TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    revoked_at   TEXT
);
