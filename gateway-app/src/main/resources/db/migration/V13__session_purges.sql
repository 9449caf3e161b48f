-- A deleted session's messages go after its row, a chunk per transaction: removed in the writer's
-- shared transaction, a busy session's rows held up every other session's writes until they were
-- all gone (19 s for 100,000 messages on H2). A row here says a deleted session still has rows to
-- remove; the next start finishes what a crash interrupted.
CREATE TABLE session_purges (
    session_id VARCHAR(128) NOT NULL PRIMARY KEY,
    deleted_at BIGINT       NOT NULL
);
