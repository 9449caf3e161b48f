-- Engine credentials per session (opaque to the host), and outgoing messages with their history.
CREATE TABLE session_credentials (
    session_id VARCHAR(128) NOT NULL,
    name       VARCHAR(200) NOT NULL,
    data       MEDIUMBLOB   NOT NULL,
    updated_at BIGINT       NOT NULL,
    PRIMARY KEY (session_id, name)
);

CREATE TABLE messages (
    id              VARCHAR(36)   NOT NULL PRIMARY KEY,
    session_id      VARCHAR(128)  NOT NULL,
    recipient       VARCHAR(20)   NOT NULL,
    body            MEDIUMTEXT    NOT NULL,
    status          VARCHAR(16)   NOT NULL,
    error           VARCHAR(255),
    idempotency_key VARCHAR(128),
    created_at      BIGINT        NOT NULL,
    updated_at      BIGINT        NOT NULL,
    delivered_at    BIGINT,
    CONSTRAINT uq_messages_idempotency UNIQUE (session_id, idempotency_key)
);

CREATE INDEX idx_messages_session ON messages (session_id, created_at);

CREATE TABLE message_status_history (
    message_id VARCHAR(36)  NOT NULL,
    status     VARCHAR(16)  NOT NULL,
    at         BIGINT       NOT NULL,
    error      VARCHAR(255),
    PRIMARY KEY (message_id, status)
);
