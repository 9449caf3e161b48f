-- One schema for H2 (MariaDB mode) and MariaDB. Times are epoch milliseconds (BIGINT):
-- no time-zone conversions between drivers.
CREATE TABLE users (
    id            VARCHAR(36)  NOT NULL PRIMARY KEY,
    username      VARCHAR(64)  NOT NULL,
    password_hash VARCHAR(255) NOT NULL,
    role          VARCHAR(16)  NOT NULL,
    created_at    BIGINT       NOT NULL,
    CONSTRAINT uq_users_username UNIQUE (username)
);

CREATE TABLE sessions (
    id           VARCHAR(128) NOT NULL PRIMARY KEY,
    user_id      VARCHAR(36)  NOT NULL,
    name         VARCHAR(100) NOT NULL,
    engine       VARCHAR(64)  NOT NULL,
    status       VARCHAR(16)  NOT NULL,
    reason       VARCHAR(32),
    phone_number VARCHAR(20),
    display_name VARCHAR(100),
    created_at   BIGINT       NOT NULL,
    updated_at   BIGINT       NOT NULL,
    CONSTRAINT fk_sessions_user FOREIGN KEY (user_id) REFERENCES users (id)
);

CREATE INDEX idx_sessions_user ON sessions (user_id);
