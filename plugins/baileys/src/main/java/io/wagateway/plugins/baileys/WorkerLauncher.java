package io.wagateway.plugins.baileys;

import io.wagateway.api.PluginException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Starts worker processes: {@code <node> <script>}, after checking once that the Node.js binary is
 * there and recent enough.
 *
 * <p>Threading: {@link #launch} may be called from any thread; it blocks until the worker is ready
 * or its start timeout passed.
 */
final class WorkerLauncher {

    private final String node;
    private final Supplier<Path> script;
    private final Duration startTimeout;
    private volatile String checkedVersion;

    /**
     * @param node         the Node.js binary
     * @param script       finds (and, the first time, unpacks) the worker script
     * @param startTimeout how long a new worker may take until it is ready
     */
    WorkerLauncher(String node, Supplier<Path> script, Duration startTimeout) {
        this.node = node;
        this.script = script;
        this.startTimeout = startTimeout;
    }

    /** The launcher of the bundled worker, unpacked into the settings' work directory. */
    static WorkerLauncher bundled(BaileysSettings settings) {
        return new WorkerLauncher(settings.node(), () -> WorkerBundle.unpack(settings.workDir()), settings.startTimeout());
    }

    /**
     * Starts a worker. The version check and the wait for the worker's readiness each take at most
     * {@code start-timeout}, and together no longer than {@code deadline} allows.
     *
     * @param listener where its events and exit go
     * @param timer    runs its call deadlines
     * @param deadline by when the launch must be done
     * @return the ready worker
     * @throws PluginException (fatal) when Node.js is missing or too old, saying what to install;
     *                         a {@link io.wagateway.api.RetriableException} when the process could
     *                         not be started or was not ready in time
     */
    Worker launch(Worker.Listener listener, ScheduledExecutorService timer, CallDeadline deadline) {
        if (checkedVersion == null) {
            Duration checkFor = deadline.cap(startTimeout);
            try {
                checkedVersion = NodeRuntime.check(node, checkFor);
            } catch (PluginException e) {
                if (checkFor.compareTo(startTimeout) < 0 && deadline.passed()) {
                    // Cut short by the caller's deadline, not its own: a busy machine, worth another try.
                    throw new io.wagateway.api.RetriableException("The Node.js check did not finish in time: " + e.getMessage(), e);
                }
                throw e;
            }
        }
        Path path = script.get();
        Process process;
        try {
            ProcessBuilder builder = new ProcessBuilder(List.of(node, path.toString()));
            builder.directory(path.getParent().toFile());
            environment(builder.environment());
            process = builder.start();
        } catch (IOException e) {
            checkedVersion = null; // the binary may have gone: check again next time
            throw new io.wagateway.api.RetriableException("Cannot start the Baileys worker '" + node + " " + path + "': " + e.getMessage(), e);
        }
        try {
            return Worker.attach(process, listener, timer, deadline.cap(startTimeout));
        } catch (WorkerException e) {
            throw new io.wagateway.api.RetriableException(e.getMessage(), e);
        }
    }

    /** What the worker inherits from the gateway's environment; nothing else (no secrets). */
    static final Set<String> INHERITED = Set.of("PATH", "HOME", "LANG", "LC_ALL", "TZ", "TMPDIR", "NODE_EXTRA_CA_CERTS");

    /**
     * The worker's environment: the few variables Node.js needs from the gateway's, never its
     * secrets (database passwords, the JWT secret), plus Baileys' log level following the level of
     * {@link Worker#WORKER_LOG}.
     *
     * @param env the process builder's environment, changed in place
     */
    static void environment(Map<String, String> env) {
        env.keySet().removeIf(name -> !INHERITED.contains(name) && !name.startsWith("WAGW_BAILEYS_"));
        Level level = effectiveLevel(Worker.WORKER_LOG);
        // Baileys' info level tells every stanza of a connection: only asked for with FINE.
        String baileysLevel = level.intValue() <= Level.FINE.intValue() ? "debug" : "warn";
        env.putIfAbsent("WAGW_BAILEYS_LOG_LEVEL", baileysLevel);
    }

    private static Level effectiveLevel(Logger logger) {
        for (Logger l = logger; l != null; l = l.getParent()) {
            if (l.getLevel() != null) {
                return l.getLevel();
            }
        }
        return Level.INFO;
    }

    /** @return the Node.js version found by the last check, or null before the first launch */
    String nodeVersion() {
        return checkedVersion;
    }
}
