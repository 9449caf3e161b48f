package io.wagateway.session;

import io.wagateway.api.CredentialStore;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * One session's engine credentials across its links (its engine sessions, one after the other):
 * each link reads and writes them under the session's credential epoch as it was when the link
 * opened ({@link CredentialRepository}), through the session's {@link CredentialsGate}; a logout
 * closes the gate, then moves the session to the next epoch and deletes them.
 *
 * <p>Called on the session's executor; the stores it hands out are written from engine threads.
 */
final class SessionCredentials {

    private final String sessionId;
    private final CredentialRepository repository;
    private final CredentialsGate gate;

    /** @param bound how long a logout or delete waits for a credential write under way */
    SessionCredentials(String sessionId, CredentialRepository repository, Duration bound) {
        this.sessionId = sessionId;
        this.repository = repository;
        this.gate = new CredentialsGate(sessionId, bound);
    }

    /**
     * @param current whether the link may still write (it may while stopping), asked at each write
     * @return the credentials of a link opened now (reads the session's epoch)
     */
    CredentialStore open(BooleanSupplier current) {
        return new GuardedCredentials(repository.forSession(sessionId), gate, gate.pass(), current);
    }

    /** A logout's: no link writes from now on, those under way have ended (within the bound), then they go. */
    void wipe() {
        gate.close();
        repository.wipe(sessionId);
    }

    /** A delete's: as {@link #wipe}, leaving the rows to the delete, which removes them with the session. */
    void close() {
        gate.close();
    }
}
