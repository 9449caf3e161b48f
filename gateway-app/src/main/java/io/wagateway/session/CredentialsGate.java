package io.wagateway.session;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.BooleanSupplier;
import java.util.logging.Logger;

/**
 * Between one session's engine credential writes and the wipe of its credentials (a logout, a
 * delete). A write checks that it may still write and writes under the read lock; {@link #close}
 * takes the write lock, so a wipe that follows it comes after every write that got past its check,
 * and no write starts after it. One per session, for all its engine sessions: an earlier one still
 * stopping may write as well as the current one.
 *
 * <p>Thread-safe: writes come from engine threads, closes from the session's executor.
 */
final class CredentialsGate {

    private static final Logger LOG = Logger.getLogger(CredentialsGate.class.getName());

    private final String sessionId;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Duration bound;
    private final AtomicInteger closes = new AtomicInteger();

    /** @param bound how long {@link #close} waits for the writes under way */
    CredentialsGate(String sessionId, Duration bound) {
        this.sessionId = sessionId;
        this.bound = bound;
    }

    /** @return the pass of an engine session opened now: it writes until the next {@link #close} */
    int pass() {
        return closes.get();
    }

    /**
     * Runs {@code write} unless a close came after {@code pass} or {@code open} says no; a close
     * waits for it (within its bound). When a close came while it wrote, {@code takeBack} runs
     * next, also after a write that threw: that close may have given up waiting and its wipe gone
     * first. {@code takeBack} must not throw.
     *
     * @return whether it ran
     */
    boolean write(int pass, BooleanSupplier open, Runnable write, Runnable takeBack) {
        lock.readLock().lock();
        try {
            if (pass != closes.get() || !open.getAsBoolean()) {
                return false;
            }
            try {
                write.run();
            } finally {
                // Also after a write that failed: the database may have applied it all the same.
                if (pass != closes.get()) {
                    takeBack.run();
                }
            }
            return true;
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Refuses the writes of every pass given so far, then waits until those already writing have
     * ended, at most the bound: an engine thread may be stuck in the database, and a logout or a
     * delete must still answer.
     *
     * @return false when the bound passed first: a write still under way may then land after the
     *     wipe that follows, and takes itself back once it has (logged here)
     */
    boolean close() {
        // Counted before the wait: a write that takes the read lock from now on sees it and skips.
        closes.incrementAndGet();
        boolean ended;
        try {
            ended = lock.writeLock().tryLock(bound.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ended = false;
        }
        if (!ended) {
            LOG.warning(() -> "Session " + sessionId + ": a credential write did not end within " + bound
                    + "; deleting the credentials without waiting for it (it removes what it wrote once it ends)");
            return false;
        }
        lock.writeLock().unlock();
        return true;
    }
}
