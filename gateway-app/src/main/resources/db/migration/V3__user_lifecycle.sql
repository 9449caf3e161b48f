-- Users get a lifecycle. One schema for H2 (MariaDB mode) and MariaDB.
-- username_key: the lower-cased name, unique. H2 compares strings case-sensitively, MariaDB's
-- default collation does not: comparing a normalized copy makes "Admin" beside "admin" a
-- duplicate on both. (A database that already holds two such names stops here, by design.)
ALTER TABLE users ADD COLUMN username_key VARCHAR(64) NOT NULL DEFAULT '';
UPDATE users SET username_key = LOWER(username);
ALTER TABLE users ADD CONSTRAINT uq_users_username_key UNIQUE (username_key);
ALTER TABLE users ADD COLUMN enabled BOOLEAN NOT NULL DEFAULT TRUE;
-- Bumped on every change that must end the user's tokens (role, disable, password): a token
-- carries the generation it was issued under and is refused once it differs.
ALTER TABLE users ADD COLUMN token_generation BIGINT NOT NULL DEFAULT 0;

-- Tokens signed out before their expiry; a row is useless (and deleted) once expires_at passed.
CREATE TABLE revoked_tokens (
    jti        VARCHAR(36) NOT NULL PRIMARY KEY,
    user_id    VARCHAR(36) NOT NULL,
    expires_at BIGINT      NOT NULL
);

CREATE INDEX idx_revoked_tokens_expiry ON revoked_tokens (expires_at);
