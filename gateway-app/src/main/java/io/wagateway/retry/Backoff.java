package io.wagateway.retry;

import java.time.Duration;
import java.util.Objects;

/**
 * Capped exponential backoff, shared by everything in the host that retries (session reconnects,
 * sink deliveries): the first retry waits {@code initial}, each further one twice as long, never
 * more than {@code max}.
 *
 * @param initial the delay after the first failure, at least zero
 * @param max     the cap, at least {@code initial}
 */
public record Backoff(Duration initial, Duration max) {

    public Backoff {
        Objects.requireNonNull(initial, "initial");
        Objects.requireNonNull(max, "max");
        if (initial.isNegative() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("need 0 <= initial <= max, not " + initial + " and " + max);
        }
    }

    /**
     * @param failures how many attempts failed before this one, from 0
     * @return how long to wait before the next attempt
     */
    public Duration delay(int failures) {
        if (failures < 0) {
            throw new IllegalArgumentException("failures must not be negative: " + failures);
        }
        // The shift is bounded so the doubling never overflows; the cap applies long before.
        long base = Math.max(1, initial.toMillis());
        return Duration.ofMillis(Math.min(max.toMillis(), base << Math.min(30, failures)));
    }
}
