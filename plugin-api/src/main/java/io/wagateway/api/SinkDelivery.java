package io.wagateway.api;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One event on its way to one sink (and, for a targeted sink, one target), as the host's durable
 * outbox hands it over: {@link EventSink#deliver(SinkDelivery)}. Immutable. Since API 1.2.0.
 *
 * <p>{@link #body()} is the envelope every sink publishes, rendered once by the host when the
 * event happened and stored with it, so every attempt, retry and replay sends the same bytes:
 * <pre>{@code {"id":"<eventId>","type":"session_status_changed","timestamp":"2024-01-15T10:30:00.000Z",
 *  "sessionId":"...","data":{ ...the event's Socket.IO payload... }}}</pre>
 *
 * @param eventId   the event's id ({@link GatewayEvent#eventId()}): the same on every attempt
 * @param type      the event's name, e.g. {@code message_status_updated}
 * @param sessionId the session it belongs to
 * @param timestamp when it happened (the envelope's {@code timestamp})
 * @param event     the event itself
 * @param body      the envelope as compact JSON (UTF-8 when sent as bytes)
 * @param attempt   1 for the first attempt of this delivery, then counting up (a manual retry or a
 *                  replay counts on)
 * @param target    the destination, present exactly when the sink is {@link EventSink#targeted()}
 */
public record SinkDelivery(String eventId, String type, String sessionId, Instant timestamp, GatewayEvent event,
                           String body, int attempt, Optional<DeliveryTarget> target) {

    /** Validates that every field is present and the attempt is at least 1. */
    public SinkDelivery {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(target, "target");
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt must be at least 1, not " + attempt);
        }
    }

    /** @return the ids and the target (without its secret), not the body */
    @Override
    public String toString() {
        return "SinkDelivery[eventId=" + eventId + ", type=" + type + ", sessionId=" + sessionId + ", attempt=" + attempt
                + target.map(t -> ", target=" + t).orElse("") + "]";
    }
}
