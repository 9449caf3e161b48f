package io.wagateway.socket;

import com.corundumstudio.socketio.SocketIOChannelInitializer;
import com.corundumstudio.socketio.SocketIOServer;
import com.corundumstudio.socketio.Transport;
import com.corundumstudio.socketio.handler.ClientHead;
import com.corundumstudio.socketio.handler.ClientsBox;
import com.corundumstudio.socketio.handler.TransportState;
import com.corundumstudio.socketio.scheduler.CancelableScheduler;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Four things netty-socketio 2.0.14 offers no API for, made through its private fields. Each
 * falls back to the library's own behaviour when the fields are not there (another version):
 * <ul>
 *   <li>{@link SocketIOServer} builds a default pipeline factory before ours replaces it; that
 *       factory's timer is never released and Netty reports it as a LEAK when it is collected (and
 *       counts it towards its "too many HashedWheelTimer instances" warning);</li>
 *   <li>its table of open engine.io sessions is private ({@link #sessions});</li>
 *   <li>{@link SocketIOServer#stop()} shuts its two event loop groups down with Netty's default
 *       2 s quiet period each, one after the other: 4 s per stop, though every client is gone by then;</li>
 *   <li>a client's websocket channel is private to its {@link ClientHead} ({@link #websocketChannel}).</li>
 * </ul>
 */
final class NettySocketIoInternals {

    private static final Logger LOG = Logger.getLogger(NettySocketIoInternals.class.getName());

    private NettySocketIoInternals() {
    }

    /** Call before {@link SocketIOServer#setPipelineFactory}. */
    static void releaseDefaultPipeline(SocketIOServer server) {
        try {
            Object pipeline = field(SocketIOServer.class, "pipelineFactory").get(server);
            ((CancelableScheduler) field(SocketIOChannelInitializer.class, "scheduler").get(pipeline)).shutdown();
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.log(Level.FINE, "Could not release netty-socketio's default pipeline timer", e);
        }
    }

    /**
     * Whether an engine.io session id is open, read from the initializer's private session table
     * (for the {@link PollingGate}). Without it every well-formed id counts as open, and
     * netty-socketio answers unknown ones itself.
     */
    static Predicate<UUID> sessions(SocketIOChannelInitializer initializer) {
        try {
            ClientsBox clients = (ClientsBox) field(SocketIOChannelInitializer.class, "clientsBox").get(initializer);
            return id -> clients.get(id) != null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.log(Level.FINE, "Could not read netty-socketio's session table", e);
            return id -> true;
        }
    }

    /**
     * A client's websocket channel, read from its private transport table, for the
     * {@link BatchingRoomBroadcaster}. Without it the function answers null and the broadcaster
     * sends through netty-socketio's own per-client path.
     */
    static Function<ClientHead, Channel> websocketChannel() {
        return ClientChannels.GETTER == null ? client -> null : ClientChannels::websocket;
    }

    /** The field read through a constant method handle: read per member and event, so it must be cheap. */
    private static final class ClientChannels {
        private static final MethodHandle GETTER = getter();

        private static MethodHandle getter() {
            try {
                return MethodHandles.lookup().unreflectGetter(field(ClientHead.class, "channels"))
                        .asType(MethodType.methodType(Map.class, ClientHead.class));
            } catch (ReflectiveOperationException | RuntimeException e) {
                LOG.log(Level.FINE, "Could not read netty-socketio's client channels", e);
                return null;
            }
        }

        static Channel websocket(ClientHead client) {
            try {
                Object state = ((Map<?, ?>) GETTER.invokeExact(client)).get(Transport.WEBSOCKET);
                return state instanceof TransportState transport ? transport.getChannel() : null;
            } catch (Throwable e) {
                return null;
            }
        }
    }

    /** Stops the event loops at once; {@link SocketIOServer#stop()} then finds them terminated. */
    static void shutdownEventLoops(SocketIOServer server) {
        try {
            for (String name : new String[] {"bossGroup", "workerGroup"}) {
                EventLoopGroup group = (EventLoopGroup) field(SocketIOServer.class, name).get(server);
                if (group != null) {
                    group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
                }
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.log(Level.FINE, "Could not shut netty-socketio's event loops down early", e);
        }
    }

    private static Field field(Class<?> type, String name) throws NoSuchFieldException {
        Field field = type.getDeclaredField(name);
        field.setAccessible(true);
        return field;
    }
}
