package io.wagateway.socket;

/**
 * A token bucket: up to {@code capacity} events at once (by default {@code perSecond}), refilled
 * at {@code perSecond} a second.
 * Synchronized: a polling client's packets may arrive on different I/O threads.
 */
final class TokenBucket {

    private final double capacity;
    private final double perNano;
    private double tokens;
    private long last;

    TokenBucket(int perSecond, long nowNanos) {
        this(perSecond, perSecond, nowNanos);
    }

    /** @param capacity the most taken at once (a full bucket to begin with) */
    TokenBucket(int perSecond, int capacity, long nowNanos) {
        this.capacity = capacity;
        this.perNano = perSecond / 1e9;
        this.tokens = capacity;
        this.last = nowNanos;
    }

    /** @return how long nothing was taken or refilled: a bucket idle for capacity / rate is full again */
    synchronized long idleFor(long nowNanos) {
        return nowNanos - last;
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
