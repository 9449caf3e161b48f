package io.wagateway.socket;

/**
 * A token bucket: up to {@code perSecond} events at once, refilled at {@code perSecond} a second.
 * Synchronized: a polling client's packets may arrive on different I/O threads.
 */
final class TokenBucket {

    private final double capacity;
    private final double perNano;
    private double tokens;
    private long last;

    TokenBucket(int perSecond, long nowNanos) {
        this.capacity = perSecond;
        this.perNano = perSecond / 1e9;
        this.tokens = perSecond;
        this.last = nowNanos;
    }

    synchronized boolean tryTake(long nowNanos) {
        long elapsed = nowNanos - last;
        if (elapsed > 0) {
            tokens = Math.min(capacity, tokens + elapsed * perNano);
            last = nowNanos;
        }
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }
}
