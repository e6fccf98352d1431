-- Sign-in (issue 7): users, their browser sessions and their API tokens.
-- Portable SQL (SQLite today, PostgreSQL later): text keys, BIGINT unix
-- seconds for instants, no AUTOINCREMENT. Secrets are never stored: a session
-- or token is kept as the SHA-256 of its random value, a password as an
-- argon2id PHC string.

-- `role`: viewer (browse, validate), editor (drafts, branches, pull
-- requests) or admin (also direct commits, validation overrides, users and
-- tokens). `password_hash` is NULL for a user who signs in with tokens only
-- (the bootstrap user). `name` and `email` are the commit author.
CREATE TABLE users (
    username      TEXT   NOT NULL PRIMARY KEY,
    name          TEXT   NOT NULL,
    email         TEXT   NOT NULL,
    role          TEXT   NOT NULL CHECK (role IN ('viewer', 'editor', 'admin')),
    password_hash TEXT,
    created_at    BIGINT NOT NULL
);

-- One signed-in browser. `id_hash`: SHA-256 (hex) of the cookie's value.
CREATE TABLE sessions (
    id_hash    TEXT   NOT NULL PRIMARY KEY,
    username   TEXT   NOT NULL REFERENCES users (username) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_username ON sessions (username);

-- An API token (`Authorization: Bearer`). `id` is public (shown in lists,
-- used to revoke); `secret_hash` is the SHA-256 (hex) of the whole token.
-- `scope`: read (GET and validate) or write (also what the owner's role
-- allows). `expires_at` NULL: never expires.
CREATE TABLE api_tokens (
    id           TEXT   NOT NULL PRIMARY KEY,
    secret_hash  TEXT   NOT NULL UNIQUE,
    username     TEXT   NOT NULL REFERENCES users (username) ON DELETE CASCADE,
    name         TEXT   NOT NULL,
    scope        TEXT   NOT NULL CHECK (scope IN ('read', 'write')),
    created_at   BIGINT NOT NULL,
    expires_at   BIGINT,
    last_used_at BIGINT
);
CREATE INDEX api_tokens_username ON api_tokens (username);
