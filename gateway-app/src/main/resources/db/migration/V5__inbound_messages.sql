-- Messages that arrived for a session's account. One schema for H2 (MariaDB mode) and MariaDB;
-- times are epoch milliseconds. One row per WhatsApp message id and session: an engine that
-- reports a message again (after a reconnect) does not store it twice.
CREATE TABLE inbound_messages (
    session_id  VARCHAR(128) NOT NULL,
    message_id  VARCHAR(128) NOT NULL,
    sender      VARCHAR(128) NOT NULL,
    sender_name VARCHAR(100),
    chat_id     VARCHAR(128) NOT NULL,
    body        MEDIUMTEXT,
    type        VARCHAR(32)  NOT NULL,
    sent_at     BIGINT       NOT NULL,
    received_at BIGINT       NOT NULL,
    PRIMARY KEY (session_id, message_id)
);

CREATE INDEX idx_inbound_messages_session ON inbound_messages (session_id, received_at);
