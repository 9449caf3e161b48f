package io.wagateway.api;

import java.time.Instant;
import java.util.Objects;

/**
 * A new QR code to scan for linking a session ({@code qr_code_updated}).
 *
 * @param sessionId the session
 * @param userId    the owner of the session
 * @param qrCode    the raw QR string, as WhatsApp produces it (e.g. {@code 2@...,...,...})
 * @param attempt   1 for the first QR code of a linking attempt, then counting up
 * @param expiresAt when this QR code stops being valid
 * @param timestamp when it was produced
 * @param eventId   the event's unique, time-ordered id (a UUIDv7 string, see {@link EventIds}), given by
 *                  the host when the event happens; the idempotency key downstream (since API 1.2.0)
 */
public record QrCodeUpdated(String sessionId, String userId, String qrCode, int attempt, Instant expiresAt,
                            Instant timestamp, String eventId) implements GatewayEvent {

    /** Event name on Socket.IO. */
    public static final String TYPE = "qr_code_updated";

    /** Validates that every field is present. */
    public QrCodeUpdated {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(qrCode, "qrCode");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(eventId, "eventId");
    }

    /**
     * The constructor of API 1.0/1.1, kept for compatibility: the event gets a new id from
     * {@link EventIds#next()}.
     *
     * @param sessionId see the record's components
     * @param userId see the record's components
     * @param qrCode see the record's components
     * @param attempt see the record's components
     * @param expiresAt see the record's components
     * @param timestamp see the record's components
     */
    public QrCodeUpdated(String sessionId, String userId, String qrCode, int attempt, Instant expiresAt,
            Instant timestamp) {
        this(sessionId, userId, qrCode, attempt, expiresAt, timestamp, EventIds.next());
    }

    /** @return always {@link SessionStatus#QR_REQUIRED} */
    public SessionStatus status() {
        return SessionStatus.QR_REQUIRED;
    }

    @Override
    public String type() {
        return TYPE;
    }
}
