package io.wagateway.plugin;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Logger;

/**
 * Runs the host's calls into plugin code with a deadline, so a plugin that never returns cannot hold
 * the host: {@code Plugin.start()} and {@code stop()}, the Plugin-Class and extension constructors,
 * {@code name()}, {@code configKeys()} and a sink's {@code start()} and {@code stop()}.
 *
 * <p>Each call runs on a daemon platform thread of its own (a plugin spinning on a virtual thread would
 * keep one of the few carrier threads for good); the caller waits until the deadline, then interrupts
 * that thread and gives up on it with a {@link TimedOut}. Java cannot kill a thread: a plugin that ignores
 * the interrupt keeps its thread, and whatever it returns later is dropped. The caller alone changes
 * the host's state, and only after a call that returned in time, so a late return registers nothing.
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

    /** Completes a waiting call when the host shuts down; never thrown by plugin code. */
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
     * @param startTimeout how long loading code may take: constructors, {@code start()}, {@code name()}, {@code configKeys()}
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
        CompletableFuture<T> result = new CompletableFuture<>();
        starting.put(result, what);
        try {
            // Checked after registering, so abandonStarting() either sees this call or it sees the flag.
            String because = abandonedBecause;
            if (because != null) {
                throw new TimedOut(what + " was not called: " + because, new StackTraceElement[0]);
            }
            return run(what, startTimeout, code, result);
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
        }, new CompletableFuture<>());
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

    private <T> T run(String what, Duration deadline, Callable<T> code, CompletableFuture<T> result) {
        long startedAt = System.nanoTime();
        Thread thread = Thread.ofPlatform().daemon().name("plugin " + what).unstarted(() -> {
            try {
                result.complete(code.call());
            } catch (Throwable e) {
                // Everything, even a VirtualMachineError: the caller decides what it survives.
                result.completeExceptionally(e);
            }
            long took = System.nanoTime() - startedAt;
            if (took > deadline.toNanos()) {
                LOG.fine(() -> what + " returned after " + format(Duration.ofNanos(took)) + ", past its deadline: ignored");
            }
        });
        thread.start();
        try {
            return result.get(deadline.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Abandoned) {
                thread.interrupt();
                throw new TimedOut(what + " was given up: " + abandonedBecause, thread.getStackTrace());
            }
            throw PluginCalls.<RuntimeException>sneaky(e.getCause());
        } catch (TimeoutException e) {
            thread.interrupt();
            throw new TimedOut(what + " did not return within " + format(deadline), thread.getStackTrace());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            thread.interrupt();
            throw new TimedOut(what + " was given up: the host's thread was interrupted", thread.getStackTrace());
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
