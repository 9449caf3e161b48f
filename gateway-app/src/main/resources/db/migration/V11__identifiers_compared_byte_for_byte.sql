-- Keys that come from outside (a client's idempotency key, WhatsApp's message ids, an engine's
-- credential names such as base64 key ids) must match byte for byte. MariaDB's default collation
-- (utf8mb4_general_ci) ignores case and trailing spaces: "Order-7f3a" answered as a replay of
-- "ORDER-7F3A", and two signal keys whose ids differ in case overwrote each other. H2 compares
-- exactly already and accepts (ignores) this statement in MariaDB mode, so the schema stays one.
ALTER TABLE message_idempotency_keys CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin;
ALTER TABLE inbound_messages CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin;
ALTER TABLE session_credentials CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin;
