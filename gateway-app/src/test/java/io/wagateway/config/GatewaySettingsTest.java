package io.wagateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GatewaySettingsTest {

    private static GatewaySettings load(Map<String, String> env, Map<String, String> extra) {
        return GatewaySettings.from(EnvOverrides.load(env, extra).get("gateway"));
    }

    @Test
    void defaultsComeFromTheShippedApplicationYaml() {
        GatewaySettings s = load(Map.of(), Map.of());
        assertTrue(s.db().embedded());
        assertEquals(8000, s.socketIo().port());
        assertEquals(Duration.ofHours(1), s.auth().tokenTtl());
        assertEquals(1_048_576, s.http().maxBodyBytes());
        assertEquals("simulator", s.sessions().defaultEngine());
        assertEquals("60s", s.plugins().engineConfig("simulator").get("qr-first-ttl"));
        assertEquals("", s.admin().password(), "no default password");
    }

    @Test
    void documentedEnvironmentVariablesOverride() {
        GatewaySettings s = load(Map.of(
                "GATEWAY_SOCKETIO_PORT", "9001",
                "GATEWAY_DB_URL", "jdbc:mariadb://db:3306/gw",
                "GATEWAY_DB_USER", "gw",
                "GATEWAY_CORS_ORIGINS", "https://app.example.com, http://localhost:3000",
                "GATEWAY_PLUGINS_DIR", "/opt/plugins",
                "GATEWAY_DATA_DIR", "/var/lib/gw",
                "GATEWAY_JWT_SECRET", "0123456789abcdef0123456789abcdef"), Map.of());
        assertEquals(Path.of("/var/lib/gw"), s.dataDir());
        assertEquals("0123456789abcdef0123456789abcdef", s.auth().jwtSecret());
        assertEquals(9001, s.socketIo().port());
        assertEquals("jdbc:mariadb://db:3306/gw", s.db().url());
        assertEquals("gw", s.db().user());
        assertEquals(List.of("https://app.example.com", "http://localhost:3000"), s.corsOrigins());
        assertEquals("/opt/plugins", s.plugins().dir().toString());
    }

    @Test
    void socketIoPortZeroIsAnEphemeralPortNotAnError() {
        assertEquals(0, load(Map.of("GATEWAY_SOCKETIO_PORT", "0"), Map.of()).socketIo().port());
    }

    @Test
    void wrongValuesNameTheirKey() {
        assertKey("gateway.socketio.port", Map.of("GATEWAY_SOCKETIO_PORT", "eighty"));
        assertKey("gateway.socketio.port", Map.of("GATEWAY_SOCKETIO_PORT", "70000"));
        assertKey("gateway.auth.jwt-secret", Map.of("GATEWAY_JWT_SECRET", "too-short"));
        assertKey("gateway.db.url", Map.of("GATEWAY_DB_URL", "postgres://x"));
        assertKey("gateway.admin.password", Map.of("GATEWAY_ADMIN_PASSWORD", "short"));
        assertKey("gateway.cors.origins", Map.of("GATEWAY_CORS_ORIGINS", "not an origin"));
        ConfigException watch = assertThrows(ConfigException.class,
                () -> load(Map.of(), Map.of("gateway.plugins.watch", "maybe")));
        assertEquals("gateway.plugins.watch", watch.key());
        for (String deadline : List.of("gateway.plugins.start-timeout", "gateway.plugins.stop-timeout")) {
            for (String wrong : List.of("0s", "soon")) {
                ConfigException bad = assertThrows(ConfigException.class, () -> load(Map.of(), Map.of(deadline, wrong)));
                assertEquals(deadline, bad.key(), bad.getMessage());
            }
        }
        ConfigException e = assertThrows(ConfigException.class,
                () -> load(Map.of(), Map.of("gateway.auth.token-ttl", "soon")));
        assertEquals("gateway.auth.token-ttl", e.key());
        ConfigException retry = assertThrows(ConfigException.class,
                () -> load(Map.of(), Map.of("gateway.delivery.retry-max-delay", "10ms")));
        assertEquals("gateway.delivery.retry-max-delay", retry.key(), retry.getMessage());
    }

    @Test
    void reconnectLimitIsAWholeNumberFromZeroWhichMeansNoLimit() {
        assertEquals(10, load(Map.of(), Map.of()).sessions().reconnectMaxAttempts(), "the shipped default");
        assertEquals(0, load(Map.of("GATEWAY_SESSIONS_RECONNECT_MAX_ATTEMPTS", "0"), Map.of()).sessions().reconnectMaxAttempts());
        assertEquals(3, load(Map.of(), Map.of("gateway.sessions.reconnect-max-attempts", "3")).sessions().reconnectMaxAttempts());
        for (String wrong : List.of("-1", "many", "2.5", "1000001")) {
            ConfigException bad = assertThrows(ConfigException.class,
                    () -> load(Map.of(), Map.of("gateway.sessions.reconnect-max-attempts", wrong)), wrong);
            assertEquals("gateway.sessions.reconnect-max-attempts", bad.key(), bad.getMessage());
        }
    }

    @Test
    void oneWriterThreadOnEitherDatabaseUnlessConfigured() {
        assertEquals(1, load(Map.of(), Map.of()).db().writerThreads(), "the embedded database: one");
        assertEquals(1, load(Map.of(), Map.of("gateway.db.url", "jdbc:mariadb://127.0.0.1:3306/gw")).db().writerThreads(),
                "a database server: one too");
        assertEquals(1, load(Map.of(), Map.of("gateway.db.writers", "0")).db().writerThreads(), "0 is the default");
        assertEquals(3, load(Map.of(), Map.of("gateway.db.writers", "3")).db().writerThreads(), "as configured");
        ConfigException bad = assertThrows(ConfigException.class, () -> load(Map.of(), Map.of("gateway.db.writers", "17")));
        assertEquals("gateway.db.writers", bad.key(), bad.getMessage());
    }

    @Test
    void commitWaitIsAutoOrFromZeroToFiftyMilliseconds() {
        assertEquals(Duration.ofMillis(20), load(Map.of(), Map.of()).db().groupCommitWait(),
                "the shipped default, auto: 20ms with the embedded database's one writer");
        assertEquals(Duration.ofMillis(20), load(Map.of(), Map.of("gateway.db.url", "jdbc:mariadb://127.0.0.1:3306/gw"))
                .db().groupCommitWait(), "auto with a database server's one writer: the same");
        assertEquals(Duration.ZERO, load(Map.of(), Map.of("gateway.db.writers", "2")).db().groupCommitWait(),
                "auto with two writers (each write waits for its commit): none");
        assertEquals(Duration.ofMillis(2), load(Map.of(), Map.of("gateway.db.commit-wait", "2ms")).db().groupCommitWait());
        assertEquals(Duration.ZERO, load(Map.of(), Map.of("gateway.db.commit-wait", "0ms")).db().groupCommitWait());
        assertEquals(Duration.ofMillis(50), load(Map.of(), Map.of("gateway.db.commit-wait", "50ms")).db().groupCommitWait());
        for (String wrong : List.of("-1ms", "51ms", "1s", "soon")) {
            ConfigException bad = assertThrows(ConfigException.class,
                    () -> load(Map.of(), Map.of("gateway.db.commit-wait", wrong)), wrong);
            assertEquals("gateway.db.commit-wait", bad.key(), bad.getMessage());
        }
    }

    @Test
    void everyPackagedKeyIsRequiredSoNoDefaultHidesInTheCode() {
        Map<String, String> packaged = Config.just(ConfigSources.classpath("application.yaml")).asMap().orElseThrow();
        int checked = 0;
        for (String key : packaged.keySet()) {
            // Engine settings are raw maps, validated by each engine against the keys it declares.
            if (!key.startsWith("gateway.") || key.startsWith("gateway.engines.")) {
                continue;
            }
            Map<String, String> without = new HashMap<>(packaged);
            without.remove(key);
            ConfigException e = assertThrows(ConfigException.class,
                    () -> GatewaySettings.from(Config.just(ConfigSources.create(without)).get("gateway")), key);
            assertEquals(key, e.key(), e.getMessage());
            assertTrue(e.getMessage().contains("is missing"), e.getMessage());
            checked++;
        }
        assertTrue(checked >= 30, "all gateway.* keys checked: " + checked);
    }

    private static void assertKey(String key, Map<String, String> env) {
        ConfigException e = assertThrows(ConfigException.class, () -> load(env, Map.of()));
        assertEquals(key, e.key(), e.getMessage());
        assertTrue(e.getMessage().startsWith(key + ": "), e.getMessage());
    }
}
