package io.wagateway.api;

/**
 * Delivery status of an outgoing message. A message moves forward only:
 * {@code PENDING → SENT → DELIVERED → READ}, or to {@code FAILED} from {@code PENDING} or {@code SENT}.
 */
public enum MessageStatus {
    /** Accepted by the gateway, not yet handed to WhatsApp. */
    PENDING,
    /** Accepted by WhatsApp's server (one tick). */
    SENT,
    /** Delivered to the recipient's device (two ticks). */
    DELIVERED,
    /** Read by the recipient (blue ticks). */
    READ,
    /** Could not be sent; final. */
    FAILED;

    /**
     * Whether a message may move from this status to {@code next}.
     *
     * @param next the proposed status
     * @return true when {@code next} is later in the delivery order, or {@code FAILED} before delivery
     */
    public boolean canMoveTo(MessageStatus next) {
        if (this == FAILED || this == READ) {
            return false;
        }
        if (next == FAILED) {
            return this == PENDING || this == SENT;
        }
        return next.ordinal() > ordinal();
    }
}
