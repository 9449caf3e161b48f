package io.wagateway.session;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Tells in-process listeners that a session was created or deleted. Neither is an event of the
 * contract (Socket.IO clients and sinks learn of sessions over REST); the admin dashboard's live
 * stream listens here so a session created or deleted elsewhere shows up without a reload.
 * Listeners run on the caller's thread after the change is stored, so they must only hand off.
 */
final class SessionListChanges {

    private static final Logger LOG = Logger.getLogger(SessionListChanges.class.getName());

    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    AutoCloseable subscribe(Runnable listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    void changed() {
        for (Runnable listener : listeners) {
            try {
                listener.run();
            } catch (RuntimeException e) {
                // A broken listener must not fail the create or delete that already happened.
                LOG.log(Level.WARNING, "Session list listener failed", e);
            }
        }
    }
}
