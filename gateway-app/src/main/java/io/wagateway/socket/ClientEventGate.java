package io.wagateway.socket;

import com.corundumstudio.socketio.SocketIOClient;
import java.time.Clock;
import java.util.logging.Logger;

/**
 * What every client event passes before its handler runs: an accepted, unexpired identity and the
 * socket's rate limit. Runs on the I/O thread; nothing here blocks.
 */
final class ClientEventGate {

    private static final Logger LOG = Logger.getLogger(ClientEventGate.class.getName());

    private final SocketRegistry registry;
    private final Disconnector disconnector;
    private final Clock clock;
    private final int eventsPerSecond;

    ClientEventGate(SocketRegistry registry, Disconnector disconnector, Clock clock, int eventsPerSecond) {
        this.registry = registry;
        this.disconnector = disconnector;
        this.clock = clock;
        this.eventsPerSecond = eventsPerSecond;
    }

    /** @return the socket's state when the event may be handled; null when it was dropped (and dealt with) */
    SocketState admit(SocketIOClient client) {
        SocketState state = registry.get(client.getSessionId());
        if (state == null) {
            // Events before (or without) an accepted token: such a socket is not welcome.
            disconnector.disconnect(client, "an event before an accepted token");
            return null;
        }
        if (!clock.instant().isBefore(state.principal().expiresAt())) {
            disconnector.expire(state);
            return null;
        }
        return switch (state.rate(System.nanoTime())) {
            case ALLOWED -> state;
            case DROPPED -> null;
            case DROPPED_NOTIFY -> {
                client.sendEvent(EventPayloads.ERROR, EventPayloads.error(ErrorCode.RATE_LIMITED,
                        "Too many requests: at most " + eventsPerSecond + " events per second; event dropped"));
                yield null;
            }
            case ABUSIVE -> {
                LOG.warning(() -> "Disconnecting socket of user " + state.principal().userId() + ": sustained flooding");
                client.sendEvent(EventPayloads.ERROR, EventPayloads.error(ErrorCode.RATE_LIMITED,
                        "Too many requests; disconnecting"));
                disconnector.disconnect(client);
                yield null;
            }
        };
    }
}
