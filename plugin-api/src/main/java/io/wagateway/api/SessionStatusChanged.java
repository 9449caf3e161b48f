package io.wagateway.api;

import java.time.Instant;
import java.util.Objects;

/**
 * A session's status changed ({@code session_status_changed}).
 *
 * @param sessionId   the session
 * @param userId      the owner of the session
 * @param status      the new status
 * @param reason      why, for {@code DISCONNECTED} and {@code ERROR}; otherwise null
 * @param phoneNumber the linked phone number (E.164), only when {@code CONNECTED}; otherwise null
 * @param displayName the WhatsApp display name, only when {@code CONNECTED}; otherwise null
 * @param timestamp   when it happened
 */
public record SessionStatusChanged(String sessionId, String userId, SessionStatus status, StatusReason reason,
                                   String phoneNumber, String displayName, Instant timestamp)
        implements GatewayEvent {

    /** Event name on Socket.IO. */
    public static final String TYPE = "session_status_changed";

    /** Validates the required fields. */
    public SessionStatusChanged {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(timestamp, "timestamp");
    }

    @Override
    public String type() {
        return TYPE;
    }
}
