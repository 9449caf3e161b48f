package io.wagateway.auth;

import io.wagateway.error.DomainException;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A global cap on concurrent PBKDF2 computations (each costs tens of milliseconds of a core): a
 * password spray can then take at most this many cores, and everything else the server does stays
 * fast. Past the cap a request waits at most {@code maxWait} for its turn, then gets {@code 429}
 * with {@code Retry-After}: never a stalled server.
 */
final class PasswordChecks {

    private static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    private final Semaphore permits;
    private final Duration maxWait;

    PasswordChecks(int concurrent, Duration maxWait) {
        // Fair: under a flood the waiting requests get their turn in order, none starves.
        this.permits = new Semaphore(concurrent, true);
        this.maxWait = maxWait;
    }

    /** @throws DomainException.RateLimited when no turn came within the bounded wait */
    <T> T run(Supplier<T> check) {
        boolean acquired;
        try {
            acquired = permits.tryAcquire(maxWait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            acquired = false;
        }
        if (!acquired) {
            throw new DomainException.RateLimited("Too many password checks at once; try again shortly", RETRY_AFTER);
        }
        try {
            return check.get();
        } finally {
            permits.release();
        }
    }
}
