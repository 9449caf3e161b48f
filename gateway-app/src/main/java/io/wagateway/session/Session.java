package io.wagateway.session;

import io.wagateway.api.SessionStatus;
import io.wagateway.api.SessionStatusChanged;
import io.wagateway.api.StatusReason;
import java.time.Instant;
import java.util.Objects;

/**
 * A session as stored and as the REST API shows it.
 *
 * @param reason      why it is {@code DISCONNECTED} or {@code ERROR}; null otherwise
 * @param phoneNumber the linked number, only while {@code CONNECTED}
 * @param displayName the WhatsApp name, only while {@code CONNECTED}
 */
public record Session(String sessionId, String name, String userId, String engine, SessionStatus status,
                      StatusReason reason, String phoneNumber, String displayName, Instant createdAt,
                      Instant updatedAt) {

    public Session withStatus(SessionStatus newStatus, StatusReason newReason, String phone, String display,
                              Instant at) {
        return new Session(sessionId, name, userId, engine, newStatus, newReason, phone, display, createdAt, at);
    }

    /** Whether this is the account with that number and name, as the engine last reported it. */
    public boolean isAccount(String phone, String display) {
        return Objects.equals(phone, phoneNumber) && Objects.equals(display, displayName);
    }

    /** @return the last event of the session, deleted at {@code at}: {@code DISCONNECTED}, reason {@code DELETED} */
    public SessionStatusChanged deletedEvent(Instant at) {
        return withStatus(SessionStatus.DISCONNECTED, StatusReason.DELETED, null, null, at).statusEvent();
    }

    /** @return the {@code session_status_changed} event that reports this state (a new event id each call) */
    public SessionStatusChanged statusEvent() {
        return new SessionStatusChanged(sessionId, userId, status, reason, phoneNumber, displayName, updatedAt);
    }
}
