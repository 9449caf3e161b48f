package io.wagateway.session;

import io.wagateway.api.SessionStatus;
import io.wagateway.session.SessionTransitions.Outcome;
import io.wagateway.session.SessionTransitions.State;
import io.wagateway.session.SessionTransitions.Trigger;

/**
 * Boot recovery: after a restart, sessions that were linked (CONNECTED, or reconnecting with
 * credentials, or failing) start again; sessions caught mid-linking need a new QR and become
 * DISCONNECTED ({@link SessionTransitions} says which is which).
 */
final class SessionRecovery {

    private final SessionStore store;
    private final CredentialRepository credentials;
    private final SessionActors actors;

    SessionRecovery(SessionStore store, CredentialRepository credentials, SessionActors actors) {
        this.store = store;
        this.credentials = credentials;
        this.actors = actors;
    }

    /** Decides on every stored session as listed; each actor carries its answer out in its own order. */
    void resumeAfterRestart() {
        for (Session s : store.listAll()) {
            // Only a session stored CONNECTING needs its credentials looked at: one query, not one per session.
            boolean hasCredentials = s.status() == SessionStatus.CONNECTING
                    && !credentials.forSession(s.sessionId()).keys().isEmpty();
            if (SessionTransitions.next(State.stored(s), new Trigger.GatewayRestarted(hasCredentials))
                    instanceof Outcome.Move to) {
                SessionActor actor = actors.get(s.sessionId());
                actor.executor.execute(() -> actor.recover(s.status(), to));
            }
        }
    }
}
