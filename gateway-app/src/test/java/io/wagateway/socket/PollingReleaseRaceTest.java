package io.wagateway.socket;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.corundumstudio.socketio.Configuration;
import com.corundumstudio.socketio.Transport;
import com.corundumstudio.socketio.handler.ClientHead;
import com.corundumstudio.socketio.handler.ClientsBox;
import com.corundumstudio.socketio.handler.TransportState;
import com.corundumstudio.socketio.namespace.Namespace;
import com.corundumstudio.socketio.namespace.NamespacesHub;
import com.corundumstudio.socketio.protocol.EngineIOVersion;
import com.corundumstudio.socketio.protocol.JacksonJsonSupport;
import com.corundumstudio.socketio.protocol.Packet;
import com.corundumstudio.socketio.protocol.PacketType;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
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
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A polling client's next GET, bound while its previous (answered, closed) connection is being
 * released, keeps the client's events coming. The release of a closed connection is interrupted
 * where a busy machine can preempt it, between "is this still the client's connection?" and
 * "forget it", and the next GET is bound right there; events sent after must reach that GET.
 * Everything runs through the gateway's real pipeline on embedded channels, one thread, so the
 * interleaving is the same on every run.
 */
class PollingReleaseRaceTest {

    private static final Pattern SID = Pattern.compile("\"sid\":\"([0-9a-f-]{36})\"");

    private final Clock clock = Clock.systemUTC();
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    private final GuardedChannelInitializer initializer;

    PollingReleaseRaceTest() {
        SocketRegistry registry = new SocketRegistry();
        initializer = new GuardedChannelInitializer(new CorsGate(new CorsPolicy(List.of()), new OriginRefusals(clock)),
                null, new HandshakeGuard(registry, new Disconnector(timers, registry, clock), clock), new PingTimeouts(clock), clock);
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

    @AfterEach
    void stop() {
        initializer.stop();
        timers.shutdownNow();
    }

    @Test
    void aGetBoundWhileTheLastPollIsReleasedStillGetsTheEvents() throws Exception {
        EmbeddedChannel handshake = channel();
        handshake.writeInbound(get(null));
        handshake.runPendingTasks();
        String opened = drain(handshake);
        Matcher sid = SID.matcher(opened);
        assertTrue(sid.find(), "no engine.io handshake: " + opened);
        UUID id = UUID.fromString(sid.group(1));
        ClientHead client = clients().get(id);
        assertNotNull(client);

        EmbeddedChannel next = channel();
        PreemptedRelease state = PreemptedRelease.installOn(client, () -> next.writeInbound(get(id)));

        EmbeddedChannel held = channel();
        held.writeInbound(get(id)); // nothing queued: the GET is held
        client.send(new Packet(PacketType.NOOP, EngineIOVersion.V4), Transport.POLLING);
        assertTrue(drain(held).startsWith("HTTP/1.1 200"), "the held GET was not answered");
        held.runPendingTasks(); // its close, and with it the release
        if (!state.preempted) {
            next.writeInbound(get(id)); // the release never paused: the next GET comes after it
        }

        client.send(new Packet(PacketType.PING, EngineIOVersion.V4), Transport.POLLING);
        String answer = drain(next);
        assertTrue(answer.startsWith("HTTP/1.1 200") && answer.endsWith("2"),
                "the GET bound during the release got no events: '" + answer + "'");
    }

    private EmbeddedChannel channel() {
        return new TcpLikeChannel(initializer);
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

    private static ByteBuf get(UUID sid) {
        return Unpooled.copiedBuffer("GET /socket.io/?EIO=4&transport=polling" + (sid == null ? "" : "&sid=" + sid)
                + " HTTP/1.1\r\nHost: x\r\n\r\n", StandardCharsets.US_ASCII);
    }

    private static String drain(EmbeddedChannel channel) {
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

    /**
     * The client's polling state, with a pause where netty-socketio's release reads the current
     * connection: the next GET is bound there, after the read and before the release acts on it.
     */
    private static final class PreemptedRelease extends TransportState {
        private final Runnable bindNext;
        private boolean preempted;

        private PreemptedRelease(Runnable bindNext) {
            this.bindNext = bindNext;
        }

        static PreemptedRelease installOn(ClientHead client, Runnable bindNext) throws ReflectiveOperationException {
            Field field = ClientHead.class.getDeclaredField("channels");
            field.setAccessible(true);
            @SuppressWarnings("unchecked")
            Map<Transport, TransportState> channels = (Map<Transport, TransportState>) field.get(client);
            TransportState current = channels.get(Transport.POLLING);
            PreemptedRelease state = new PreemptedRelease(bindNext);
            state.setPacketsQueue(current.getPacketsQueue());
            state.update(current.getChannel());
            channels.put(Transport.POLLING, state);
            return state;
        }

        @Override
        public Channel getChannel() {
            Channel read = super.getChannel();
            if (!preempted && read != null && inRelease()) {
                preempted = true;
                bindNext.run();
            }
            return read;
        }

        private static boolean inRelease() {
            return StackWalker.getInstance().walk(frames -> frames.anyMatch(f -> f.getMethodName().equals("releasePollingChannel")));
        }
    }
}
