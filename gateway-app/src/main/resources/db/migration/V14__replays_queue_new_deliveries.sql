-- A replay queues a new delivery row for every event it sends, in the events' order, instead of
-- queueing an event's existing row again: rows are sent in id order, so an old row queued again
-- went out before the new rows of events that had none (emitted before the subscription existed,
-- or of a type it wants since), and a replay covering both sent the later events first. An event
-- may therefore have several rows per destination (the earlier ones stay as they ended: delivered
-- or dead). Retention and the replay still find an event's rows by its id.
CREATE INDEX idx_deliveries_event ON deliveries (event_id, sink, target_id);
ALTER TABLE deliveries DROP CONSTRAINT uq_deliveries_destination;
