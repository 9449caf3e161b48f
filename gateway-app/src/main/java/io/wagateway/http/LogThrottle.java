package io.wagateway.http;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One log line per interval for a kind of refusal that a client can cause at will (garbage bytes,
 * slow or excess connections, bad polling requests): the first is logged, the rest within the
 * interval are only counted, and the next line says how many there were. Never a stack trace.
 * Thread-safe.
 */
public final class LogThrottle {

    private final Logger log;
    private final Level level;
    private final Duration interval;
    private final InstantSource clock;
    private final AtomicReference<Instant> lastLogged = new AtomicReference<>(Instant.EPOCH);
    private final AtomicLong unlogged = new AtomicLong();

    public LogThrottle(Logger log, Level level, Duration interval, InstantSource clock) {
        this.log = log;
        this.level = level;
        this.interval = interval;
        this.clock = clock;
    }

    /** Logs the line unless one was logged within the interval; then it is only counted. */
    public void log(Supplier<String> line) {
        Instant now = clock.instant();
        Instant last = lastLogged.get();
        if (now.isBefore(last.plus(interval)) || !lastLogged.compareAndSet(last, now)) {
            unlogged.incrementAndGet();
            return;
        }
        long earlier = unlogged.getAndSet(0);
        log.log(level, () -> line.get() + (earlier > 0 ? "; " + earlier + " more since the last such line" : "")
                + "; further ones are not logged for " + interval.toSeconds() + " s");
    }
}
