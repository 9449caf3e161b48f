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
                              Messages messages) {

    public record Http(long maxBodyBytes) {
    }

    /** @param url empty for the embedded database */
    public record Db(String url, String user, String password, int poolSize, Duration connectTimeout) {
        public boolean embedded() {
            return url.isEmpty();
        }
    }

    public record Admin(String username, String password) {
    }

    public record Auth(String jwtSecret, Duration tokenTtl, int loginMaxFailures, Duration loginLockout) {
    }

    public record SocketIo(String host, int port, Duration pingInterval, Duration pingTimeout, int maxPayloadBytes,
                           boolean websocketCompression, int eventsPerSecond, int maxRoomsPerSocket,
                           int maxSocketsPerUser) {
    }

    /** @param engineCallTimeout how long one call into engine code may take before the session gives up on it */
    public record Sessions(String defaultEngine, Duration retryInitialDelay, Duration retryMaxDelay,
                           Duration engineCallTimeout) {
    }

    public record Messages(int maxTextLength) {
    }

    private static PluginSettings pluginSettings(Config gateway, ConfigReader plugins) {
        // Checked here so a wrong value names its key; then read by the plugin host's own reader.
        plugins.bool("watch", true);
        plugins.duration("debounce", "300ms");
        return PluginSettings.from(gateway);
    }

    /** @throws ConfigException naming the first wrong key */
    public static GatewaySettings from(Config gateway) {
        ConfigReader r = new ConfigReader(gateway);
        Path dataDir = Path.of(r.string("data-dir", "./data"));

        ConfigReader db = r.child("db");
        String url = db.string("url", "");
        if (!url.isEmpty() && !url.startsWith("jdbc:mariadb:") && !url.startsWith("jdbc:mysql:") && !url.startsWith("jdbc:h2:")) {
            throw db.error("url", "must be a jdbc:mariadb: (or jdbc:h2:) URL, or empty for the embedded database");
        }

        ConfigReader auth = r.child("auth");
        String secret = auth.string("jwt-secret", "");
        if (!secret.isEmpty() && secret.getBytes(java.nio.charset.StandardCharsets.UTF_8).length < 32) {
            throw auth.error("jwt-secret", "must be at least 32 bytes long (or empty to generate one)");
        }
        Duration ttl = auth.duration("token-ttl", "1h");
        if (ttl.isZero() || ttl.compareTo(Duration.ofDays(30)) > 0) {
            throw auth.error("token-ttl", "must be between 1s and 30 days");
        }

        ConfigReader admin = r.child("admin");
        String adminName = admin.string("username", "admin");
        if (!adminName.matches("[A-Za-z0-9._-]{3,64}")) {
            throw admin.error("username", "must be 3-64 letters, digits, '.', '_' or '-'");
        }
        String adminPassword = admin.string("password", "");
        if (!adminPassword.isEmpty() && adminPassword.length() < 10) {
            throw admin.error("password", "must be at least 10 characters (or empty to generate one)");
        }

        List<String> origins = r.child("cors").list("origins", "");
        for (String origin : origins) {
            if (!origin.equals("*") && !origin.matches("https?://[^/\\s]+")) {
                throw r.child("cors").error("origins", "'" + origin + "' is not an origin like http://host:port (or *)");
            }
        }

        ConfigReader socket = r.child("socketio");
        ConfigReader plugins = r.child("plugins");
        ConfigReader sessions = r.child("sessions");
        String defaultEngine = sessions.string("default-engine", "simulator");
        if (defaultEngine.isEmpty()) {
            throw sessions.error("default-engine", "must name an engine");
        }
        return new GatewaySettings(
                dataDir,
                new Http(r.child("http").integer("max-body-bytes", 1_048_576, 1024, 64 * 1024 * 1024)),
                origins,
                new Db(url, db.string("user", ""), db.string("password", ""), db.integer("pool-size", 10, 1, 200),
                        db.duration("connect-timeout", "5s")),
                new Admin(adminName, adminPassword),
                new Auth(secret, ttl, auth.integer("login-max-failures", 5, 1, 1000), auth.duration("login-lockout", "5m")),
                new SocketIo(socket.string("host", "0.0.0.0"), socket.port("port", 8000),
                        socket.duration("ping-interval", "25s"), socket.duration("ping-timeout", "20s"),
                        socket.integer("max-payload-bytes", 65536, 1024, 16 * 1024 * 1024),
                        socket.bool("websocket-compression", false),
                        socket.integer("events-per-second", 20, 1, 100_000),
                        socket.integer("max-rooms-per-socket", 50, 1, 100_000),
                        socket.integer("max-sockets-per-user", 20, 1, 1_000_000)),
                pluginSettings(gateway, plugins),
                new Sessions(defaultEngine, sessions.duration("retry-initial-delay", "1s"),
                        sessions.duration("retry-max-delay", "60s"), sessions.duration("engine-call-timeout", "10s")),
                new Messages(r.child("messages").integer("max-text-length", 4096, 1, 65536)));
    }
}
