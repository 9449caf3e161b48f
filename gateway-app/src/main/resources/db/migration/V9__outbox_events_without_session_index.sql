-- Read by nothing (a replay of one session scans its time range in idx_outbox_events_time), and
-- the costliest index to keep: it leads with session_id, so it has one insertion point per busy
-- session. On the embedded database (H2's copy-on-write B-trees) every commit rewrites each leaf
-- it touched and the path above it: with ten busy sessions about 25 pages, a fifth of the bytes
-- each commit wrote.
DROP INDEX idx_outbox_events_session ON outbox_events;
