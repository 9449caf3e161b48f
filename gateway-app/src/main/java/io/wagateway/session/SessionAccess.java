package io.wagateway.session;

import io.wagateway.auth.Principal;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * What the Socket.IO layer needs of sessions: access checks and the current state, in the
 * session's event order.
 */
public interface SessionAccess {

    /**
     * Whether the session exists and the caller owns it (admins: any). Blocks on the store: call it
     * from a virtual thread, never from a Netty I/O thread.
     */
    boolean canAccess(Principal caller, String sessionId);

    /**
     * Runs {@code action} in the session's event order with its current state: every event the
     * session publishes after this call is published after {@code action} has returned. Use it
     * to join a room and send the snapshot without losing or reordering an event.
     *
     * @return completes when the action has run (exceptionally when the session does not exist)
     */
    CompletableFuture<Void> withSnapshot(String sessionId, Consumer<SessionSnapshot> action);
}
