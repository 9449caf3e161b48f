package io.wagateway.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The account-wide part of login throttling: once an account has seen {@code freeFailures} failed
 * attempts (from any address) within {@code window}, every attempt on it waits before its password
 * is checked, 250 ms doubling with each further failure, never more than {@code maxDelay}. A
 * guesser spread over many addresses is slowed; the owner is never refused by it, only delayed by
 * at most {@code maxDelay}.
 */
final class AccountSlowdown {

    private static final Duration BASE = Duration.ofMillis(250);

    private record Recent(int failures, Instant last) {
    }

    private final ConcurrentHashMap<String, Recent> accounts = new ConcurrentHashMap<>();
    private final int freeFailures;
    private final Duration window;
    private final Duration maxDelay;
    private final Clock clock;

    AccountSlowdown(int freeFailures, Duration window, Duration maxDelay, Clock clock) {
        this.freeFailures = freeFailures;
        this.window = window;
        this.maxDelay = maxDelay;
        this.clock = clock;
    }

    /** @return how long the next attempt on the account waits before its check */
    Duration delay(String userId) {
        Recent recent = current(userId);
        int over = recent == null ? -1 : recent.failures() - freeFailures;
        if (over < 0) {
            return Duration.ZERO;
        }
        Duration delay = BASE.multipliedBy(1L << Math.min(over, 20));
        return delay.compareTo(maxDelay) > 0 ? maxDelay : delay;
    }

    void failed(String userId) {
        Instant now = clock.instant();
        accounts.compute(userId, (k, r) -> new Recent(r == null || expired(r, now) ? 1 : r.failures() + 1, now));
    }

    void succeeded(String userId) {
        accounts.remove(userId);
    }

    private Recent current(String userId) {
        Recent recent = accounts.get(userId);
        if (recent != null && expired(recent, clock.instant())) {
            accounts.remove(userId, recent);
            return null;
        }
        return recent;
    }

    private boolean expired(Recent recent, Instant now) {
        return !recent.last().plus(window).isAfter(now);
    }
}
