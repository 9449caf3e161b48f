package io.wagateway.config;

import io.helidon.config.Config;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Every {@code gateway.*} setting, read and checked once at start-up and handed to each part as
 * the small record it needs.
 */
public record GatewaySettings(Path dataDir,
                              Http http,
                              List<String> corsOrigins,
                              Db db,
                              Admin admin,
                              Auth auth,
                              SocketIo socketIo,
                              PluginSettings plugins,
                              Sessions sessions,
                              Messages messages,
                              Delivery delivery, Webhooks webhooks) {

    /**
     * Bounds on what one client costs the REST port.
     *
     * @param idleTimeout              a connection waiting for a request (none sent yet, or keep-alive
     *                                 between requests, or a request line sent slowly) is closed after this
     * @param headerTimeout            a request's headers must all arrive within this time of its request line
     * @param bodyTimeout              a request's body must arrive within this time of its headers
     * @param maxConnectionsPerAddress open connections from one client address; 0 for no limit
     */
    public record Http(long maxBodyBytes, Duration idleTimeout, Duration headerTimeout, Duration bodyTimeout,
                       int maxConnectionsPerAddress) {
    }

    /**
     * @param url        empty for the embedded database
     * @param commitWait how long the group commit of session writes waits for more writes before
     *                   it commits a batch (0: commits what is queued at once; {@link #AUTO_COMMIT_WAIT}:
     *                   as suits the writers, {@link #groupCommitWait()})
     * @param writers    group-commit writer threads, each committing its own batches on its own connection
     *                   (0: the default, one, {@link #writerThreads()})
     */
    public record Db(String url, String user, String password, int poolSize, Duration connectTimeout,
                     Duration commitWait, int writers) {
        public boolean embedded() {
            return url.isEmpty();
        }

        /** @return whether the database runs in this process (H2): a statement costs little there, a commit much */
        public boolean inProcess() {
            return embedded() || url.startsWith("jdbc:h2:");
        }

        /**
         * @return the group commit's writer threads: as configured, or (0) one, on either database:
         *         only one writer lets a session's message status changes go on without waiting for
         *         their commits, and fewer, larger commits cost less (H2 writes every page a commit
         *         changed, MariaDB flushes its log per commit)
         */
        public int writerThreads() {
            return writers > 0 ? writers : 1;
        }

        /** {@code commit-wait: auto}. */
        public static final Duration AUTO_COMMIT_WAIT = Duration.ofMillis(-1);

        /** What auto is with one writer thread. */
        static final Duration AUTO_ONE_WRITER = Duration.ofMillis(20);

        /** The longest commit-wait: a write whose caller waits for its commit waits up to that much longer. */
        static final Duration MAX_COMMIT_WAIT = Duration.ofMillis(50);

        /**
         * @return how long a batch waits for more writes: as configured, or (auto) 20ms with one
         *         writer thread, whose callers' message status changes do not wait for their commits
         *         (fewer, larger commits cost less CPU there), 0 with several (each caller waits)
         */
        public Duration groupCommitWait() {
            if (!commitWait.equals(AUTO_COMMIT_WAIT)) {
                return commitWait;
            }
            return writerThreads() == 1 ? AUTO_ONE_WRITER : Duration.ZERO;
        }
    }

    public record Admin(String username, String password) {
    }

    /**
     * @param loginMaxFailures         failures of one account from one address before that pair is locked
     * @param loginAddressMaxFailures  failures from one address (any names) before the address is locked
     * @param loginSlowdownMax         the most an attempt on a much-failed account waits before its check
     * @param passwordCheckConcurrency password hashes computed at once, gateway-wide
     * @param passwordCheckWait        the most a request waits for its turn before 429
     * @param trustedProxies           peers whose X-Forwarded-For is believed (IP literals)
     */
    public record Auth(String jwtSecret, Duration tokenTtl, int loginMaxFailures, Duration loginLockout,
                       int loginAddressMaxFailures, Duration loginSlowdownMax, int passwordCheckConcurrency,
                       Duration passwordCheckWait, List<String> trustedProxies) {
    }

    public record SocketIo(String host, int port, Duration pingInterval, Duration pingTimeout, int maxPayloadBytes,
                           boolean websocketCompression, int eventsPerSecond, int maxRoomsPerSocket,
                           int maxSocketsPerUser, int maxWriteBufferBytes, Duration flushInterval,
                           int handshakesPerSecond) {
    }

    /**
     * @param engineCallTimeout     how long one call into engine code may take before the session gives up on it
     * @param reconnectMaxAttempts  reconnects in a row that may end with the connection lost again before the
     *                              session goes to ERROR and stops reconnecting; 0: no limit
     * @param maxPerUser            sessions one user (not an admin) may have; 0: no limit
     */
    public record Sessions(String defaultEngine, Duration retryInitialDelay, Duration retryMaxDelay,
                           Duration engineCallTimeout, int reconnectMaxAttempts, int maxPerUser) {
    }

    /**
     * The durable outbox and its delivery to the sinks ({@code gateway.delivery.*}).
     *
     * @param maxAttempts       attempts of one delivery before it is dead
     * @param retryInitialDelay the wait after the first failed attempt, doubling after each further one
     * @param retryMaxDelay     the cap of that wait
     * @param retryJitter       the share of each wait taken off at random (0 to 1), so retries spread out
     * @param deliverTimeout    how long one call of a sink's deliver may take before it counts as failed
     * @param batchSize         deliveries a worker claims at once
     * @param pollInterval      how often a worker looks for due retries when no new event woke it
     * @param maxConcurrency    the most deliver calls one sink gets at once (its own maximum applies too)
     * @param retention         how long delivered entries and their events are kept (replay window)
     * @param pruneInterval     how often expired entries are removed
     * @param stopTimeout       how long stopping a sink waits for its deliveries in progress
     * @param deadRetention     how long a dead delivery waits for a retry by hand before it is removed
     */
    public record Delivery(int maxAttempts, Duration retryInitialDelay, Duration retryMaxDelay, double retryJitter,
                           Duration deliverTimeout, int batchSize, Duration pollInterval, int maxConcurrency,
                           Duration retention, Duration pruneInterval, Duration stopTimeout, Duration deadRetention) {
    }

    /**
     * The webhook sink's host-side settings ({@code gateway.webhooks.*}), handed to the webhook plugin.
     *
     * @param allowPrivateTargets whether loopback, private and link-local destinations are allowed
     * @param timeout             how long one webhook request may take
     * @param maxConcurrency      webhook requests in flight at once
     */
    public record Webhooks(boolean allowPrivateTargets, Duration timeout, int maxConcurrency) {
    }

    public record Messages(int maxTextLength) {
    }

    private static Http http(ConfigReader http) {
        return new Http(http.integer("max-body-bytes", 1024, 64 * 1024 * 1024),
                timeout(http, "idle-timeout"), timeout(http, "header-timeout"), timeout(http, "body-timeout"),
                http.integer("max-connections-per-address", 0, 1_000_000));
    }

    /** 0 (flush as soon as the event loop is free) up to 100ms: a longer wait is latency nobody wants. */
    private static Duration flushInterval(ConfigReader socket) {
        Duration value = socket.duration("flush-interval");
        if (value.isNegative() || value.compareTo(Duration.ofMillis(100)) > 0) {
            throw socket.error("flush-interval", "must be between 0ms and 100ms, not " + value);
        }
        return value;
    }

    /** auto, or 0 up to 50ms: a write that waits for its commit waits that much longer under load. */
    private static Duration commitWait(ConfigReader db) {
        if (db.string("commit-wait").equals("auto")) {
            return Db.AUTO_COMMIT_WAIT;
        }
        Duration value = db.duration("commit-wait");
        if (value.isNegative() || value.compareTo(Db.MAX_COMMIT_WAIT) > 0) {
            throw db.error("commit-wait", "must be auto or between 0ms and " + Db.MAX_COMMIT_WAIT.toMillis() + "ms, not " + value);
        }
        return value;
    }

    private static Duration timeout(ConfigReader reader, String key) {
        Duration value = reader.duration(key);
        if (value.compareTo(Duration.ofMillis(100)) < 0 || value.compareTo(Duration.ofHours(1)) > 0) {
            throw reader.error(key, "must be between 100ms and 1h, not " + value);
        }
        return value;
    }

    /** @throws ConfigException naming the first wrong key */
    public static GatewaySettings from(Config gateway) {
        ConfigReader r = new ConfigReader(gateway);
        Path dataDir = Path.of(r.string("data-dir"));

        ConfigReader db = r.child("db");
        String url = db.string("url");
        if (!url.isEmpty() && !url.startsWith("jdbc:mariadb:") && !url.startsWith("jdbc:mysql:") && !url.startsWith("jdbc:h2:")) {
            throw db.error("url", "must be a jdbc:mariadb: (or jdbc:h2:) URL, or empty for the embedded database");
        }

        ConfigReader auth = r.child("auth");
        String secret = auth.string("jwt-secret");
        if (!secret.isEmpty() && secret.getBytes(java.nio.charset.StandardCharsets.UTF_8).length < 32) {
            throw auth.error("jwt-secret", "must be at least 32 bytes long (or empty to generate one)");
        }
        Duration ttl = auth.duration("token-ttl");
        if (ttl.isZero() || ttl.compareTo(Duration.ofDays(30)) > 0) {
            throw auth.error("token-ttl", "must be between 1s and 30 days");
        }

        Duration slowdownMax = auth.duration("login-slowdown-max");
        if (slowdownMax.compareTo(Duration.ofSeconds(10)) > 0) {
            throw auth.error("login-slowdown-max", "must be at most 10s: it delays the account's owner too");
        }
        Duration checkWait = auth.duration("password-check-wait");
        if (checkWait.compareTo(Duration.ofSeconds(5)) > 0) {
            throw auth.error("password-check-wait", "must be at most 5s: waiting requests hold connections");
        }
        int checkConcurrency = auth.integer("password-check-concurrency", 0, 1024);
        if (checkConcurrency == 0) {
            // Half the cores: a password spray can never take the whole machine.
            checkConcurrency = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
        }
        List<String> trustedProxies = auth.list("trusted-proxies");
        for (String proxy : trustedProxies) {
            if (!proxy.matches("[0-9A-Fa-f:.]+")) {
                throw auth.error("trusted-proxies", "'" + proxy + "' is not an IP address (host names are not resolved)");
            }
        }

        ConfigReader admin = r.child("admin");
        String adminName = admin.string("username");
        if (!adminName.matches("[A-Za-z0-9._-]{3,64}")) {
            throw admin.error("username", "must be 3-64 letters, digits, '.', '_' or '-'");
        }
        String adminPassword = admin.string("password");
        if (!adminPassword.isEmpty() && adminPassword.length() < 10) {
            throw admin.error("password", "must be at least 10 characters (or empty to generate one)");
        }

        List<String> origins = r.child("cors").list("origins");
        for (String origin : origins) {
            if (!origin.equals("*") && !origin.matches("https?://[^/\\s]+")) {
                throw r.child("cors").error("origins", "'" + origin + "' is not an origin like http://host:port (or *)");
            }
        }

        ConfigReader socket = r.child("socketio");
        ConfigReader sessions = r.child("sessions");
        String defaultEngine = sessions.string("default-engine");
        if (defaultEngine.isEmpty()) {
            throw sessions.error("default-engine", "must name an engine");
        }
        return new GatewaySettings(
                dataDir,
                http(r.child("http")),
                origins,
                new Db(url, db.string("user"), db.string("password"), db.integer("pool-size", 1, 200),
                        db.duration("connect-timeout"), commitWait(db), db.integer("writers", 0, 16)),
                new Admin(adminName, adminPassword),
                new Auth(secret, ttl, auth.integer("login-max-failures", 1, 1000), auth.duration("login-lockout"),
                        auth.integer("login-address-max-failures", 1, 100_000), slowdownMax, checkConcurrency,
                        checkWait, trustedProxies),
                new SocketIo(socket.string("host"), socket.port("port"),
                        socket.duration("ping-interval"), socket.duration("ping-timeout"),
                        socket.integer("max-payload-bytes", 1024, 16 * 1024 * 1024),
                        socket.bool("websocket-compression"),
                        socket.integer("events-per-second", 1, 100_000),
                        socket.integer("max-rooms-per-socket", 1, 100_000),
                        socket.integer("max-sockets-per-user", 1, 1_000_000),
                        socket.integer("max-write-buffer-bytes", 16 * 1024, 1024 * 1024 * 1024),
                        flushInterval(socket),
                        socket.integer("handshakes-per-second", 0, 1_000_000)),
                PluginSettings.from(gateway),
                new Sessions(defaultEngine, sessions.duration("retry-initial-delay"), retryMaxDelay(sessions),
                        positive(sessions, "engine-call-timeout"), sessions.integer("reconnect-max-attempts", 0, 1_000_000),
                        sessions.integer("max-per-user", 0, 1_000_000)),
                new Messages(r.child("messages").integer("max-text-length", 1, 65536)),
                delivery(r.child("delivery")),
                webhooks(r.child("webhooks")));
    }

    private static Delivery delivery(ConfigReader delivery) {
        double jitter;
        try {
            jitter = Double.parseDouble(delivery.string("retry-jitter"));
        } catch (NumberFormatException e) {
            throw delivery.error("retry-jitter", "must be a number between 0 and 1");
        }
        if (!(jitter >= 0 && jitter <= 1)) {
            throw delivery.error("retry-jitter", "must be between 0 and 1, not " + jitter);
        }
        return new Delivery(delivery.integer("max-attempts", 1, 1000), delivery.duration("retry-initial-delay"),
                retryMaxDelay(delivery), jitter, positive(delivery, "deliver-timeout"),
                delivery.integer("batch-size", 1, 10_000), positive(delivery, "poll-interval"),
                delivery.integer("max-concurrency", 1, 1024), positive(delivery, "retention"),
                positive(delivery, "prune-interval"), positive(delivery, "stop-timeout"),
                positive(delivery, "dead-retention"));
    }

    private static Webhooks webhooks(ConfigReader webhooks) {
        return new Webhooks(webhooks.bool("allow-private-targets"), positive(webhooks, "timeout"),
                webhooks.integer("max-concurrency", 1, 1024));
    }

    /** Checked at start-up, so a wrong pair names its key instead of failing the first retry. */
    private static Duration retryMaxDelay(ConfigReader section) {
        Duration initial = section.duration("retry-initial-delay");
        Duration max = section.duration("retry-max-delay");
        if (max.compareTo(initial) < 0) {
            throw section.error("retry-max-delay", "must be at least retry-initial-delay (" + initial + ")");
        }
        return max;
    }

    private static Duration positive(ConfigReader section, String key) {
        Duration value = section.duration(key);
        if (value.isZero() || value.isNegative()) {
            throw section.error(key, "must be more than 0");
        }
        return value;
    }
}
