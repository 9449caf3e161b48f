package io.wagateway.delivery;

/**
 * A delivery a worker holds (claimed under a lease), with its event's stored envelope.
 *
 * @param id         the delivery row
 * @param eventId    the event
 * @param targetId   the target, {@code ""} for an untargeted sink
 * @param sessionId  the event's session
 * @param userId     the session's owner
 * @param type       the event's name
 * @param occurredAt when the event happened (epoch ms)
 * @param attempts   attempts made so far
 * @param retryBase  attempts made before the last manual retry or replay
 * @param body       the envelope JSON
 */
record Claimed(long id, String eventId, String targetId, String sessionId, String userId, String type, long occurredAt,
               int attempts, int retryBase, String body) {

    /** @return the lane: deliveries of one target and session go one after the other */
    String lane() {
        return targetId + '\n' + sessionId;
    }
}
