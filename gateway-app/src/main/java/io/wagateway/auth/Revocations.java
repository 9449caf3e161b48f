package io.wagateway.auth;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one way a stored change to a user's tokens becomes effective: first the in-memory view the
 * verifier reads ({@link UserStandings}), then the listeners that end open connections. In that
 * order, so a connection accepted in between is caught by its own re-check.
 */
final class Revocations {

    private static final Logger LOG = Logger.getLogger(Revocations.class.getName());

    private final UserStandings standings;
    private final List<RevocationListener> listeners = new CopyOnWriteArrayList<>();

    Revocations(UserStandings standings) {
        this.standings = standings;
    }

    void addListener(RevocationListener listener) {
        listeners.add(listener);
    }

    /** A new user: known to the token check, with no token or socket to end yet. */
    void userAdded(User user) {
        standings.put(user);
    }

    /** The user as now stored (new role, disabled, new password): their older tokens end. */
    void userChanged(User user, String message) {
        standings.put(user);
        listeners.forEach(l -> notify(() -> l.userRevoked(user.id(), message)));
    }

    void userRemoved(String userId) {
        standings.remove(userId);
    }

    void tokenRevoked(String tokenId, Instant expiresAt, String message) {
        standings.revoke(tokenId, expiresAt);
        listeners.forEach(l -> notify(() -> l.tokenRevoked(tokenId, message)));
    }

    private static void notify(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            // The change is stored and the tokens are refused already; a listener's failure only delays a cut.
            LOG.log(Level.WARNING, "A revocation listener failed", e);
        }
    }
}
