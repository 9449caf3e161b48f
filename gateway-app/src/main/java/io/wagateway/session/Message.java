package io.wagateway.session;

import io.wagateway.api.MessageStatus;
import java.time.Instant;
import java.util.List;

/**
 * An outgoing message with its status history.
 *
 * @param idempotencyKey the caller's {@code Idempotency-Key}, or null
 * @param deliveredAt    when it reached the recipient, once {@code DELIVERED}
 */
public record Message(String messageId, String sessionId, String to, String text, MessageStatus status, String error,
                      String idempotencyKey, Instant createdAt, Instant updatedAt, Instant deliveredAt,
                      List<StatusChange> history) {

    /** One step of a message's history. */
    public record StatusChange(MessageStatus status, Instant at, String error) {
    }
}
