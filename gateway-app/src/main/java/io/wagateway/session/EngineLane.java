package io.wagateway.session;

import io.wagateway.api.EngineContext;
import io.wagateway.api.EngineSession;
import io.wagateway.api.OutgoingMessage;
import io.wagateway.api.WhatsAppEngine;
import io.wagateway.plugin.Failures;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One engine session's calls into engine code ({@code open}, {@code start}, {@code send},
 * {@code action}, then {@code stop} or {@code logout}), one at a time and in order as
 * {@link EngineSession} promises, on the platform threads of {@link SessionActors} (as all plugin
 * code runs): never on the session's {@link SerialExecutor}, which stays free for REST commands,
 * snapshots and facts. Every call gets a deadline counted from when it begins (the engine learns it
 * from {@link io.wagateway.api.EngineContext#callTimeout()}): past it, its future fails with
 * {@link TimedOut} (the thread is interrupted, in case the engine listens) and the actor abandons
 * the whole engine session; whatever the engine returns or reports later is ignored.
 *
 * <p>A message is recorded as handed over ({@link HandOvers}) before the engine gets it. The first
 * send whose turn comes records itself and every send queued behind it in one write, so a session
 * sending faster than one commit per message waits for one commit per turn, not per message. The
 * record is written in the send's turn but before its deadline starts: a slow database is not an
 * engine that hangs.
 */
final class EngineLane {

    private static final Logger LOG = Logger.getLogger(EngineLane.class.getName());

    /**
     * Where the lane records which messages its engine gets, durably and before it gets them: a
     * message recorded and never sent (a crash in between) is settled as possibly sent, never sent
     * twice. Called on the lane's thread; each call blocks until stored.
     */
    interface HandOvers {
        /** Records that the engine gets these messages (or may: they go right after, in order). */
        void handedOver(List<String> messageIds);

        /** Takes the record back: the lane ended before these messages went to the engine. */
        void notHandedOver(List<String> messageIds);
    }

    /** The hand-over of a message could not be stored, so the engine was not given it. */
    static final class HandOverNotRecorded extends RuntimeException {
        HandOverNotRecorded(Throwable cause) {
            super("the gateway could not store its hand-over", cause); // the cause is logged, not shown to clients
        }
    }

    /** An engine call that did not return within its deadline. */
    static final class TimedOut extends RuntimeException {
        TimedOut(String message) {
            super(message, null, false, false);
        }
    }

    private final SerialExecutor calls;
    private final ScheduledExecutorService timers;
    private final Duration timeout;
    private final HandOvers handOvers;
    private final Object handover = new Object();
    private final Set<String> queued = ConcurrentHashMap.newKeySet();
    private final Set<String> recorded = new LinkedHashSet<>(); // guarded by handover: recorded, not sent yet
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private volatile EngineSession session;
    private volatile boolean credentialsOpen = true;
    private boolean ended; // guarded by handover

    /**
     * @param previous the close of the engine session before this one, awaited before the first call
     * @param handOvers records the messages the engine gets
     */
    EngineLane(Executor workers, ScheduledExecutorService timers, Duration timeout, CompletableFuture<Void> previous,
               HandOvers handOvers) {
        this.calls = new SerialExecutor(workers);
        this.handOvers = handOvers;
        this.timers = timers;
        this.timeout = timeout;
        // Never two live connections for one account: a new one opens once the last one stopped.
        calls.execute(previous::join);
    }

    /** Opens the engine session and starts it; the future fails when either throws or hangs. */
    CompletableFuture<Void> start(WhatsAppEngine engine, EngineContext context) {
        CompletableFuture<Void> opened = call("open()", ignored -> {
            session = engine.open(context);
            return null;
        });
        CompletableFuture<Void> started = call("start()", s -> {
            opened(s).start();
            return null;
        });
        return opened.thenCombine(started, (a, b) -> null);
    }

    /**
     * Queues a message for the engine. Before the engine gets it, it is recorded as handed over
     * (persisted), with the messages queued behind it; a lane that has ended by then skips it (and
     * takes back the record of those it skips), so a message not handed over when the session
     * ended never reaches the engine later.
     */
    CompletableFuture<Void> send(OutgoingMessage message) {
        queued.add(message.messageId());
        return call("send()", () -> recordHandOver(message.messageId()), s -> {
            opened(s).send(message);
            return null;
        });
    }

    /**
     * In the send's turn, before its deadline starts: the record is the gateway's own database
     * write, and a slow one (a busy writer, a lock wait on MariaDB) must not be blamed on the
     * engine, nor eat into the time the engine was promised.
     *
     * @return false when the lane has ended: the message is not handed over
     * @throws HandOverNotRecorded when the record could not be stored (the engine does not get it)
     */
    private boolean recordHandOver(String messageId) {
        synchronized (handover) {
            if (ended) {
                queued.remove(messageId);
                return false;
            }
            if (!recorded.contains(messageId)) {
                // This send and every one queued behind it: their calls follow this one in order.
                List<String> batch = new ArrayList<>(queued);
                batch.removeAll(recorded);
                try {
                    handOvers.handedOver(batch);
                } catch (RuntimeException e) {
                    queued.remove(messageId);
                    throw new HandOverNotRecorded(e);
                }
                recorded.addAll(batch);
            }
            recorded.remove(messageId);
            queued.remove(messageId);
            return true;
        }
    }

    /** Whether the message waits in this lane to be handed over. */
    boolean queued(String messageId) {
        return queued.contains(messageId);
    }

    <T> CompletableFuture<T> action(Function<EngineSession, T> action) {
        return call("action()", s -> action.apply(opened(s)));
    }

    /**
     * Ends the engine session: no message is handed over after this returns; then its last call,
     * {@code stop()} or {@code logout()}. With {@code keepCredentials}, the engine may still save
     * credentials until that call returns (or times out); otherwise never again.
     *
     * @return completes (normally) when that last call returned, failed or timed out
     */
    CompletableFuture<Void> close(boolean logout, boolean keepCredentials) {
        synchronized (handover) {
            ended = true;
            if (!recorded.isEmpty()) {
                // Recorded with a send before them, never sent: not handed over after all.
                try {
                    handOvers.notHandedOver(List.copyOf(recorded));
                } catch (RuntimeException e) {
                    // They stay recorded: settled as possibly sent (FAILED), never sent twice.
                    LOG.log(Level.WARNING, "Could not take back the hand-over of " + recorded.size() + " messages", e);
                }
                recorded.clear();
            }
        }
        if (!keepCredentials) {
            credentialsOpen = false;
        }
        String what = logout ? "logout()" : "stop()";
        // Runs even after a hung call returns late, so an engine session that did start is stopped.
        call(what, s -> {
            if (s != null) {
                if (logout) {
                    s.logout();
                } else {
                    s.stop();
                }
            }
            return null;
        }).whenComplete((r, e) -> {
            if (e != null) {
                LOG.log(Level.WARNING, "Engine " + what + " failed: " + Failures.describe(e));
            }
            closed.complete(null);
        });
        // Bounded from now, even when the call waits behind a hung one.
        closed.completeOnTimeout(null, timeout.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((r, e) -> credentialsOpen = false);
        return closed;
    }

    /** Completes when the lane's last call returned, failed or timed out; never fails. */
    CompletableFuture<Void> closed() {
        return closed;
    }

    /** Whether the engine may still write credentials: until its stop returned, or at once on logout or delete. */
    boolean credentialsOpen() {
        return credentialsOpen;
    }

    /** The failure behind a future's {@link CompletionException}. */
    static Throwable cause(Throwable e) {
        return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    }

    /** Runs {@code call} with the engine session (null before it opened) when its turn comes, under a deadline. */
    private <T> CompletableFuture<T> call(String what, Function<EngineSession, T> call) {
        return call(what, () -> true, call);
    }

    /**
     * As {@link #call(String, Function)}, with {@code before} run first in the same turn, outside
     * the deadline (the gateway's own work, not the engine's); when it returns false the call is
     * skipped and the future completes with null, when it throws the future fails with that.
     */
    private <T> CompletableFuture<T> call(String what, BooleanSupplier before, Function<EngineSession, T> call) {
        CompletableFuture<T> result = new CompletableFuture<>();
        calls.execute(() -> {
            if (result.isDone()) {
                return;
            }
            try {
                if (!before.getAsBoolean()) {
                    result.complete(null);
                    return;
                }
            } catch (RuntimeException | Error e) {
                Failures.rethrowIfFatal(e);
                result.completeExceptionally(e);
                return;
            }
            Thread thread = Thread.currentThread();
            AtomicBoolean finished = new AtomicBoolean();
            Future<?> deadline = deadline(() -> {
                synchronized (finished) {
                    if (!finished.get() && result.completeExceptionally(new TimedOut("Engine did not return from " + what
                            + " within " + timeout.toMillis() + " ms"))) {
                        thread.interrupt();
                    }
                }
            });
            try {
                result.complete(call.apply(session));
            } catch (RuntimeException | Error e) {
                Failures.rethrowIfFatal(e);
                result.completeExceptionally(e);
            } finally {
                synchronized (finished) {
                    finished.set(true);
                    // An interrupt meant for this call must not reach the lane's next one.
                    Thread.interrupted();
                }
                if (deadline != null) {
                    deadline.cancel(false);
                }
            }
        });
        return result;
    }

    private static EngineSession opened(EngineSession session) {
        if (session == null) {
            throw new IllegalStateException("The engine session did not open");
        }
        return session;
    }

    private Future<?> deadline(Runnable expire) {
        try {
            return timers.schedule(expire, timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // The gateway is shutting down: the close of every session is bounded as a whole instead.
            return null;
        }
    }
}
