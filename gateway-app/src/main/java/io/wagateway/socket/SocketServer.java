package io.wagateway.socket;

import com.corundumstudio.socketio.AuthorizationResult;
import com.corundumstudio.socketio.Configuration;
import com.corundumstudio.socketio.SocketIOClient;
import com.corundumstudio.socketio.SocketIONamespace;
import com.corundumstudio.socketio.SocketIOServer;
import com.corundumstudio.socketio.Transport;
import com.corundumstudio.socketio.transport.NamespaceClient;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.wagateway.auth.RevocationListener;
import io.wagateway.auth.TokenVerifier;
import io.wagateway.config.ConfigException;
import io.wagateway.config.GatewaySettings;
import io.wagateway.event.EventBus;
import io.wagateway.http.CorsPolicy;
import io.wagateway.session.SessionAccess;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The Socket.IO endpoint (netty-socketio, its own Netty listener beside Helidon): v4 clients over
 * websocket and polling at {@code /socket.io}, authenticated with the REST token, each session's
 * events delivered to the sockets that joined its room.
 *
 * <p>Lifecycle: {@link #start} binds the port and subscribes to the event bus; {@link #close}
 * stops relaying, tells every client to disconnect (socket.io-client reports
 * {@code "io server disconnect"}), waits briefly for them to go, then stops the server.
 *
 * <p>Threading: netty-socketio runs listeners on its I/O threads; everything that may block
 * (database reads, waiting for a session's snapshot) runs on virtual threads.
 */
public final class SocketServer implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(SocketServer.class.getName());
    private static final String PATH = "/socket.io";
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(3);

    private final SocketIOServer server;
    private final Channel listener;
    private final SocketRegistry registry;
    private final ExecutorService blocking;
    private final ScheduledThreadPoolExecutor timers;
    private final AutoCloseable subscription;
    private final RevocationCutter revocations;
    private final WriteBatcher batcher;
    private final PingTimeouts pingTimeouts;
    private volatile boolean closing;

    private SocketServer(GatewaySettings.SocketIo settings, CorsPolicy cors, TokenVerifier tokens,
                         SessionAccess sessions, EventBus bus, Clock clock) {
        registry = new SocketRegistry();
        batcher = new WriteBatcher(settings.maxWriteBufferBytes(), settings.flushInterval());
        pingTimeouts = new PingTimeouts(clock);
        blocking = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("socketio-", 0).factory());
        timers = new ScheduledThreadPoolExecutor(1, Thread.ofPlatform().daemon().name("socketio-timers").factory());
        timers.setRemoveOnCancelPolicy(true);
        Disconnector disconnector = new Disconnector(timers, registry, clock);
        revocations = new RevocationCutter(registry, disconnector);

        server = new SocketIOServer(configuration(settings, () -> closing, clock));
        NettySocketIoInternals.releaseDefaultPipeline(server);
        server.setPipelineFactory(new GuardedChannelInitializer(new CorsGate(cors, new OriginRefusals(clock)),
                settings.handshakesPerSecond() > 0 ? new HandshakeLimiter(settings.handshakesPerSecond(), clock) : null,
                new HandshakeGuard(registry, disconnector, clock), new MalformedPackets(registry, disconnector),
                pingTimeouts, clock));
        MalformedPackets.silenceLibraryLogs();
        SocketIONamespace main = server.getNamespace("");
        main.addConnectListener(client -> {
            // Runs before the auth listener, and for clients that send no auth at all: only arm the deadline.
            registry.opened();
            disconnector.requireAuthentication(client);
        });
        main.addAuthTokenListener(new TokenAuthenticator(tokens, registry, disconnector, settings));
        main.addDisconnectListener(client -> {
            SocketState state = registry.remove(client.getSessionId());
            if (state != null) {
                // netty-socketio took the client out of its rooms before this listener: a join that
                // entered one since (it saw the socket open) is undone here, once the state is closed.
                state.rooms().forEach(client::leaveRoom);
            }
            registry.closed();
            PendingPoll.release(client);
        });
        ClientEventGate gate = new ClientEventGate(registry, disconnector, clock, settings.eventsPerSecond());
        RoomLocks rooms = new RoomLocks();
        new SessionRoomHandlers(gate, sessions, blocking, clock, settings.maxRoomsPerSocket(), rooms).register(main);

        try {
            listener = ((ChannelFuture) server.startAsync().syncUninterruptibly()).channel();
        } catch (Exception e) { // Netty rethrows the checked BindException undeclared
            NettySocketIoInternals.shutdownEventLoops(server);
            server.stop();
            shutdownExecutors();
            throw new ConfigException("gateway.socketio.port", "cannot listen on " + settings.host() + ":"
                    + settings.port() + ": " + e.getMessage());
        }
        subscription = bus.subscribe(new SessionEventRelay(broadcaster(settings, main), rooms));
        LOG.info(() -> "Socket.IO listening on " + settings.host() + ":" + port() + PATH);
    }

    /**
     * The encode-once fan-out, unless websocket compression is on: its frames are written ready-made,
     * past the compressing encoder, so with compression every member's frame is built by netty-socketio.
     */
    private RoomBroadcaster broadcaster(GatewaySettings.SocketIo settings, SocketIONamespace main) {
        if (settings.websocketCompression()) {
            return new NamespaceRoomBroadcaster(main);
        }
        return new BatchingRoomBroadcaster(main, batcher, NettySocketIoInternals.websocketChannel(),
                new PollingAnswers(NettySocketIoInternals.pollingChannel()));
    }

    /**
     * Binds and starts the endpoint.
     *
     * @throws ConfigException when the port cannot be bound
     */
    public static SocketServer start(GatewaySettings.SocketIo settings, CorsPolicy cors, TokenVerifier tokens,
                                     SessionAccess sessions, EventBus bus, Clock clock) {
        return new SocketServer(settings, cors, tokens, sessions, bus, clock);
    }

    /**
     * @param closing true once shutdown has begun: new handshakes are then refused (Origins are
     *                checked before, by the {@link CorsGate})
     */
    static Configuration configuration(GatewaySettings.SocketIo settings, BooleanSupplier closing, Clock clock) {
        Configuration config = new Configuration();
        config.setHostname(settings.host());
        config.setPort(settings.port());
        config.setContext(PATH);
        config.setTransports(Transport.WEBSOCKET, Transport.POLLING);
        // Session ids must not come from the request (netty-socketio's default takes them from it).
        config.setRandomSession(true);
        // Without it a restart within a minute of clients leaving fails with "Address already in use".
        config.getSocketConfig().setReuseAddress(true);
        config.setPingInterval(Math.toIntExact(settings.pingInterval().toMillis()));
        config.setPingTimeout(Math.toIntExact(settings.pingTimeout().toMillis()));
        // Oversized websocket frames close the connection; oversized polling bodies get 413.
        config.setMaxFramePayloadLength(settings.maxPayloadBytes());
        config.setMaxHttpContentLength(settings.maxPayloadBytes());
        // Compression costs far more CPU than it saves for these small JSON frames (stack notes): off unless set.
        config.setWebsocketCompression(settings.websocketCompression());
        config.setHttpCompression(settings.websocketCompression());
        config.setExceptionListener(new SocketExceptions(clock));
        config.setAuthorizationListener(handshake -> closing.getAsBoolean()
                ? AuthorizationResult.FAILED_AUTHORIZATION : AuthorizationResult.SUCCESSFUL_AUTHORIZATION);
        return config;
    }

    /** @return the bound port (the configured one, or the one picked for port 0) */
    public int port() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    /** @return what ends a user's (or a token's) open sockets when their tokens are revoked */
    public RevocationListener revocationListener() {
        return revocations;
    }

    /** @return sockets with an accepted token right now */
    public int authenticatedSockets() {
        return registry.authenticated();
    }

    /** @return websocket clients closed so far for leaving more than the write-buffer limit unread */
    public long slowClientsClosed() {
        return batcher.slowDisconnects();
    }

    /** @return clients dropped so far for answering no ping within the ping interval and timeout */
    public long pingTimeoutsDropped() {
        return pingTimeouts.dropped();
    }

    @Override
    public void close() {
        try {
            subscription.close();
        } catch (Exception e) {
            LOG.log(Level.WARNING, "Could not unsubscribe from the event bus", e);
        }
        closing = true; // no new clients while the others are told to go
        List<SocketIOClient> clients = List.copyOf(server.getAllClients());
        clients.forEach(SocketIOClient::disconnect);
        try {
            if (!registry.awaitNoneOpen(SHUTDOWN_GRACE)) {
                LOG.info("Closing Socket.IO clients that did not leave within " + SHUTDOWN_GRACE);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (SocketIOClient client : List.copyOf(server.getAllClients())) {
            ((NamespaceClient) client).getBaseClient().disconnect();
        }
        NettySocketIoInternals.shutdownEventLoops(server);
        server.stop();
        shutdownExecutors();
        LOG.info("Socket.IO stopped");
    }

    private void shutdownExecutors() {
        timers.shutdownNow();
        blocking.shutdownNow();
    }
}
