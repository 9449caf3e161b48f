package io.wagateway.plugin;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs the host's calls into plugin code with a deadline, so a plugin that never returns cannot hold
 * the host: {@code Plugin.start()} and {@code stop()}, the Plugin-Class and extension constructors,
 * {@code name()}, {@code configKeys()}, an engine's {@code verify()} and a sink's {@code start()} and
 * {@code stop()}.
 *
 * <p>Each call runs on a daemon platform thread of its own (a plugin spinning on a virtual thread would
 * keep one of the few carrier threads for good); the caller waits until the deadline, then interrupts
 * that thread and gives up on it with a {@link TimedOut}. Java cannot kill a thread: a plugin that ignores
 * the interrupt keeps its thread, and whatever it returns later is dropped (a late start is stopped
 * again). The caller alone changes the host's state, and only after a call that returned in time, so a
 * late return registers nothing.
 *
 * <p>What the plugin throws in time is rethrown unchanged, checked exceptions included, so callers
 * handle it as if they had called the plugin directly. Thread-safe.
 */
final class PluginCalls {

    private static final Logger LOG = Logger.getLogger(PluginCalls.class.getName());

    /** The plugin code did not return within its deadline, or was given up for the host's shutdown. */
    static final class TimedOut extends RuntimeException {
        /** @param stuckAt where the plugin's thread was when given up, shown as this exception's stack */
        TimedOut(String message, StackTraceElement[] stuckAt) {
            super(message, null, false, true);
            setStackTrace(stuckAt);
        }
    }

    /** Completes a call given up (past its deadline, or for the host's shutdown), so a late plugin knows; never thrown to callers. */
    private static final class Abandoned extends RuntimeException {
        Abandoned() {
            super(null, null, false, false);
        }
    }

    private final Duration startTimeout;
    private final Duration stopTimeout;
    /** The start-side calls being waited for, with what they run. */
    private final Map<CompletableFuture<?>, String> starting = new ConcurrentHashMap<>();
    /** Why start-side calls are given up at once, or null while the host runs. */
    private volatile String abandonedBecause;

    /**
     * @param startTimeout how long loading code may take: constructors, {@code start()}, {@code name()}, {@code configKeys()},
     *                     {@code verify()}
     * @param stopTimeout  how long {@code stop()} may take
     */
    PluginCalls(Duration startTimeout, Duration stopTimeout) {
        this.startTimeout = startTimeout;
        this.stopTimeout = stopTimeout;
    }

    /**
     * Runs plugin code that loads or starts something, under the start deadline.
     *
     * @param what the call, for messages and the thread's name: {@code EchoEngine.name()}
     * @throws TimedOut past the deadline, or at once when the host is closing
     */
    <T> T starting(String what, Callable<T> code) {
        return starting(what, code, late -> {
        });
    }

    /**
     * As {@link #starting(String, Callable)}, for code that starts something: when it returns after
     * all, once given up, {@code undoIfLate} runs on its thread (a late {@code start()} is stopped
     * again, so what it opened is released).
     */
    <T> T starting(String what, Callable<T> code, Consumer<? super T> undoIfLate) {
        CompletableFuture<T> result = new CompletableFuture<>();
        starting.put(result, what);
        try {
            // Checked after registering, so abandonStarting() either sees this call or it sees the flag.
            String because = abandonedBecause;
            if (because != null) {
                throw new TimedOut(what + " was not called: " + because, new StackTraceElement[0]);
            }
            return run(what, startTimeout, code, result, undoIfLate);
        } finally {
            starting.remove(result);
        }
    }

    /**
     * Runs plugin code that stops something, under the stop deadline (never given up early: the
     * host's shutdown is what stops plugins).
     *
     * @throws TimedOut past the deadline
     */
    void stopping(String what, Runnable code) {
        run(what, stopTimeout, () -> {
            code.run();
            return null;
        }, new CompletableFuture<>(), late -> {
        });
    }

    /**
     * Gives up the start-side calls being waited for, and refuses later ones, so that shutting down
     * does not wait for a plugin that is starting. Stop-side calls keep their deadline.
     *
     * @param because why, for their messages: "the plugin host is closing"
     */
    void abandonStarting(String because) {
        abandonedBecause = because;
        starting.keySet().forEach(call -> call.completeExceptionally(new Abandoned()));
    }

    /**
     * The plugin's thread and the waiting one race to complete {@code result}: the plugin with what it
     * returned or threw, the waiter (or {@link #abandonStarting}) with {@link Abandoned}. Whoever is
     * first decides; a plugin that comes second knows it is late.
     */
    private <T> T run(String what, Duration deadline, Callable<T> code, CompletableFuture<T> result,
                      Consumer<? super T> undoIfLate) {
        Thread thread = Thread.ofPlatform().daemon().name("plugin " + what).unstarted(() -> {
            T value;
            try {
                value = code.call();
            } catch (Throwable e) {
                // Everything, even a VirtualMachineError: the caller decides what it survives.
                result.completeExceptionally(e);
                return;
            }
            if (!result.complete(value)) {
                LOG.fine(() -> what + " returned once given up: undoing it");
                undo(what, undoIfLate, value);
            }
        });
        thread.start();
        String givenUp;
        try {
            return result.get(deadline.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof Abandoned)) {
                throw PluginCalls.<RuntimeException>sneaky(e.getCause());
            }
            givenUp = " was given up: " + abandonedBecause;
        } catch (TimeoutException e) {
            givenUp = " did not return within " + format(deadline);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            givenUp = " was given up: the host's thread was interrupted";
        }
        if (!result.completeExceptionally(new Abandoned())) {
            // Finished just now, before it was given up here: what it did stands, unless that was the shutdown.
            if (result.state() == Future.State.SUCCESS) {
                return result.resultNow();
            }
            if (!(result.exceptionNow() instanceof Abandoned)) {
                throw PluginCalls.<RuntimeException>sneaky(result.exceptionNow());
            }
        }
        thread.interrupt();
        throw new TimedOut(what + givenUp, thread.getStackTrace());
    }

    private static <T> void undo(String what, Consumer<? super T> undoIfLate, T value) {
        try {
            undoIfLate.accept(value);
        } catch (RuntimeException | Error e) {
            // Its plugin is unloaded by now: its classes may be gone. Nothing more to do about it.
            LOG.log(Level.FINE, "Undoing the late " + what + " failed", e);
        }
    }

    /** Rethrows what the plugin threw, as it was, checked or not. */
    @SuppressWarnings("unchecked")
    private static <E extends Throwable> E sneaky(Throwable failure) throws E {
        throw (E) failure;
    }

    /** @return {@code 10s}, {@code 1500ms}: the form the configuration is written in */
    static String format(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
    }
}
