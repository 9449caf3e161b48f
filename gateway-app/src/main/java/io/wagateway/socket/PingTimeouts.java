package io.wagateway.socket;

import io.wagateway.http.LogThrottle;
import java.time.Duration;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The clients netty-socketio drops because no pong came within {@code ping-interval} +
 * {@code ping-timeout}: it stopped answering, or it is so far behind its events that the ping
 * queued after them reached it too late. netty-socketio says so only at debug level, so without
 * this the gateway's log would not show that it dropped anyone. This turns that record into an
 * {@code INFO} line (throttled: a network outage drops many clients at once) and a count.
 *
 * <p>One per {@link SocketServer}; the logger is the JVM's, so with several servers in one JVM
 * (tests) each counts every server's drops.
 *
 * <p>It reads the text of netty-socketio's record ({@code "<client> removed due to ping timeout"},
 * 2.0.x): {@code PingTimeoutTest} drops a client that never answers and fails if an upgrade
 * changes it.
 */
final class PingTimeouts extends Handler {

    /** The logger netty-socketio's per-client record comes from (through slf4j-jdk14). */
    static final String SOURCE = "com.corundumstudio.socketio.handler.ClientHead";
    private static final String SUFFIX = " removed due to ping timeout";
    private static final Logger LOG = Logger.getLogger(PingTimeouts.class.getName());
    private static final Duration LOG_INTERVAL = Duration.ofSeconds(10);

    // Held here: java.util.logging keeps loggers weakly, and a collected one would forget the level set below.
    private final Logger source;
    private final Level sourceLevel;
    private final LogThrottle lines;
    private final AtomicLong dropped = new AtomicLong();

    private PingTimeouts(Logger source, InstantSource clock) {
        this.source = source;
        this.sourceLevel = source.getLevel();
        this.lines = new LogThrottle(LOG, Level.INFO, LOG_INTERVAL, clock);
    }

    /** Starts listening to netty-socketio's record; {@link #close} stops it. */
    static PingTimeouts install(InstantSource clock) {
        Logger source = Logger.getLogger(SOURCE);
        PingTimeouts timeouts = new PingTimeouts(source, clock);
        if (!source.isLoggable(Level.FINE)) {
            // Only this logger: its other debug records reach the console handlers, which drop them at INFO.
            source.setLevel(Level.FINE);
        }
        source.addHandler(timeouts);
        return timeouts;
    }

    @Override
    public void publish(LogRecord record) {
        String message = record.getMessage();
        if (message == null || !message.endsWith(SUFFIX)) {
            return;
        }
        dropped.incrementAndGet();
        String client = message.substring(0, message.length() - SUFFIX.length());
        lines.log(() -> "Dropped the Socket.IO client " + client + ": no pong within gateway.socketio.ping-interval"
                + " + ping-timeout (it stopped answering, or it reads so far behind its events that the ping came too late)");
    }

    /** @return clients dropped so far for not answering pings in time */
    long dropped() {
        return dropped.get();
    }

    @Override
    public void flush() {
        // nothing buffered
    }

    @Override
    public void close() {
        source.removeHandler(this);
        source.setLevel(sourceLevel);
    }
}
