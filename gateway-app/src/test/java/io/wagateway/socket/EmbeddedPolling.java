package io.wagateway.socket;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.corundumstudio.socketio.Configuration;
import com.corundumstudio.socketio.handler.ClientHead;
import com.corundumstudio.socketio.handler.ClientsBox;
import com.corundumstudio.socketio.namespace.Namespace;
import com.corundumstudio.socketio.namespace.NamespacesHub;
import com.corundumstudio.socketio.protocol.JacksonJsonSupport;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.wagateway.http.CorsPolicy;
import java.lang.reflect.Field;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The gateway's real Socket.IO pipeline ({@link GuardedChannelInitializer}) on embedded channels,
 * for polling clients: one thread, so every interleaving a test sets up is the same on every run.
 * Close it after the test.
 */
final class EmbeddedPolling implements AutoCloseable {

    private static final Pattern SID = Pattern.compile("\"sid\":\"([0-9a-f-]{36})\"");

    private final Clock clock = Clock.systemUTC();
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    private final GuardedChannelInitializer initializer;

    EmbeddedPolling() {
        SocketRegistry registry = new SocketRegistry();
        Disconnector disconnector = new Disconnector(timers, registry, clock);
        initializer = new GuardedChannelInitializer(new CorsGate(new CorsPolicy(List.of()), new OriginRefusals(clock)),
                null, new HandshakeGuard(registry, disconnector, clock), new MalformedPackets(registry, disconnector),
                new PingTimeouts(clock), clock);
        Configuration configuration = new Configuration();
        configuration.setContext("/socket.io");
        configuration.setJsonSupport(new JacksonJsonSupport()); // SocketIOServer sets it; the initializer alone needs it here
        configuration.setHttpCompression(false);
        configuration.setWebsocketCompression(false);
        configuration.setPingInterval(600_000); // no ping during the test
        NamespacesHub namespaces = new NamespacesHub(configuration);
        namespaces.create(Namespace.DEFAULT_NAME);
        initializer.start(configuration, namespaces);
    }

    @Override
    public void close() {
        initializer.stop();
        timers.shutdownNow();
    }

    /** @return the client of a new engine.io session, opened with a polling handshake */
    ClientHead handshake() throws ReflectiveOperationException {
        EmbeddedChannel handshake = channel();
        handshake.writeInbound(get(null));
        handshake.runPendingTasks();
        String opened = drain(handshake);
        Matcher sid = SID.matcher(opened);
        assertTrue(sid.find(), "no engine.io handshake: " + opened);
        ClientHead client = clients().get(UUID.fromString(sid.group(1)));
        assertNotNull(client);
        return client;
    }

    /** @return a new connection through the pipeline */
    EmbeddedChannel channel() {
        return new TcpLikeChannel(initializer);
    }

    /** A poll of the client's session (sid null: a handshake). */
    static ByteBuf get(UUID sid) {
        return Unpooled.copiedBuffer("GET /socket.io/?EIO=4&transport=polling" + (sid == null ? "" : "&sid=" + sid)
                + " HTTP/1.1\r\nHost: x\r\n\r\n", StandardCharsets.US_ASCII);
    }

    /** @return what the channel has written so far */
    static String drain(EmbeddedChannel channel) {
        StringBuilder out = new StringBuilder();
        for (Object msg = channel.readOutbound(); msg != null; msg = channel.readOutbound()) {
            ByteBuf buf = (ByteBuf) msg;
            out.append(buf.toString(StandardCharsets.UTF_8));
            buf.release();
        }
        return out.toString();
    }

    private ClientsBox clients() throws ReflectiveOperationException {
        Field box = initializer.getClass().getSuperclass().getDeclaredField("clientsBox");
        box.setAccessible(true);
        return (ClientsBox) box.get(initializer);
    }

    /** The handshake reads the client's address as a TCP one. */
    private static final class TcpLikeChannel extends EmbeddedChannel {
        private static final SocketAddress ADDRESS = new InetSocketAddress(InetAddress.getLoopbackAddress(), 40_000);

        TcpLikeChannel(ChannelHandler handler) {
            super(handler);
        }

        @Override
        protected SocketAddress localAddress0() {
            return ADDRESS;
        }

        @Override
        protected SocketAddress remoteAddress0() {
            return ADDRESS;
        }
    }
}
