package io.wagateway.plugins.baileys;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The calls one {@link Worker} has not answered yet: their {@code reqId}s, deadlines and callbacks.
 *
 * <p>Each call is finished exactly once, by whichever comes first: its answer, its deadline (on the
 * timer thread), a failed write, or the worker's exit. Removing it from the map is what decides who
 * finishes it, so the others find nothing to do.
 */
final class PendingCalls {

    /** Worker's logger: these lines are the worker's, wherever the bookkeeping lives. */
    private static final Logger LOG = Logger.getLogger(Worker.class.getName());

    private final long pid;
    private final ScheduledExecutorService timer;
    private final AtomicLong reqIds = new AtomicLong();
    private final ConcurrentHashMap<Long, Pending> pending = new ConcurrentHashMap<>();

    PendingCalls(long pid, ScheduledExecutorService timer) {
        this.pid = pid;
        this.timer = timer;
    }

    /**
     * Registers a call before its line is written, so its answer always finds it.
     *
     * @param type    the command's type, for messages
     * @param timeout the deadline
     * @param done    the callback
     * @return the call's {@code reqId}
     */
    long open(String type, Duration timeout, BiConsumer<Map<String, Object>, WorkerException> done) {
        long reqId = reqIds.incrementAndGet();
        Pending p = new Pending(type, done);
        pending.put(reqId, p);
        p.deadline = timer.schedule(() -> {
            if (pending.remove(reqId, p)) {
                p.finish(null, new WorkerException("The Baileys worker (pid " + pid + ") did not answer '" + type + "' within "
                        + timeout.toMillis() + " ms", true));
            }
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        return reqId;
    }

    /** Fails a call that is still open, e.g. because its line could not be written. */
    void fail(long reqId, WorkerException error) {
        Pending p = pending.remove(reqId);
        if (p != null) {
            p.finish(null, error);
        }
    }

    /** Finishes the call a {@code reply} or {@code pong} answers. */
    void answer(Map<String, Object> event) {
        if (!(event.get("reqId") instanceof Long reqId)) {
            LOG.warning("Baileys worker " + pid + ": skipped a " + event.get("type") + " without a numeric reqId");
            return;
        }
        Pending p = pending.remove(reqId);
        if (p == null) {
            return; // answered after its deadline: the caller already has its failure
        }
        if ("reply".equals(event.get("type")) && !Boolean.TRUE.equals(event.get("ok"))) {
            Object error = event.get("error");
            p.finish(null, new WorkerException(error instanceof String s && !s.isBlank() ? s : "the worker refused '" + p.type + "'",
                    false, Boolean.TRUE.equals(event.get("fatal"))));
        } else {
            p.finish(event, null);
        }
    }

    /** Fails every open call: the worker ended. */
    void failAll(int exitCode) {
        for (Long reqId : pending.keySet()) {
            Pending p = pending.remove(reqId);
            if (p != null) {
                p.finish(null, new WorkerException("The Baileys worker (pid " + pid + ") ended (exit code " + exitCode
                        + ") before answering '" + p.type + "'"));
            }
        }
    }

    /** A call waiting for its answer. */
    private static final class Pending {
        final String type;
        final BiConsumer<Map<String, Object>, WorkerException> done;
        volatile ScheduledFuture<?> deadline;

        Pending(String type, BiConsumer<Map<String, Object>, WorkerException> done) {
            this.type = type;
            this.done = done;
        }

        void finish(Map<String, Object> reply, WorkerException error) {
            ScheduledFuture<?> d = deadline;
            if (d != null) {
                d.cancel(false);
            }
            try {
                done.accept(reply, error);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "A Baileys worker call's callback failed", e);
            }
        }
    }
}
