-- Webhook subscriptions, kept by the host and delivered by the webhook sink plugin. session_id
-- NULL: every session's events (admins only). events: comma-separated event names, empty = all.
-- secret: whsec_ + base64, shown once when created.
CREATE TABLE webhook_subscriptions (
    id              VARCHAR(36)   NOT NULL PRIMARY KEY,
    user_id         VARCHAR(36)   NOT NULL,
    session_id      VARCHAR(128),
    url             VARCHAR(2048) NOT NULL,
    events          VARCHAR(1000) NOT NULL,
    secret          VARCHAR(200)  NOT NULL,
    enabled         BOOLEAN       NOT NULL,
    disabled_reason VARCHAR(255),
    created_at      BIGINT        NOT NULL,
    updated_at      BIGINT        NOT NULL
);

CREATE INDEX idx_webhook_subscriptions_user ON webhook_subscriptions (user_id);
