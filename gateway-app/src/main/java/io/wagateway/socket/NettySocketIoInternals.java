package io.wagateway.socket;

import com.corundumstudio.socketio.SocketIOChannelInitializer;
import com.corundumstudio.socketio.SocketIOServer;
import com.corundumstudio.socketio.Transport;
import com.corundumstudio.socketio.handler.ClientHead;
import com.corundumstudio.socketio.handler.ClientsBox;
import com.corundumstudio.socketio.handler.TransportState;
import com.corundumstudio.socketio.scheduler.CancelableScheduler;
import com.corundumstudio.socketio.scheduler.SchedulerKey;
import com.corundumstudio.socketio.scheduler.SchedulerKey.Type;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.lang.reflect.Field;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Six things netty-socketio 2.0.14 offers no API for, made through its private fields. Each
 * falls back to the library's own behaviour when the fields are not there (another version):
 * <ul>
 *   <li>{@link SocketIOServer} builds a default pipeline factory before ours replaces it; that
 *       factory's timer is never released and Netty reports it as a LEAK when it is collected (and
 *       counts it towards its "too many HashedWheelTimer instances" warning);</li>
 *   <li>its table of open engine.io sessions is private ({@link #sessions});</li>
 *   <li>{@link SocketIOServer#stop()} shuts its two event loop groups down with Netty's default
 *       2 s quiet period each, one after the other: 4 s per stop, though every client is gone by then;</li>
 *   <li>a client's websocket and polling channels are private to its {@link ClientHead}
 *       ({@link #websocketChannel}, {@link #pollingChannel});</li>
 *   <li>its release of a closed polling connection is not atomic ({@link #pollingRelease});</li>
 *   <li>it tells of a client dropped for a ping timeout only in a debug record
 *       ({@link #watchPingTimeouts}).</li>
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
        return ClientChannels.GETTER == null ? client -> null : client -> ClientChannels.channel(client, Transport.WEBSOCKET);
    }

    /**
     * A client's waiting poll's channel, read from its private transport table, for the
     * {@link PollingAnswers}; null (netty-socketio answers polls itself) when the fields are not there.
     */
    static Function<ClientHead, Channel> pollingChannel() {
        return ClientChannels.GETTER == null ? null : client -> ClientChannels.channel(client, Transport.POLLING);
    }

    /**
     * The {@link PollingChannelRelease} for the initializer's clients, or null (netty-socketio's own
     * release stays) when the fields are not there.
     */
    static PollingChannelRelease pollingRelease(SocketIOChannelInitializer initializer) {
        if (ClientChannels.GETTER == null || ClientChannels.CHANNEL == null) {
            return null;
        }
        try {
            ClientsBox clients = (ClientsBox) field(SocketIOChannelInitializer.class, "clientsBox").get(initializer);
            return new PollingChannelRelease(clients, ClientChannels::clearPollingIfCurrent);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.log(Level.FINE, "Could not read netty-socketio's session table", e);
            return null;
        }
    }

    /**
     * Gives the initializer's handlers a scheduler that tells {@code timeouts} of every ping-timeout
     * task; call before {@link SocketIOChannelInitializer#start}, which hands the scheduler out.
     * Without the fields, drops are neither counted nor logged.
     */
    static void watchPingTimeouts(SocketIOChannelInitializer initializer, PingTimeouts timeouts) {
        try {
            Field scheduler = field(SocketIOChannelInitializer.class, "scheduler");
            Field type = field(SchedulerKey.class, "type");
            Field sessionId = field(SchedulerKey.class, "sessionId");
            Predicate<UUID> open = sessions(initializer);
            Function<SchedulerKey, UUID> client = key -> {
                try {
                    // SchedulerKey has no getters. Read for every task scheduled: no allocation here.
                    return type.get(key) == Type.PING_TIMEOUT && sessionId.get(key) instanceof UUID id ? id : null;
                } catch (IllegalAccessException e) {
                    return null;
                }
            };
            scheduler.set(initializer, timeouts.watch((CancelableScheduler) scheduler.get(initializer), client, open));
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.log(Level.FINE, "Could not watch netty-socketio's ping timeouts", e);
        }
    }

    /** A client's transport channels, through constant handles: read per member and event, so it must be cheap. */
    private static final class ClientChannels {
        private static final MethodHandle GETTER = getter();
        /** {@link TransportState}'s channel, for a compare-and-set the class itself never does. */
        private static final VarHandle CHANNEL = channelHandle();

        private static MethodHandle getter() {
            try {
                return MethodHandles.lookup().unreflectGetter(field(ClientHead.class, "channels"))
                        .asType(MethodType.methodType(Map.class, ClientHead.class));
            } catch (ReflectiveOperationException | RuntimeException e) {
                LOG.log(Level.FINE, "Could not read netty-socketio's client channels", e);
                return null;
            }
        }

        private static VarHandle channelHandle() {
            try {
                // unreflectVarHandle ignores setAccessible; a private lookup works across the class path.
                return MethodHandles.privateLookupIn(TransportState.class, MethodHandles.lookup())
                        .findVarHandle(TransportState.class, "channel", Channel.class);
            } catch (ReflectiveOperationException | RuntimeException e) {
                LOG.log(Level.FINE, "Could not reach netty-socketio's transport channel field", e);
                return null;
            }
        }

        static Channel channel(ClientHead client, Transport transport) {
            TransportState state = state(client, transport);
            return state == null ? null : state.getChannel();
        }

        static boolean clearPollingIfCurrent(ClientHead client, Channel channel) {
            TransportState state = state(client, Transport.POLLING);
            return state != null && CHANNEL.compareAndSet(state, channel, (Channel) null);
        }

        private static TransportState state(ClientHead client, Transport transport) {
            try {
                Object state = ((Map<?, ?>) GETTER.invokeExact(client)).get(transport);
                return state instanceof TransportState transportState ? transportState : null;
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
