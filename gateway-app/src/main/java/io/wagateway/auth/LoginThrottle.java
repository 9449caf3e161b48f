package io.wagateway.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Refuses attempts under a key after too many failures in a row, for a while: slows password
 * guessing without letting an attacker lock anything forever (the lock lifts by itself). The keys
 * are the caller's ({@link LoginGuard}: a client address, or an account at an address).
 * In memory: a restart clears it, which is acceptable for a lockout measured in minutes.
 */
public final class LoginThrottle {

    /** Failures in a row, the lock they caused, and attempts still being checked. */
    private record Failures(int count, Instant lockedUntil, int inFlight) {
    }

    private final ConcurrentHashMap<String, Failures> failures = new ConcurrentHashMap<>();
    private final int maxFailures;
    private final Duration lockout;
    private final Clock clock;

    public LoginThrottle(int maxFailures, Duration lockout, Clock clock) {
        this.maxFailures = maxFailures;
        this.lockout = lockout;
        this.clock = clock;
    }

    /**
     * Reserves one attempt before the (slow) password check, so parallel guesses cannot all slip
     * in before the lock: failures so far plus attempts in flight never exceed the limit.
     *
     * @return false when the username is locked or all its attempts are in flight
     */
    public boolean tryBegin(String username) {
        if (!lockedFor(username).isZero()) {
            return false;
        }
        boolean[] admitted = {false};
        failures.compute(key(username), (k, f) -> {
            Failures current = f == null ? new Failures(0, null, 0) : f;
            if (current.count() + current.inFlight() >= maxFailures) {
                return current;
            }
            admitted[0] = true;
            return new Failures(current.count(), current.lockedUntil(), current.inFlight() + 1);
        });
        return admitted[0];
    }

    /** @return how long the username is still locked, or zero */
    public Duration lockedFor(String username) {
        Failures f = failures.get(key(username));
        if (f == null || f.lockedUntil() == null) {
            return Duration.ZERO;
        }
        Duration left = Duration.between(clock.instant(), f.lockedUntil());
        if (left.isNegative() || left.isZero()) {
            failures.remove(key(username), f);
            return Duration.ZERO;
        }
        return left;
    }

    /** Ends an attempt begun with {@link #tryBegin} that failed. */
    public void failed(String username) {
        failures.compute(key(username), (k, f) -> {
            int count = (f == null ? 0 : f.count()) + 1;
            int inFlight = f == null ? 0 : Math.max(0, f.inFlight() - 1);
            return new Failures(count, count >= maxFailures ? clock.instant().plus(lockout) : null, inFlight);
        });
        // Bounded memory under a flood of random usernames: forget unlocked entries past a size.
        if (failures.size() > 100_000) {
            failures.values().removeIf(f -> f.lockedUntil() == null && f.inFlight() == 0);
        }
    }

    /** Ends an attempt begun with {@link #tryBegin} without counting it either way. */
    public void release(String key) {
        failures.computeIfPresent(key(key), (k, f) -> f.count() == 0 && f.inFlight() <= 1 && f.lockedUntil() == null
                ? null : new Failures(f.count(), f.lockedUntil(), Math.max(0, f.inFlight() - 1)));
    }

    /** Ends an attempt begun with {@link #tryBegin} that succeeded: the count starts again. */
    public void succeeded(String username) {
        failures.remove(key(username));
    }

    private static String key(String username) {
        return username.toLowerCase(Locale.ROOT);
    }
}
