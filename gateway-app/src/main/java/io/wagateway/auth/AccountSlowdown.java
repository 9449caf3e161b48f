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
 * at most {@code maxDelay}. Accounts are the keys {@link LoginGuard} counts under, unknown names
 * included; see {@link #failed} for how their number stays bounded.
 */
final class AccountSlowdown {

    private static final Duration BASE = Duration.ofMillis(250);
    // As LoginThrottle's: past this many accounts, the ones whose failures are old are forgotten.
    private static final int SWEEP_ABOVE = 100_000;

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
    Duration delay(String account) {
        Recent recent = current(account);
        int over = recent == null ? -1 : recent.failures() - freeFailures;
        if (over < 0) {
            return Duration.ZERO;
        }
        Duration delay = BASE.multipliedBy(1L << Math.min(over, 20));
        return delay.compareTo(maxDelay) > 0 ? maxDelay : delay;
    }

    /**
     * Counts a failure. Unknown names are counted too, so an attacker cycling random names adds an
     * entry per failure; past {@value #SWEEP_ABOVE} entries the expired ones go, which leaves only
     * those failed within the window: no more than the password checks that fit in it.
     */
    void failed(String account) {
        Instant now = clock.instant();
        accounts.compute(account, (k, r) -> new Recent(r == null || expired(r, now) ? 1 : r.failures() + 1, now));
        if (accounts.size() > SWEEP_ABOVE) {
            accounts.values().removeIf(r -> expired(r, now));
        }
    }

    /** @return how many accounts have failures on record (expired ones included until a sweep) */
    int size() {
        return accounts.size();
    }

    void succeeded(String account) {
        accounts.remove(account);
    }

    private Recent current(String account) {
        Recent recent = accounts.get(account);
        if (recent != null && expired(recent, clock.instant())) {
            accounts.remove(account, recent);
            return null;
        }
        return recent;
    }

    private boolean expired(Recent recent, Instant now) {
        return !recent.last().plus(window).isAfter(now);
    }
}
