package io.wagateway.api;

import java.time.Instant;
import java.util.Objects;

/**
 * An outgoing message's delivery status changed ({@code message_status_updated}).
 *
 * @param sessionId   the session that sent the message
 * @param userId      the owner of the session
 * @param messageId   the gateway's message id
 * @param status      the new status ({@code SENT}, {@code DELIVERED}, {@code READ} or {@code FAILED})
 * @param deliveredAt when it reached the recipient; null until {@code DELIVERED}
 * @param error       why it failed, only for {@code FAILED}; otherwise null
 * @param timestamp   when the status changed
 * @param eventId   the event's unique, time-ordered id (a UUIDv7 string, see {@link EventIds}), given by
 *                  the host when the event happens; the idempotency key downstream (since API 1.2.0)
 */
public record MessageStatusUpdated(String sessionId, String userId, String messageId, MessageStatus status,
                                   Instant deliveredAt, String error, Instant timestamp, String eventId) implements GatewayEvent {

    /** Event name on Socket.IO. */
    public static final String TYPE = "message_status_updated";

    /** Validates the required fields. */
    public MessageStatusUpdated {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(eventId, "eventId");
    }

    /**
     * The constructor of API 1.0/1.1, kept for compatibility: the event gets a new id from
     * {@link EventIds#next()}.
     *
     * @param sessionId see the record's components
     * @param userId see the record's components
     * @param messageId see the record's components
     * @param status see the record's components
     * @param deliveredAt see the record's components
     * @param error see the record's components
     * @param timestamp see the record's components
     */
    public MessageStatusUpdated(String sessionId, String userId, String messageId, MessageStatus status,
            Instant deliveredAt, String error, Instant timestamp) {
        this(sessionId, userId, messageId, status, deliveredAt, error, timestamp, EventIds.next());
    }

    @Override
    public String type() {
        return TYPE;
    }
}
