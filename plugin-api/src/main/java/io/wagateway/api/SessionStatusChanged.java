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
 * @param eventId   the event's unique, time-ordered id (a UUIDv7 string, see {@link EventIds}), given by
 *                  the host when the event happens; the idempotency key downstream (since API 1.2.0)
 */
public record SessionStatusChanged(String sessionId, String userId, SessionStatus status, StatusReason reason,
                                   String phoneNumber, String displayName, Instant timestamp, String eventId)
        implements GatewayEvent {

    /** Event name on Socket.IO. */
    public static final String TYPE = "session_status_changed";

    /** Validates the required fields. */
    public SessionStatusChanged {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(userId, "userId");
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
     * @param status see the record's components
     * @param reason see the record's components
     * @param phoneNumber see the record's components
     * @param displayName see the record's components
     * @param timestamp see the record's components
     */
    public SessionStatusChanged(String sessionId, String userId, SessionStatus status, StatusReason reason,
            String phoneNumber, String displayName, Instant timestamp) {
        this(sessionId, userId, status, reason, phoneNumber, displayName, timestamp, EventIds.next());
    }

    @Override
    public String type() {
        return TYPE;
    }
}
