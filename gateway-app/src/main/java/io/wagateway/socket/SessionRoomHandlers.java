package io.wagateway.socket;

import com.corundumstudio.socketio.SocketIOClient;
import com.corundumstudio.socketio.SocketIONamespace;
import io.wagateway.error.DomainException;
import io.wagateway.session.SessionAccess;
import io.wagateway.session.SessionSnapshot;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code join_session} and {@code leave_session}. Checks run on the I/O thread up to the payload
 * and the room cap; the access check (a database read) and the snapshot run on a virtual thread,
 * in the order the socket sent its events.
 */
final class SessionRoomHandlers {

    static final String JOIN = "join_session";
    static final String LEAVE = "leave_session";

    private static final Logger LOG = Logger.getLogger(SessionRoomHandlers.class.getName());
    private static final Duration SNAPSHOT_TIMEOUT = Duration.ofSeconds(10);
    private static final int MAX_SESSION_ID = 128;

    private final RoomLocks rooms;
    private final ClientEventGate gate;
    private final SessionAccess sessions;
    private final Executor blocking;
    private final Clock clock;
    private final int maxRooms;

    SessionRoomHandlers(ClientEventGate gate, SessionAccess sessions, Executor blocking, Clock clock, int maxRooms,
                        RoomLocks rooms) {
        this.rooms = rooms;
        this.gate = gate;
        this.sessions = sessions;
        this.blocking = blocking;
        this.clock = clock;
        this.maxRooms = maxRooms;
    }

    void register(SocketIONamespace namespace) {
        namespace.addEventListener(JOIN, Object.class, (client, data, ack) -> onJoin(client, data));
        namespace.addEventListener(LEAVE, Object.class, (client, data, ack) -> onLeave(client, data));
    }

    private void onJoin(SocketIOClient client, Object data) {
        SocketState state = gate.admit(client);
        if (state == null) {
            return;
        }
        Optional<String> sessionId = sessionId(data);
        if (sessionId.isEmpty()) {
            sendError(client, ErrorCode.INVALID_PAYLOAD, JOIN + " expects the sessionId string or {sessionId}");
            return;
        }
        state.enqueue(() -> join(state, sessionId.get()), blocking);
    }

    private void onLeave(SocketIOClient client, Object data) {
        SocketState state = gate.admit(client);
        if (state == null) {
            return;
        }
        Optional<String> sessionId = sessionId(data);
        if (sessionId.isEmpty()) {
            sendError(client, ErrorCode.INVALID_PAYLOAD, LEAVE + " expects the sessionId string or {sessionId}");
            return;
        }
        state.enqueue(() -> leave(state, sessionId.get()), blocking);
    }

    /** On a virtual thread, after the socket's earlier joins and leaves. */
    private void join(SocketState state, String sessionId) {
        if (state.isClosed()) {
            return;
        }
        // Counted here, in the socket's event order, so that an earlier leave_session frees its room first.
        SocketState.Reservation reservation = state.reserveRoom(sessionId, maxRooms);
        if (reservation == SocketState.Reservation.FULL) {
            sendError(state.client(), ErrorCode.LIMIT_EXCEEDED, "At most " + maxRooms + " session rooms per connection");
            return;
        }
        boolean member = reservation == SocketState.Reservation.ALREADY;
        boolean allowed;
        try {
            allowed = sessions.canAccess(state.principal(), sessionId);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Access check failed for session " + sessionId, e);
            failJoin(state, sessionId, member, ErrorCode.INTERNAL_ERROR, "Could not join the session; try again");
            return;
        }
        if (!allowed) {
            failJoin(state, sessionId, member, ErrorCode.INVALID_SESSION, "Invalid session ID or access denied");
            return;
        }
        // Whoever claims first wins: the snapshot (enters the room) or the timeout (reports failure).
        AtomicBoolean claimed = new AtomicBoolean();
        try {
            sessions.withSnapshot(sessionId, snapshot -> {
                if (claimed.compareAndSet(false, true)) {
                    enterRoom(state, sessionId, snapshot);
                }
            }).get(SNAPSHOT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof DomainException refused) {
                // Typically deleted between the access check and the snapshot.
                failJoin(state, sessionId, member, ErrorCode.of(refused), "Invalid session ID or access denied");
            } else {
                LOG.log(Level.WARNING, "Joining session " + sessionId + " failed", e.getCause());
                failJoin(state, sessionId, member, ErrorCode.INTERNAL_ERROR, "Could not join the session; try again");
            }
        } catch (TimeoutException e) {
            if (claimed.compareAndSet(false, true)) {
                LOG.warning(() -> "Session " + sessionId + " gave no snapshot within " + SNAPSHOT_TIMEOUT);
                failJoin(state, sessionId, member, ErrorCode.INTERNAL_ERROR, "Could not join the session; try again");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Runs in the session's event order: no event the session publishes can fall between the
     * snapshot and joining the room, nor overtake the snapshot.
     *
     * <p>The answer and the snapshot are queued on the client's packet queue before it becomes a
     * member, so a broadcast finds the client in the room only once they are ahead of whatever it
     * queues there (joining first let one queue an event before {@code session_joined}). And all
     * of it happens while no broadcast to the room runs ({@link RoomLocks}): the room's events need
     * not come from the session's executor (message status changes come from the database writer),
     * and the client may read {@code session_joined} before it is a member; an event broadcast in
     * between was lost to it.
     */
    private void enterRoom(SocketState state, String sessionId, SessionSnapshot snapshot) {
        SocketIOClient client = state.client();
        if (state.isClosed()) {
            return;
        }
        rooms.inRoom(sessionId, () -> {
            client.sendEvent(EventPayloads.SESSION_JOINED, EventPayloads.sessionJoined(sessionId, clock.instant()));
            client.sendEvent(snapshot.status().type(), EventPayloads.of(snapshot.status()));
            snapshot.pendingQr().ifPresent(qr -> client.sendEvent(qr.type(), EventPayloads.of(qr)));
            client.joinRoom(sessionId);
        });
        if (state.isClosed()) {
            // Closed meanwhile: no dead member in the room. An entry made before the close is undone
            // by SocketServer's disconnect listener, which leaves the socket's rooms after closing it.
            client.leaveRoom(sessionId);
        }
    }

    /**
     * @param member whether the socket was in the room before this join: joining twice is harmless,
     *               so a second join that fails for a passing reason leaves it there; only one that
     *               finds the session gone or no longer the caller's takes it out
     */
    private void failJoin(SocketState state, String sessionId, boolean member, ErrorCode code, String message) {
        if (!member || code == ErrorCode.INVALID_SESSION) {
            state.client().leaveRoom(sessionId);
            state.releaseRoom(sessionId);
        }
        sendError(state.client(), code, message);
    }

    /** On a virtual thread, after the socket's earlier joins and leaves. */
    private void leave(SocketState state, String sessionId) {
        state.client().leaveRoom(sessionId);
        state.releaseRoom(sessionId);
    }

    /** The sessionId from a string or {@code {sessionId: string}}; empty for anything else. */
    static Optional<String> sessionId(Object data) {
        Object value = data instanceof Map<?, ?> map ? map.get("sessionId") : data;
        if (value instanceof String id && !id.isBlank() && id.length() <= MAX_SESSION_ID) {
            return Optional.of(id);
        }
        return Optional.empty();
    }

    private static void sendError(SocketIOClient client, ErrorCode code, String message) {
        client.sendEvent(EventPayloads.ERROR, EventPayloads.error(code, message));
    }
}
