package io.wagateway.plugins.baileys;

import io.wagateway.api.PluginException;
import io.wagateway.api.RetriableException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs the one worker process that serves every baileys session of this engine, and keeps it alive.
 *
 * <p>One worker for all sessions: Node.js with Baileys loaded costs most of a worker's memory, and
 * a session adds little, so one per session would multiply that base by the number of accounts
 * (see the module's README for the figures). The price is fault isolation: a worker crash ends every
 * session's socket. It is paid back by supervision: the worker is
 * <ul>
 *   <li>started lazily, by the first session that {@linkplain #attach attaches}, and ended when the
 *       last one {@linkplain #detach detaches};</li>
 *   <li>pinged every {@code ping-interval}; a ping unanswered within {@code ping-timeout} means it
 *       hangs: it is killed, which counts as a crash;</li>
 *   <li>restarted after a crash (with backoff while it keeps crashing, capped at
 *       {@code restart-max-delay}), and then every attached session is told to resume, from its stored
 *       credentials, without a new scan;</li>
 *   <li>given up after {@value #MAX_QUICK_CRASHES} crashes in a row without a healthy minute: its
 *       sessions then fail, so the host shows ERROR and retries them with its own backoff.</li>
 * </ul>
 *
 * <p>Threading: every method may be called from any thread. One lock guards which worker is current;
 * launching happens under it, so concurrent attaches share one worker, and {@link #attach} may wait
 * for a launch under way (at most {@code start-timeout}, and never past the attaching call's deadline). {@link #current()} and {@link #detach}
 * never wait: during a launch or restart, {@code current()} answers null at once. Events reach
 * each session's {@link Client} on the worker's stdout thread, in order; restarts run on virtual
 * threads.
 */
final class WorkerSupervisor implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(WorkerSupervisor.class.getName());
    /** How long a worker may take to exit once its stdin is closed. */
    static final Duration EXIT_GRACE = Duration.ofSeconds(3);
    /** A worker that lived this long was healthy: the crash backoff starts over. */
    static final Duration HEALTHY = Duration.ofSeconds(60);
    static final Duration FIRST_RESTART_DELAY = Duration.ofMillis(250);
    /**
     * After this many crashes (or failed restarts) in a row, none healthy, the worker is not
     * restarted again: its sessions fail, so the host shows ERROR and retries them with its backoff.
     */
    static final int MAX_QUICK_CRASHES = 5;
    /** How long an attach without a deadline waits for a launch under way: for good, as a launch is bounded itself. */
    private static final Duration LONGEST_LOCK_WAIT = Duration.ofDays(1);

    /** A session's side of the worker. */
    interface Client {
        /**
         * An event for this session, on the worker's stdout thread; must not block.
         *
         * @param event the event
         */
        void onEvent(Map<String, Object> event);

        /**
         * A new worker runs after the previous one crashed: start the session in it again. Called on
         * a virtual thread; may block briefly.
         *
         * @param worker the new worker
         */
        void onWorkerRestarted(Worker worker);

        /**
         * The worker is not started again (Node.js gone, or it keeps crashing): the session cannot go
         * on, and is no longer attached.
         *
         * @param failure why
         */
        void onWorkerUnavailable(PluginException failure);
    }

    private final WorkerLauncher launcher;
    private final BaileysSettings settings;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("baileys-supervisor").factory());
    private final ConcurrentHashMap<String, Client> clients = new ConcurrentHashMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Worker.Listener listener = new Listener();

    // Written under lock; read without it by current(), so that a launch under way blocks no reader.
    private volatile Worker worker;
    // Guarded by lock.
    private Instant workerStarted;
    private ScheduledFuture<?> pinger;
    private ScheduledFuture<?> restart;
    private int crashes;
    private boolean closed;

    WorkerSupervisor(WorkerLauncher launcher, BaileysSettings settings) {
        this.launcher = launcher;
        this.settings = settings;
    }

    /**
     * Registers a session and returns the running worker, starting one when none runs.
     *
     * @param sessionId the session
     * @param client    where its events go
     * @param deadline  by when: bounds the wait for another session's launch and this launch
     * @return the worker to start the session in
     * @throws PluginException (fatal) when Node.js is missing or too old; a {@link RetriableException}
     *                         when the worker could not be started now, or not before the deadline
     */
    Worker attach(String sessionId, Client client, CallDeadline deadline) {
        lockBefore(deadline);
        try {
            if (closed) {
                throw new PluginException("The baileys engine is shut down (the plugin was stopped)");
            }
            clients.put(sessionId, client);
            try {
                return running(deadline);
            } catch (RuntimeException e) {
                clients.remove(sessionId, client);
                throw e;
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Unregisters a session; the worker ends when no session is left. Never blocks: the worker is
     * retired on a thread of its own, since a launch under way holds the lock (up to {@code start-timeout}).
     *
     * @param sessionId the session
     * @param client    its client, as attached (a newer client of the same session stays)
     */
    void detach(String sessionId, Client client) {
        if (clients.remove(sessionId, client) && clients.isEmpty()) {
            Thread.ofVirtual().name("baileys-worker-retire").start(this::retireIfIdle);
        }
    }

    /** Ends the worker unless a session attached meanwhile (a launch or restart under way is waited for). */
    private void retireIfIdle() {
        Worker ending;
        lock.lock();
        try {
            if (!clients.isEmpty()) {
                return;
            }
            cancelRestart();
            ending = retire();
        } finally {
            lock.unlock();
        }
        if (ending != null) {
            ending.close(EXIT_GRACE);
        }
    }

    /** @return the current worker if it runs, else null (also while a new one is being launched); never blocks */
    Worker current() {
        Worker w = worker;
        return w != null && w.alive() ? w : null;
    }

    /** Ends the worker and refuses new sessions; for the plugin's stop. */
    @Override
    public void close() {
        Worker ending;
        lock.lock();
        try {
            closed = true;
            cancelRestart();
            ending = retire();
            clients.clear();
        } finally {
            lock.unlock();
        }
        if (ending != null) {
            ending.close(EXIT_GRACE);
        }
        timer.shutdownNow();
    }

    /** Takes the lock, waiting for a launch under way no longer than {@code deadline} allows. */
    private void lockBefore(CallDeadline deadline) {
        try {
            if (!lock.tryLock(deadline.cap(LONGEST_LOCK_WAIT).toNanos(), TimeUnit.NANOSECONDS)) {
                throw new RetriableException("The Baileys worker another session started was not ready in time");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RetriableException("Interrupted while waiting for the Baileys worker to start", e);
        }
    }

    /** Lock held. */
    private Worker running(CallDeadline deadline) {
        if (worker != null && worker.alive()) {
            return worker;
        }
        cancelRestart();
        Worker started = launcher.launch(listener, timer, deadline);
        worker = started;
        workerStarted = Instant.now();
        long every = settings.pingInterval().toMillis();
        pinger = timer.scheduleWithFixedDelay(() -> ping(started), every, every, TimeUnit.MILLISECONDS);
        LOG.info("Baileys worker started: pid " + started.pid() + ", Node.js " + launcher.nodeVersion());
        return started;
    }

    /** Forgets the current worker so its exit is not taken for a crash. Lock held. */
    private Worker retire() {
        Worker ending = worker;
        worker = null;
        if (pinger != null) {
            pinger.cancel(false);
            pinger = null;
        }
        return ending;
    }

    private void cancelRestart() {
        if (restart != null) {
            restart.cancel(false);
            restart = null;
        }
    }

    private void ping(Worker pinged) {
        pinged.call(Map.of("type", "ping"), settings.pingTimeout(), (pong, error) -> {
            if (error == null || !error.timedOut()) {
                return; // answered, or already gone (its exit is handled there)
            }
            boolean current;
            lock.lock();
            try {
                current = pinged == worker;
            } finally {
                lock.unlock();
            }
            if (current) {
                LOG.warning("Baileys worker " + pinged.pid() + " did not answer a ping within "
                        + settings.pingTimeout().toMillis() + " ms: it hangs; killing it to restart it");
                pinged.kill();
            }
        });
    }

    private void exited(Worker gone, int exitCode) {
        lock.lock();
        try {
            if (gone != worker) {
                return; // retired on purpose
            }
            retire();
            if (closed || clients.isEmpty()) {
                return;
            }
            boolean healthy = Duration.between(workerStarted, Instant.now()).compareTo(HEALTHY) >= 0;
            crashes = healthy ? 1 : crashes + 1;
            if (crashes > MAX_QUICK_CRASHES) {
                giveUp(new PluginException("The Baileys worker crashed " + crashes + " times in a row (last exit code "
                        + exitCode + "); its sessions are handed back to the gateway"));
                return;
            }
            Duration delay = backoff(crashes);
            LOG.warning("Baileys worker " + gone.pid() + " ended unexpectedly (exit code " + exitCode + ") with "
                    + clients.size() + " session(s): restarting in " + delay.toMillis() + " ms");
            scheduleRestart(delay);
        } finally {
            lock.unlock();
        }
    }

    /** Lock held. */
    private void scheduleRestart(Duration delay) {
        cancelRestart();
        restart = timer.schedule(() -> Thread.ofVirtual().name("baileys-worker-restart").start(this::restart),
                delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void restart() {
        Worker started;
        List<Client> resume;
        lock.lock();
        try {
            restart = null;
            if (closed || clients.isEmpty() || (worker != null && worker.alive())) {
                return;
            }
            try {
                // No session waits for a restart: each launch step gets its whole start-timeout.
                started = running(CallDeadline.none());
            } catch (RetriableException e) {
                crashes++;
                if (crashes > MAX_QUICK_CRASHES) {
                    giveUp(new PluginException("The Baileys worker could not be restarted: " + e.getMessage(), e));
                    return;
                }
                Duration delay = backoff(crashes);
                LOG.log(Level.WARNING, "Baileys worker restart failed; trying again in " + delay.toMillis() + " ms", e);
                scheduleRestart(delay);
                return;
            } catch (PluginException e) {
                giveUp(e);
                return;
            }
            resume = List.copyOf(clients.values());
        } finally {
            lock.unlock();
        }
        LOG.info("Baileys worker restarted: resuming " + resume.size() + " session(s)");
        for (Client client : resume) {
            try {
                client.onWorkerRestarted(started);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Resuming a baileys session failed", e);
            }
        }
    }

    /** Stops restarting: every attached session fails and is detached. Lock held. */
    private void giveUp(PluginException why) {
        LOG.log(Level.SEVERE, "Baileys worker not restarted: " + why.getMessage(), why);
        crashes = 0;
        List<Client> lost = List.copyOf(clients.values());
        clients.clear();
        lost.forEach(c -> c.onWorkerUnavailable(why));
    }

    Duration backoff(int attempt) {
        long max = settings.restartMaxDelay().toMillis();
        long delay = FIRST_RESTART_DELAY.toMillis() << Math.min(16, Math.max(0, attempt - 1));
        return Duration.ofMillis(Math.min(max, delay));
    }

    private final class Listener implements Worker.Listener {
        @Override
        public void onEvent(Worker from, Map<String, Object> event) {
            if (!(event.get("sessionId") instanceof String sessionId)) {
                LOG.fine(() -> "Baileys worker " + from.pid() + ": event '" + event.get("type") + "' without a session");
                return;
            }
            Client client = clients.get(sessionId);
            if (client == null) {
                LOG.fine(() -> "Baileys worker " + from.pid() + ": event '" + event.get("type") + "' for session "
                        + sessionId + ", which is not attached");
                return;
            }
            client.onEvent(event);
        }

        @Override
        public void onExit(Worker gone, int exitCode) {
            exited(gone, exitCode);
        }
    }
}
