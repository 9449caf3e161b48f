package io.wagateway.session;

import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs tasks one at a time, in submission order, on threads of a shared executor (virtual
 * threads). One per session: its state changes, engine calls and event publications never
 * interleave, and its events leave in the order they happened.
 */
final class SerialExecutor {

    private static final Logger LOG = Logger.getLogger(SerialExecutor.class.getName());

    private final Executor executor;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();

    SerialExecutor(Executor executor) {
        this.executor = executor;
    }

    <T> CompletableFuture<T> submit(Supplier<T> task) {
        CompletableFuture<T> result = new CompletableFuture<>();
        tasks.add(() -> {
            try {
                result.complete(task.get());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        schedule();
        return result;
    }

    void execute(Runnable task) {
        tasks.add(() -> {
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                io.wagateway.plugin.Failures.rethrowIfFatal(e);
                // Logged and contained: the session's next tasks still run.
                LOG.log(Level.WARNING, "Session task failed", e);
            }
        });
        schedule();
    }

    private void schedule() {
        if (draining.compareAndSet(false, true)) {
            executor.execute(this::drain);
        }
    }

    private void drain() {
        try {
            Runnable task;
            while ((task = tasks.poll()) != null) {
                task.run();
            }
        } finally {
            draining.set(false);
            // A task added between the last poll and the reset must not be stranded.
            if (!tasks.isEmpty()) {
                schedule();
            }
        }
    }
}
