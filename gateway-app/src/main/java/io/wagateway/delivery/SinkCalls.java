package io.wagateway.delivery;

import io.wagateway.http.LogThrottle;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One sink's {@code deliver} calls on the host's platform threads, counted until each returns. A
 * call past its deadline is abandoned and interrupted, but a call deaf to interrupts (a blocking
 * read of a socket, a plugin's own loop) keeps its thread: unbounded, a sink that hangs would leak
 * a thread on every attempt. Past {@code bound} calls that have not returned, abandoned ones
 * included, no new call is made until one returns; a throttled WARNING says so.
 *
 * <p>Thread-safe.
 */
final class SinkCalls {

    private static final Logger LOG = Logger.getLogger(SinkCalls.class.getName());

    private final ExecutorService threads;
    private final String sink;
    private final int bound;
    private final AtomicInteger running = new AtomicInteger();
    private final LogThrottle full;

    SinkCalls(ExecutorService threads, String sink, int bound, Clock clock) {
        if (bound < 1) {
            throw new IllegalArgumentException("A sink gets at least one call, not " + bound);
        }
        this.threads = threads;
        this.sink = sink;
        this.bound = bound;
        this.full = new LogThrottle(LOG, Level.WARNING, Duration.ofMinutes(1), clock);
    }

    /** @return the call under way, or null when {@code bound} calls have not returned yet (nothing was started) */
    Future<?> submit(Runnable deliver) {
        if (running.incrementAndGet() > bound) {
            running.decrementAndGet();
            logFull();
            return null;
        }
        try {
            return threads.submit(() -> {
                try {
                    deliver.run();
                } finally {
                    running.decrementAndGet();
                }
            });
        } catch (RuntimeException e) {
            running.decrementAndGet();
            throw e;
        }
    }

    /** @return whether no call can start now: {@code bound} calls have not returned (logged, throttled) */
    boolean full() {
        if (running.get() < bound) {
            return false;
        }
        logFull();
        return true;
    }

    private void logFull() {
        full.log(() -> "Sink '" + sink + "': " + bound + " deliver calls have not returned, some of them given up"
                + " past their deadline; no new call until one does");
    }
}
