package io.wagateway.auth;

import io.wagateway.error.DomainException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A global cap on concurrent PBKDF2 computations (each costs tens of milliseconds of a core): a
 * password spray can then take at most this many cores, and everything else the server does stays
 * fast. Past the cap a request waits at most {@code maxWait} for its turn, then gets {@code 429}
 * with {@code Retry-After}: never a stalled server.
 *
 * <p>The hashes run on platform threads of their own, not on the request's virtual thread: a
 * CPU-bound virtual thread never yields its carrier, and the carriers (one per core) are what every
 * other request needs. Waiting for the result unmounts the request's virtual thread instead.
 */
final class PasswordChecks implements AutoCloseable {

    private static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    private final Semaphore permits;
    private final Duration maxWait;
    private final ExecutorService hashing;

    PasswordChecks(int concurrent, Duration maxWait) {
        // Fair: under a flood the waiting requests get their turn in order, none starves.
        this.permits = new Semaphore(concurrent, true);
        this.maxWait = maxWait;
        // As many threads as permits, so an admitted check never queues.
        this.hashing = Executors.newFixedThreadPool(concurrent,
                Thread.ofPlatform().daemon().name("password-check-", 0).factory());
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
            return hashing.submit(check::get).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DomainException.RateLimited("Password check interrupted; try again", RETRY_AFTER);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } finally {
            permits.release();
        }
    }

    @Override
    public void close() {
        hashing.shutdownNow();
    }
}
