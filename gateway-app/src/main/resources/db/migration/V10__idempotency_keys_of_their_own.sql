-- A message's Idempotency-Key in a table of its own, with rows only for the messages sent with one.
-- The unique index over messages (session_id, idempotency_key) took a write on every send, and on
-- H2 another two on each of its four status changes (H2's UPDATE removes and re-adds the row in every
-- index of the table); led by the session, it had one insertion point per busy session, and a
-- commit rewrites every leaf it touched. The column stays in messages, unindexed, for reading back.
CREATE TABLE message_idempotency_keys (
    session_id      VARCHAR(128) NOT NULL,
    idempotency_key VARCHAR(128) NOT NULL,
    message_id      VARCHAR(36)  NOT NULL,
    PRIMARY KEY (session_id, idempotency_key)
);

INSERT INTO message_idempotency_keys (session_id, idempotency_key, message_id)
SELECT session_id, idempotency_key, id FROM messages WHERE idempotency_key IS NOT NULL;

ALTER TABLE messages DROP CONSTRAINT uq_messages_idempotency;
