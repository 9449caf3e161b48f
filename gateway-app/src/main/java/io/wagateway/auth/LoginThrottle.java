package io.wagateway.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Refuses logins for a username after too many failures in a row, for a while: slows password
 * guessing without letting an attacker lock the account forever (the lock lifts by itself).
 * In memory: a restart clears it, which is acceptable for a lockout measured in minutes.
 */
public final class LoginThrottle {

    private record Failures(int count, Instant lockedUntil) {
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

    public void failed(String username) {
        failures.compute(key(username), (k, f) -> {
            int count = (f == null ? 0 : f.count()) + 1;
            return new Failures(count, count >= maxFailures ? clock.instant().plus(lockout) : null);
        });
        // Bounded memory under a flood of random usernames: forget unlocked entries past a size.
        if (failures.size() > 100_000) {
            failures.values().removeIf(f -> f.lockedUntil() == null);
        }
    }

    public void succeeded(String username) {
        failures.remove(key(username));
    }

    private static String key(String username) {
        return username.toLowerCase(Locale.ROOT);
    }
}
