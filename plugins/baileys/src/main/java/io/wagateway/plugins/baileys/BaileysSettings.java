package io.wagateway.plugins.baileys;

import io.wagateway.api.ConfigKey;
import io.wagateway.api.ConfigKey.Type;
import io.wagateway.api.PluginConfig;
import io.wagateway.api.PluginException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The baileys engine's configuration ({@code gateway.engines.baileys.*}), read from the host's
 * validated {@link PluginConfig} and checked for what types alone cannot say. Immutable.
 *
 * @param node             the Node.js binary that runs the worker, a name on the {@code PATH} or a path
 * @param workDir          where the bundled worker is unpacked; see {@link #resolveWorkDir(String)}
 * @param callTimeout      the deadline of every call into the worker (start, stop, send, pair); one
 *                         the gateway waits for is also cut to the gateway's deadline less a margin
 *                         ({@link CallDeadline})
 * @param startTimeout     how long a new worker process may take until it says it is ready; likewise
 *                         cut when a session's start waits for it
 * @param pingInterval     how often the worker is pinged
 * @param pingTimeout      how long a ping may go unanswered before the worker counts as hung and is
 *                         killed and restarted
 * @param restartMaxDelay  the cap of the backoff between restarts of a worker that keeps crashing
 */
record BaileysSettings(String node, Path workDir, Duration callTimeout, Duration startTimeout,
                       Duration pingInterval, Duration pingTimeout, Duration restartMaxDelay) {

    static final String NODE = "node";
    static final String WORK_DIR = "work-dir";
    static final String CALL_TIMEOUT = "call-timeout";
    static final String START_TIMEOUT = "start-timeout";
    static final String PING_INTERVAL = "ping-interval";
    static final String PING_TIMEOUT = "ping-timeout";
    static final String RESTART_MAX_DELAY = "restart-max-delay";

    /** The system property that names the work directory when {@code work-dir} is not configured. */
    static final String WORK_DIR_PROPERTY = "wagateway.baileys.dir";

    /** What {@link BaileysEngine#configKeys()} declares. */
    static final List<ConfigKey> KEYS = List.of(
            new ConfigKey(NODE, Type.STRING, "node", "The Node.js (20 or later) binary that runs the Baileys worker: a name on the PATH or a path"),
            new ConfigKey(WORK_DIR, Type.STRING, "", "Directory where the bundled worker is unpacked (owner-only); empty: the system property "
                    + WORK_DIR_PROPERTY + ", else wa-gateway-baileys-<user> in java.io.tmpdir"),
            new ConfigKey(CALL_TIMEOUT, Type.DURATION, "15s", "Deadline of every call into the worker (start, stop, send, pair); one the gateway waits for (all but a send's reply) ends before its engine-call-timeout, less a margin"),
            new ConfigKey(START_TIMEOUT, Type.DURATION, "20s", "How long a new worker process may take until it is ready; a session's start waits no longer than the gateway's engine-call-timeout less a margin"),
            new ConfigKey(PING_INTERVAL, Type.DURATION, "10s", "How often the worker is pinged"),
            new ConfigKey(PING_TIMEOUT, Type.DURATION, "5s", "How long a ping may go unanswered before the worker is killed and restarted"),
            new ConfigKey(RESTART_MAX_DELAY, Type.DURATION, "30s", "Longest wait between restarts of a worker that keeps crashing"));

    /**
     * @param config the engine's validated configuration
     * @return the settings
     * @throws PluginException naming the key whose value is missing or out of range
     */
    static BaileysSettings from(PluginConfig config) {
        try {
            String node = config.find(NODE).orElse("node").strip();
            if (node.isEmpty()) {
                throw invalid(NODE, "must name the Node.js binary", "empty");
            }
            return new BaileysSettings(node, resolveWorkDir(config.find(WORK_DIR).orElse("")),
                    positive(config, CALL_TIMEOUT, "15s"), positive(config, START_TIMEOUT, "20s"),
                    positive(config, PING_INTERVAL, "10s"), positive(config, PING_TIMEOUT, "5s"),
                    positive(config, RESTART_MAX_DELAY, "30s"));
        } catch (IllegalArgumentException e) {
            throw new PluginException("Invalid baileys configuration: " + e.getMessage(), e);
        }
    }

    /**
     * The work directory: the configured one, else the system property {@value #WORK_DIR_PROPERTY},
     * else {@code wa-gateway-baileys-<user>} in {@code java.io.tmpdir}. The host gives plugins no data
     * directory of their own, so an operator who wants the worker beside the gateway's data sets
     * {@code work-dir}.
     *
     * @param configured the configured value, may be empty
     * @return the absolute directory
     */
    static Path resolveWorkDir(String configured) {
        String dir = configured == null || configured.isBlank() ? System.getProperty(WORK_DIR_PROPERTY, "") : configured.strip();
        if (dir.isBlank()) {
            String user = System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9._-]", "_");
            return Path.of(System.getProperty("java.io.tmpdir"), "wa-gateway-baileys-" + user).toAbsolutePath();
        }
        return Path.of(dir).toAbsolutePath();
    }

    private static Duration positive(PluginConfig config, String key, String fallback) {
        Duration d = PluginConfig.parseDuration(config.find(key).orElse(fallback));
        if (d.isZero()) {
            throw invalid(key, "must be longer than zero", config.find(key).orElse(fallback));
        }
        return d;
    }

    private static PluginException invalid(String key, String rule, Object value) {
        return new PluginException("Invalid baileys configuration: '" + key + "' " + rule + " but is " + value);
    }
}
