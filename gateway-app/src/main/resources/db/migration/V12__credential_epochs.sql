-- A logout waits for an engine's credential write under way only so long (the engine-call
-- timeout): one stuck longer could land after the logout's delete, under the same key a new link
-- then writes. Each link of a session now writes under its own epoch, part of the key, and a
-- logout moves the session to the next: a late write of the last link lands beside the new one's
-- entries, never over them, and nobody reads it (reads are of the session's current epoch).
ALTER TABLE sessions ADD COLUMN credential_epoch BIGINT NOT NULL DEFAULT 0;
ALTER TABLE session_credentials ADD COLUMN epoch BIGINT NOT NULL DEFAULT 0;
ALTER TABLE session_credentials DROP PRIMARY KEY;
ALTER TABLE session_credentials ADD PRIMARY KEY (session_id, epoch, name);
