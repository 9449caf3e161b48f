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
 */
public record MessageStatusUpdated(String sessionId, String userId, String messageId, MessageStatus status,
                                   Instant deliveredAt, String error, Instant timestamp) implements GatewayEvent {

    /** Event name on Socket.IO. */
    public static final String TYPE = "message_status_updated";

    /** Validates the required fields. */
    public MessageStatusUpdated {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(timestamp, "timestamp");
    }

    @Override
    public String type() {
        return TYPE;
    }
}
