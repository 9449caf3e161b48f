package io.wagateway.delivery;

import java.time.Instant;

/**
 * One delivery as the deliveries API shows it.
 *
 * @param id            the delivery's id
 * @param eventId       the event (the webhook-id)
 * @param sink          the sink's name
 * @param targetId      the subscription id, or null for an untargeted sink
 * @param sessionId     the event's session
 * @param userId        the session's owner
 * @param type          the event's name
 * @param status        {@code PENDING}, {@code DELIVERED} or {@code DEAD}
 * @param attempts      attempts made
 * @param nextAttemptAt when it is tried next (PENDING only)
 * @param inFlight      whether a worker holds it right now
 * @param lastAttemptAt when it was last tried, or null
 * @param lastError     the last failure (the receiver's answer or the error), or null
 * @param createdAt     when it was queued
 * @param deliveredAt   when it was delivered, or null
 */
public record DeliveryRecord(long id, String eventId, String sink, String targetId, String sessionId, String userId,
                             String type, String status, int attempts, Instant nextAttemptAt, boolean inFlight,
                             Instant lastAttemptAt, String lastError, Instant createdAt, Instant deliveredAt) {
}
