package io.wagateway.plugins.baileys;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A session's one serial thread. Worker events are handled on it in the order they came, and so are
 * the credential writes they bring: those block on the host's storage, which must never hold up the
 * worker's stdout thread (and with it every other session).
 */
final class SerialQueue {

    /** The session's logger: these lines are the session's. */
    private static final Logger LOG = Logger.getLogger(BaileysSession.class.getName());

    private final String sessionId;
    private final ExecutorService serial = Executors.newSingleThreadExecutor(
            Thread.ofVirtual().name("baileys-session-", 0).factory());

    SerialQueue(String sessionId) {
        this.sessionId = sessionId;
    }

    /** Runs {@code task} after every task queued before it; a failure is logged, a task after {@link #drain} dropped. */
    void run(Runnable task) {
        try {
            serial.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "Baileys session " + sessionId + ": handling a worker event failed", e);
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.fine(() -> "Baileys session " + sessionId + ": event after stop ignored");
        }
    }

    /** Lets the tasks already queued finish within {@code timeout}, then drops the rest and takes no more. */
    void drain(Duration timeout) {
        serial.shutdown();
        try {
            if (!serial.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warning("Baileys session " + sessionId + ": credential writes still pending after "
                        + timeout.toMillis() + " ms; dropped");
                serial.shutdownNow();
            }
        } catch (InterruptedException e) {
            serial.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
