package io.wagateway.plugins.baileys;

import java.time.Duration;

/**
 * When one blocking call the host made into a session (start, an action, stop or logout) must be
 * answered by: the host's deadline for it ({@link io.wagateway.api.EngineContext#callTimeout()}) less
 * a margin, counted from when the call began. Every wait inside the call (for the worker's lock, its
 * launch, a reply, the credential writes to drain) takes at most what its own setting allows and
 * what is left of this, so the session answers by itself (a retriable failure, an
 * {@link io.wagateway.api.ActionException}) before the host gives up on it and fails the session.
 *
 * <p>Immutable; any thread.
 */
final class CallDeadline {

    /** The most kept back from the host's deadline, for what follows the last wait (and a busy machine). */
    static final Duration MAX_MARGIN = Duration.ofSeconds(2);

    private static final CallDeadline NONE = new CallDeadline(0, false);

    private final long endNanos;
    private final boolean bounded;

    private CallDeadline(long endNanos, boolean bounded) {
        this.endNanos = endNanos;
        this.bounded = bounded;
    }

    /**
     * @param hostTimeout the host's deadline for the call now beginning
     * @return that deadline less {@link #margin(Duration)}, from now
     */
    static CallDeadline forHostCall(Duration hostTimeout) {
        return new CallDeadline(System.nanoTime() + hostTimeout.minus(margin(hostTimeout)).toNanos(), true);
    }

    /** @return no deadline beyond each wait's own setting: for work the host does not wait for (a worker restart) */
    static CallDeadline none() {
        return NONE;
    }

    /**
     * What is kept back from the host's deadline: a fifth of it, at most {@link #MAX_MARGIN}
     * (2 s of the default 10 s).
     *
     * @param hostTimeout the host's deadline
     * @return the margin
     */
    static Duration margin(Duration hostTimeout) {
        Duration fifth = hostTimeout.dividedBy(5);
        return fifth.compareTo(MAX_MARGIN) < 0 ? fifth : MAX_MARGIN;
    }

    /**
     * @param configured how long the wait may take by its own setting
     * @return the shorter of that and what is left, at least a millisecond (a wait of zero would mean for ever to some APIs)
     */
    Duration cap(Duration configured) {
        if (!bounded) {
            return configured;
        }
        Duration left = Duration.ofNanos(Math.max(endNanos - System.nanoTime(), Duration.ofMillis(1).toNanos()));
        return left.compareTo(configured) < 0 ? left : configured;
    }

    /** @return whether the deadline has passed */
    boolean passed() {
        return bounded && endNanos - System.nanoTime() <= 0;
    }
}
