package io.wagateway.socket;

import com.corundumstudio.socketio.SocketIOClient;
import com.corundumstudio.socketio.handler.ClientHead;
import com.corundumstudio.socketio.transport.NamespaceClient;
import io.wagateway.http.LogThrottle;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Ends sockets the way socket.io-client understands: a DISCONNECT packet first, so the client
 * reports {@code disconnect} with reason {@code "io server disconnect"} and does not reconnect on
 * its own; a client that ignores it is cut off after a grace period. Also the timers that end
 * sockets which never authenticate and sockets whose token expires, and the end of sockets whose
 * token was revoked. Each end it decides on is logged at {@code INFO} with its reason (throttled:
 * a revocation or a flood of unauthenticated sockets ends many at once), so an operator can tell
 * why a client was told to go.
 */
final class Disconnector {

    private static final Logger LOG = Logger.getLogger(Disconnector.class.getName());

    /** How long a client has to close after being told to. */
    static final Duration GRACE = Duration.ofSeconds(2);
    /** How long a socket may stay open without an accepted token (socket.io's connectTimeout is 45 s). */
    static final Duration AUTH_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration LOG_INTERVAL = Duration.ofSeconds(10);

    private final ScheduledExecutorService timers;
    private final SocketRegistry registry;
    private final Clock clock;
    private final LogThrottle ends;

    Disconnector(ScheduledExecutorService timers, SocketRegistry registry, Clock clock) {
        this.timers = timers;
        this.registry = registry;
        this.clock = clock;
        this.ends = new LogThrottle(LOG, Level.INFO, LOG_INTERVAL, clock);
    }

    /** Tells the client to go, and cuts it off if it has not within {@link #GRACE}. */
    void disconnect(SocketIOClient client) {
        client.disconnect();
        cutOffLater(head(client));
    }

    /** As {@link #disconnect(SocketIOClient)}, logging the reason. */
    void disconnect(SocketIOClient client, String reason) {
        logEnd(client.getSessionId(), reason);
        disconnect(client);
    }

    /** A refused handshake: socket.io-client closes by itself on {@code connect_error}; one that lingers is cut off. */
    void refused(SocketIOClient client) {
        cutOffLater(head(client));
    }

    /** @see #refused(SocketIOClient) */
    void refused(ClientHead client) {
        cutOffLater(client);
    }

    /** A socket that has no accepted token within {@link #AUTH_TIMEOUT} is closed. */
    void requireAuthentication(SocketIOClient client) {
        timers.schedule(() -> {
            if (registry.get(client.getSessionId()) == null && head(client).isConnected()) {
                logEnd(client.getSessionId(), "no accepted token within " + AUTH_TIMEOUT.toSeconds() + " s");
                cutOff(head(client));
            }
        }, AUTH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Ends the socket when its token expires: an {@code error} UNAUTHORIZED "Token expired", then a disconnect. */
    void expireAt(SocketState state, Instant expiresAt) {
        long delay = Math.max(0, Duration.between(clock.instant(), expiresAt).toMillis());
        state.expiry(timers.schedule(() -> expire(state), delay, TimeUnit.MILLISECONDS));
    }

    void expire(SocketState state) {
        end(state, "Token expired");
    }

    /**
     * Ends an accepted socket whose token no longer holds (expired, revoked): an {@code error}
     * UNAUTHORIZED with the reason, then a disconnect. Once per socket, whoever asks first.
     */
    void end(SocketState state, String message) {
        if (!state.close()) {
            return;
        }
        logEnd(state.client().getSessionId(), message + " (user " + state.principal().userId() + ")");
        state.client().sendEvent(EventPayloads.ERROR, EventPayloads.error(ErrorCode.UNAUTHORIZED, message));
        disconnect(state.client());
    }

    /**
     * Ends a socket that sent a packet netty-socketio could not decode ({@code problem} names why):
     * one with an accepted token ({@code state}, else null) first gets an {@code error}
     * INVALID_PAYLOAD and the usual disconnect; one without is closed at once.
     */
    void malformed(ClientHead head, SocketState state, String problem) {
        logEnd(head.getSessionId(), "a packet that is not valid Socket.IO (" + problem + ")");
        if (state == null) {
            cutOff(head);
        } else if (state.close()) {
            state.client().sendEvent(EventPayloads.ERROR, EventPayloads.error(ErrorCode.INVALID_PAYLOAD,
                    "Malformed packet: not valid Socket.IO; disconnecting"));
            disconnect(state.client());
        }
    }

    private void logEnd(UUID socketId, String reason) {
        ends.log(() -> "Disconnected the Socket.IO client " + socketId + ": " + reason);
    }

    private void cutOffLater(ClientHead head) {
        timers.schedule(() -> cutOff(head), GRACE.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static void cutOff(ClientHead head) {
        if (head.isConnected()) {
            head.disconnect();
        }
    }

    private static ClientHead head(SocketIOClient client) {
        return ((NamespaceClient) client).getBaseClient();
    }
}
