package io.wagateway.session;

import io.wagateway.api.SessionStatus;
import io.wagateway.session.SessionTransitions.Outcome;
import io.wagateway.session.SessionTransitions.State;
import io.wagateway.session.SessionTransitions.Trigger;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Set;
import java.util.logging.Logger;

/**
 * Boot recovery: after a restart, sessions that were linked (CONNECTED, or reconnecting with
 * credentials, or failing) start again; sessions caught mid-linking need a new QR and become
 * DISCONNECTED ({@link SessionTransitions} says which is which). What a crash or shutdown left
 * {@code PENDING} is settled first ({@link OutgoingMessages}): {@code FAILED} when an engine of the
 * last run got it; when none did, sent once the session is connected again, or {@code FAILED} when
 * it is not resumed. Credentials left behind a deleted session are removed, and the messages of
 * sessions whose delete a crash interrupted, in the background.
 */
final class SessionRecovery {

    private static final Logger LOG = Logger.getLogger(SessionRecovery.class.getName());

    private final SessionStore store;
    private final MessageStore messages;
    private final CredentialRepository credentials;
    private final SessionActors actors;
    /** Before any engine of this run could get a message. */
    private final Instant booted;

    SessionRecovery(SessionStore store, MessageStore messages, CredentialRepository credentials, SessionActors actors,
                    Clock clock) {
        this.store = store;
        this.messages = messages;
        this.credentials = credentials;
        this.actors = actors;
        this.booted = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    /** Decides on every stored session as listed; each actor carries its answer out in its own order. */
    void resumeAfterRestart() {
        // A credential write stuck past a logout's or delete's bounded wait may have landed after it
        // and not been taken back (CredentialsGate): unread, and removed here.
        long stale = credentials.deleteStale();
        if (stale > 0) {
            LOG.info(() -> stale + " credential entries of deleted sessions or earlier links removed");
        }
        // Only rows of deleted sessions, which nothing reads or writes: no need to hold the start for them.
        store.resumePurgesInBackground();
        Set<String> withPending = messages.sessionsWithPending();
        for (Session s : store.listAll()) {
            // Only a session stored CONNECTING needs its credentials looked at: one query, not one per session.
            boolean hasCredentials = s.status() == SessionStatus.CONNECTING
                    && !credentials.forSession(s.sessionId()).keys().isEmpty();
            Outcome outcome = SessionTransitions.next(State.stored(s), new Trigger.GatewayRestarted(hasCredentials));
            boolean resumes = outcome instanceof Outcome.Move m && m.status() == SessionStatus.CONNECTING;
            if (withPending.contains(s.sessionId())) {
                SessionActor actor = actors.get(s.sessionId());
                actor.executor.execute(() -> actor.settleAfterRestart(resumes, booted));
            }
            if (outcome instanceof Outcome.Move to) {
                SessionActor actor = actors.get(s.sessionId());
                actor.executor.execute(() -> actor.recover(s.status(), to));
            }
        }
    }
}
