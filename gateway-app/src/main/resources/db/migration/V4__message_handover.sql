-- When a message was handed to its engine (NULL: not yet). On the end of an engine session a
-- message it never got is sent again on reconnect; one it got but never confirmed is settled.
ALTER TABLE messages ADD COLUMN handed_at BIGINT;

-- Until now a message was handed to the engine as it was stored.
UPDATE messages SET handed_at = created_at;
