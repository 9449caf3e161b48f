package io.wagateway.plugins.rabbitmq;

import java.time.Instant;
import java.util.Objects;

/**
 * One event as an AMQP message.
 *
 * @param routingKey {@code {sessionId}.{type}}
 * @param messageId  the event's id: the same on every retry, so consumers can drop duplicates
 * @param type       the event type, e.g. {@code session_status_changed}
 * @param timestamp  when the event happened
 * @param body       the JSON envelope, UTF-8
 */
record OutboundMessage(String routingKey, String messageId, String type, Instant timestamp, byte[] body) {

    /** Validates that every part is present. */
    OutboundMessage {
        Objects.requireNonNull(routingKey, "routingKey");
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(body, "body");
    }
}
