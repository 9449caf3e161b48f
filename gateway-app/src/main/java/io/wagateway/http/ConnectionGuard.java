package io.wagateway.http;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.concurrency.limits.Limit;
import io.helidon.common.task.InterruptableTask;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.http.Status;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.http1.Http1ConnectionListener;
import io.helidon.webserver.http1.Http1ConnectionSelector;
import io.helidon.webserver.spi.ProtocolConfig;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.webserver.spi.ServerConnectionSelector;
import io.wagateway.config.GatewaySettings;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Set;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What a slow, silent or greedy client may cost the REST port. Helidon 4.5 bounds none of it on
 * its own: its idle timeout does not stop a request whose headers trickle in, a body is read for as
 * long as the client takes, its socket read timeout applies to clients only, and it has no limit
 * per client address. So this selector wraps Helidon's HTTP/1.1 one and
 * <ul>
 *   <li>refuses a connection over {@code max-connections-per-address} from one address with the
 *       contract's JSON {@code 429} and closes it;</li>
 *   <li>closes a connection whose headers have not all arrived {@code header-timeout} after its
 *       request line;</li>
 *   <li>answers {@code 408} (with {@code Connection: close}) when a body is still arriving
 *       {@code body-timeout} after its headers ({@link #bodyStream}), and closes the connection
 *       when its sender stalls past that deadline;</li>
 *   <li>leaves connections waiting for a request line to Helidon's idle timeout, set from
 *       {@code idle-timeout}.</li>
 * </ul>
 * Each refusal kind logs one line a minute at most ({@link LogThrottle}). A watchdog thread checks
 * the open connections a few times per shortest deadline; it never touches a request being handled.
 */
public final class ConnectionGuard implements ServerConnectionSelector, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ConnectionGuard.class.getName());
    private static final Duration LOG_INTERVAL = Duration.ofMinutes(1);
    private static final ThreadLocal<Tracked> CURRENT = new ThreadLocal<>();

    private final GatewaySettings.Http limits;
    private final ServerConnectionSelector http1;
    private final Map<InetAddress, AtomicInteger> perAddress = new ConcurrentHashMap<>();
    private final Map<ConnectionContext, Tracked> open = new ConcurrentHashMap<>();
    private final ScheduledExecutorService watchdog;
    private final long tickNanos;
    private final LogThrottle refusedLog;
    private final LogThrottle slowLog;

    private ConnectionGuard(GatewaySettings.Http limits, Http1Config http1, InstantSource clock) {
        this.limits = limits;
        this.http1 = Http1ConnectionSelector.builder()
                // Alone: Helidon 4.5 passes no events on to a list of two or more receive listeners
                // (its TRACE receive log is the one dropped).
                .config(Http1Config.builder().from(http1).clearReceiveListeners().addReceiveListener(new Phases()).build())
                .build();
        this.refusedLog = new LogThrottle(LOG, Level.WARNING, LOG_INTERVAL, clock);
        this.slowLog = new LogThrottle(LOG, Level.INFO, LOG_INTERVAL, clock);
        Duration shortest = limits.headerTimeout().compareTo(limits.bodyTimeout()) < 0
                ? limits.headerTimeout() : limits.bodyTimeout();
        this.tickNanos = Math.clamp(shortest.toNanos() / 5, TimeUnit.MILLISECONDS.toNanos(20), TimeUnit.SECONDS.toNanos(1));
        this.watchdog = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("http-connection-guard").factory());
        watchdog.scheduleWithFixedDelay(this::check, tickNanos, tickNanos, TimeUnit.NANOSECONDS);
    }

    /**
     * Puts the guard in front of the server's HTTP/1.1 connections (keeping the {@code http_1_1}
     * settings read from {@code server.protocols}) and sets Helidon's idle timeout. Call after the
     * builder has read its config. Register {@link #bodyDeadlineFilter()} on the routing.
     */
    public static ConnectionGuard install(WebServerConfig.Builder server, GatewaySettings.Http limits,
                                          InstantSource clock) {
        Http1Config http1 = Http1Config.create();
        for (ProtocolConfig protocol : server.protocols()) {
            if (protocol instanceof Http1Config configured) {
                http1 = configured;
            }
        }
        ConnectionGuard guard = new ConnectionGuard(limits, http1, clock);
        Duration idle = limits.idleTimeout();
        // Helidon checks idleness every period: a quarter of the timeout keeps the overshoot small.
        Duration period = Duration.ofMillis(Math.clamp(idle.toMillis() / 4, 100, 5_000));
        server.clearProtocols()
                .protocolsDiscoverServices(false) // else Helidon adds its own HTTP/1.1 selector beside this one
                .addConnectionSelector(guard)
                .idleConnectionTimeout(idle)
                .idleConnectionPeriod(period);
        return guard;
    }

    /** A routing filter that puts the body deadline on every request's body stream. */
    public Filter bodyDeadlineFilter() {
        return (chain, req, res) -> {
            req.streamFilter(this::bodyStream);
            chain.proceed();
        };
    }

    /**
     * The request body as the handler reads it: once {@code body-timeout} has passed since the
     * headers, the next read fails with {@link BodyTooSlowException} ({@link JsonBody} answers
     * {@code 408}); reading to the end ends the body's deadline.
     */
    InputStream bodyStream(InputStream body) {
        Tracked tracked = CURRENT.get();
        return tracked == null ? body : new DeadlineStream(body, tracked, limits.bodyTimeout().toNanos());
    }

    /** @return connections the guard tracks now (refused ones are never tracked) */
    public int openConnections() {
        return open.size();
    }

    @Override
    public int bytesToIdentifyConnection() {
        return http1.bytesToIdentifyConnection();
    }

    @Override
    public Support supports(BufferData request) {
        return http1.supports(request);
    }

    @Override
    public Set<String> supportedApplicationProtocols() {
        return http1.supportedApplicationProtocols();
    }

    @Override
    public ServerConnection connection(ConnectionContext ctx) {
        InetAddress address = address(ctx.remotePeer().address());
        int cap = limits.maxConnectionsPerAddress();
        AtomicInteger count = perAddress.compute(address, (a, c) -> c == null ? new AtomicInteger(1) : increment(c));
        if (cap > 0 && count.get() > cap) {
            release(address);
            refusedLog.log(() -> "Refused a connection from " + address.getHostAddress() + " (429): it already has "
                    + cap + " open, the gateway.http.max-connections-per-address limit");
            return new Refusal(ctx);
        }
        Tracked tracked = new Tracked(ctx, http1.connection(ctx), address);
        open.put(ctx, tracked);
        return tracked;
    }

    private static AtomicInteger increment(AtomicInteger count) {
        count.incrementAndGet();
        return count;
    }

    private void release(InetAddress address) {
        perAddress.computeIfPresent(address, (a, c) -> c.decrementAndGet() <= 0 ? null : c);
    }

    private static InetAddress address(SocketAddress address) {
        return address instanceof InetSocketAddress inet ? inet.getAddress() : InetAddress.getLoopbackAddress();
    }

    /** The watchdog's round: closes connections past their header or body deadline. */
    private void check() {
        long now = System.nanoTime();
        for (Tracked t : open.values()) {
            if (t.awaitingRequest()) {
                continue; // Helidon's idle timeout covers it
            }
            long head = t.headStarted;
            long body = t.bodyStarted;
            if (head != 0 && now - head > limits.headerTimeout().toNanos()) {
                t.kill("headers not complete within gateway.http.header-timeout (" + limits.headerTimeout() + ")");
            } else if (body != 0 && now - body > limits.bodyTimeout().toNanos() + 2 * tickNanos) {
                t.kill("body not complete within gateway.http.body-timeout (" + limits.bodyTimeout() + ")");
            }
        }
    }

    @Override
    public void close() {
        watchdog.shutdownNow();
    }

    /** Request phases as Helidon reads them; runs on the connection's own thread. */
    private final class Phases implements Http1ConnectionListener {
        @Override
        public void prologue(ConnectionContext ctx, HttpPrologue prologue) {
            Tracked t = open.get(ctx);
            if (t != null) {
                t.bodyStarted = 0;
                t.headStarted = System.nanoTime();
            }
        }

        @Override
        public void headers(ConnectionContext ctx, Headers headers) {
            Tracked t = open.get(ctx);
            if (t != null) {
                boolean hasBody = headers.contains(HeaderNames.TRANSFER_ENCODING)
                        || headers.first(HeaderNames.CONTENT_LENGTH).filter(v -> !v.strip().equals("0")).isPresent();
                t.bodyStarted = hasBody ? System.nanoTime() : 0;
                t.headStarted = 0;
            }
        }
    }

    /** A connection let in: Helidon's own, counted against its address until it ends. */
    private final class Tracked implements ServerConnection {
        private final ConnectionContext ctx;
        private final ServerConnection delegate;
        private final InetAddress address;
        private volatile long headStarted;
        private volatile long bodyStarted;
        private volatile boolean killed;

        Tracked(ConnectionContext ctx, ServerConnection delegate, InetAddress address) {
            this.ctx = ctx;
            this.delegate = delegate;
            this.address = address;
        }

        @Override
        public void handle(Limit limit) throws InterruptedException {
            CURRENT.set(this);
            try {
                delegate.handle(limit);
            } finally {
                CURRENT.remove();
                open.remove(ctx);
                release(address);
            }
        }

        /** Whether Helidon is waiting for (or reading) a request line. */
        boolean awaitingRequest() {
            return delegate instanceof InterruptableTask<?> task && task.canInterrupt();
        }

        void kill(String why) {
            killed = true;
            open.remove(ctx);
            slowLog.log(() -> "Closed a connection from " + address.getHostAddress() + ": " + why);
            // Interrupting the connection's thread closes its socket under the blocked read
            // (closing the socket from here would wait for that read to end).
            delegate.close(true);
        }

        @Override
        public Duration idleTime() {
            return delegate.idleTime();
        }

        @Override
        public void close(boolean interrupt) {
            delegate.close(interrupt);
        }
    }

    /** A connection over its address's limit: told so in the contract's shape, then closed. */
    private static final class Refusal implements ServerConnection {
        private static final byte[] RESPONSE = response();
        private final ConnectionContext ctx;

        Refusal(ConnectionContext ctx) {
            this.ctx = ctx;
        }

        private static byte[] response() {
            String body = new String(Json.bytes(ErrorHandlers.errorBody(ErrorHandlers.codeFor(Status.TOO_MANY_REQUESTS_429),
                    "Too many open connections from your address")), StandardCharsets.UTF_8);
            return ("HTTP/1.1 429 Too Many Requests\r\nContent-Type: application/json\r\nConnection: close\r\n"
                    + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body)
                    .getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public void handle(Limit limit) {
            ctx.dataWriter().writeNow(BufferData.create(RESPONSE));
        }

        @Override
        public Duration idleTime() {
            return Duration.ZERO;
        }

        @Override
        public void close(boolean interrupt) {
            // handle() returns at once; Helidon then closes the socket
        }
    }

    /** Thrown by a body read once the body's deadline has passed. */
    public static final class BodyTooSlowException extends IOException {
        BodyTooSlowException(Duration timeout) {
            super("Request body not received within " + timeout, null);
        }
    }

    private final class DeadlineStream extends FilterInputStream {
        private final Tracked tracked;
        private final long timeoutNanos;
        private final long started;

        DeadlineStream(InputStream in, Tracked tracked, long timeoutNanos) {
            super(in);
            this.tracked = tracked;
            this.timeoutNanos = timeoutNanos;
            long body = tracked.bodyStarted;
            this.started = body != 0 ? body : System.nanoTime();
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            try {
                return checked(super.read(buffer, offset, length));
            } catch (IOException | RuntimeException e) {
                if (tracked.killed) {
                    // Closed by the watchdog: no answer can reach the client, so none is tried (and logged).
                    throw new CloseConnectionException("Request body stalled past gateway.http.body-timeout", e);
                }
                throw e;
            }
        }

        private int checked(int n) throws IOException {
            if (n == -1) {
                tracked.bodyStarted = 0; // all in: the handler's own time is not bounded here
                return n;
            }
            if (System.nanoTime() - started > timeoutNanos) {
                slowLog.log(() -> "Answered 408 to " + tracked.address.getHostAddress()
                        + ": body not complete within gateway.http.body-timeout (" + limits.bodyTimeout() + ")");
                throw new BodyTooSlowException(limits.bodyTimeout());
            }
            return n;
        }
    }
}
