package io.wagateway.session;

import io.wagateway.config.GatewaySettings;
import io.wagateway.retry.Backoff;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * One session's reconnect and retry timer: capped exponential backoff over the attempts since the
 * last start or connect, at most one pending; the same attempts count against the reconnect limit.
 * Used only on the session's executor; whether to schedule, and what to do when it fires, is the
 * actor's call.
 */
final class RetryTimer {

    private static final Logger LOG = Logger.getLogger(RetryTimer.class.getName());

    private final ScheduledExecutorService timers;
    private final GatewaySettings.Sessions settings;
    private final String sessionId;
    private int attempts;
    private ScheduledFuture<?> pending;

    RetryTimer(ScheduledExecutorService timers, GatewaySettings.Sessions settings, String sessionId) {
        this.timers = timers;
        this.settings = settings;
        this.sessionId = sessionId;
    }

    /** Runs {@code fire} (on the timer thread) after the next backoff delay, replacing a pending one. */
    void schedule(Runnable fire) {
        // At most one pending retry, whichever failure path asks for it.
        cancel();
        long delay = new Backoff(settings.retryInitialDelay(), settings.retryMaxDelay()).delay(attempts).toMillis();
        attempts++;
        LOG.info(() -> "Session " + sessionId + ": retry " + attempts + " in " + delay + " ms");
        pending = timers.schedule(fire, delay, TimeUnit.MILLISECONDS);
    }

    /**
     * Whether the retries since the last start or connect reached {@code reconnect-max-attempts}: a
     * connection lost now was lost by as many reconnects in a row, and the next loss is not retried.
     */
    boolean reconnectsUsedUp() {
        int max = settings.reconnectMaxAttempts();
        return max > 0 && attempts >= max;
    }

    /** Says once, in the log, that the limit stopped the reconnects. */
    void givenUp() {
        LOG.warning("Session " + sessionId + ": connection lost again after " + attempts
                + " reconnect(s) in a row; not reconnecting until it is started again");
    }

    boolean pending() {
        return pending != null;
    }

    /** The pending retry went off: none is pending any more. */
    void fired() {
        pending = null;
    }

    void cancel() {
        if (pending != null) {
            pending.cancel(false);
            pending = null;
        }
    }

    /** Back to the shortest delay: the session started afresh or connected. */
    void reset() {
        attempts = 0;
    }
}
