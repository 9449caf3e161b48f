-- The durable outbox: every gateway event, stored in the transaction of the state change it
-- reports, with the envelope every sink publishes (body). Kept for gateway.delivery.retention so a
-- time range can be replayed; then pruned once none of its deliveries is waiting.
CREATE TABLE outbox_events (
    event_id    VARCHAR(36)  NOT NULL PRIMARY KEY,
    session_id  VARCHAR(128) NOT NULL,
    user_id     VARCHAR(36)  NOT NULL,
    type        VARCHAR(64)  NOT NULL,
    occurred_at BIGINT       NOT NULL,
    created_at  BIGINT       NOT NULL,
    body        MEDIUMTEXT   NOT NULL
);

CREATE INDEX idx_outbox_events_time ON outbox_events (occurred_at);
CREATE INDEX idx_outbox_events_session ON outbox_events (session_id, occurred_at);

-- One row per event and destination: a sink (target_id '') or a sink's target (a webhook
-- subscription). id is the order: a session's rows of one destination are delivered by id.
-- status PENDING, DELIVERED or DEAD. A worker claims a row by setting claimed_until (a lease) and
-- claim_token in a SELECT ... FOR UPDATE SKIP LOCKED transaction, so no two workers hold one row.
-- retry_base: attempts made before the last manual retry or replay (max-attempts counts from it).
CREATE TABLE deliveries (
    id              BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    event_id        VARCHAR(36)  NOT NULL,
    sink            VARCHAR(64)  NOT NULL,
    target_id       VARCHAR(36)  NOT NULL,
    session_id      VARCHAR(128) NOT NULL,
    user_id         VARCHAR(36)  NOT NULL,
    type            VARCHAR(64)  NOT NULL,
    status          VARCHAR(16)  NOT NULL,
    attempts        INT          NOT NULL,
    retry_base      INT          NOT NULL,
    next_attempt_at BIGINT       NOT NULL,
    claimed_until   BIGINT       NOT NULL,
    claim_token     VARCHAR(36),
    last_attempt_at BIGINT,
    last_error      VARCHAR(500),
    created_at      BIGINT       NOT NULL,
    delivered_at    BIGINT,
    CONSTRAINT uq_deliveries_destination UNIQUE (event_id, sink, target_id)
);

CREATE INDEX idx_deliveries_ready ON deliveries (sink, status, id);
CREATE INDEX idx_deliveries_lane ON deliveries (sink, target_id, session_id, status, id);
CREATE INDEX idx_deliveries_claim ON deliveries (claim_token);
CREATE INDEX idx_deliveries_session ON deliveries (session_id, created_at);
CREATE INDEX idx_deliveries_time ON deliveries (status, created_at);
