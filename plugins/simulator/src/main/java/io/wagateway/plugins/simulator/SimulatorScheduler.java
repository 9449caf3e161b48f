package io.wagateway.plugins.simulator;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The timer threads of the simulator: one small pool shared by every session of this plugin,
 * created on first use and shut down by {@link SimulatorPlugin#stop()}.
 *
 * <p>Static because PF4J creates the engine itself and gives the plugin no handle on it; each load
 * of the plugin has its own class loader, hence its own pool. Threads are daemons named
 * {@code simulator-N}, so a leak would at least be visible and never keep the JVM alive.
 *
 * <p>Threading: both methods may be called from any thread.
 */
final class SimulatorScheduler {

    /** Two threads: a session's timer never waits behind a slow credential write of another. */
    private static final int THREADS = 2;

    private static final AtomicInteger THREAD_NUMBER = new AtomicInteger();

    private static ScheduledThreadPoolExecutor executor; // guarded by SimulatorScheduler.class

    private SimulatorScheduler() {
    }

    /** @return the running pool, created again if it was shut down (the plugin may be restarted) */
    static synchronized ScheduledExecutorService get() {
        if (executor == null || executor.isShutdown()) {
            ThreadFactory threads = task -> {
                Thread t = new Thread(task, "simulator-" + THREAD_NUMBER.incrementAndGet());
                t.setDaemon(true);
                return t;
            };
            executor = new ScheduledThreadPoolExecutor(THREADS, threads);
            // QR expiry timers are long and often cancelled; drop them from the queue at once.
            executor.setRemoveOnCancelPolicy(true);
            executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        }
        return executor;
    }

    /** Cancels every pending timer and waits briefly for the threads to end. */
    static void shutdown() {
        ScheduledThreadPoolExecutor toStop;
        synchronized (SimulatorScheduler.class) {
            toStop = executor;
            executor = null;
        }
        if (toStop == null) {
            return;
        }
        toStop.shutdownNow();
        try {
            // Timer tasks only report facts, which return quickly; a second is plenty.
            toStop.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
