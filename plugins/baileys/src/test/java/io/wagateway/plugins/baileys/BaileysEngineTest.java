package io.wagateway.plugins.baileys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wagateway.api.ConfigKey;
import io.wagateway.api.PluginConfig;
import io.wagateway.api.PluginException;
import io.wagateway.testkit.InMemoryCredentialStore;
import io.wagateway.testkit.RecordingEngineContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BaileysEngineTest {

    @Test
    void defaultsAreValidAndDocumented() {
        BaileysEngine engine = new BaileysEngine();
        assertEquals("baileys", engine.name());
        PluginConfig config = PluginConfig.validate(engine.configKeys(), Map.of());
        BaileysSettings settings = BaileysSettings.from(config);
        assertEquals("node", settings.node());
        assertEquals(Duration.ofSeconds(15), settings.callTimeout());
        assertEquals(Duration.ofSeconds(10), settings.pingInterval());
        assertEquals(Duration.ofSeconds(5), settings.pingTimeout());
        assertTrue(settings.workDir().isAbsolute());
        for (ConfigKey key : engine.configKeys()) {
            assertTrue(!key.required() && !key.doc().isBlank(), key.name());
        }
    }

    @Test
    void workDirComesFromConfigThenSystemPropertyThenTmpdir() {
        assertEquals(Path.of("/srv/wa/baileys"), BaileysSettings.resolveWorkDir("/srv/wa/baileys"));
        String before = System.getProperty(BaileysSettings.WORK_DIR_PROPERTY);
        try {
            System.setProperty(BaileysSettings.WORK_DIR_PROPERTY, "/var/lib/wa");
            assertEquals(Path.of("/var/lib/wa"), BaileysSettings.resolveWorkDir(""));
            System.clearProperty(BaileysSettings.WORK_DIR_PROPERTY);
            Path fallback = BaileysSettings.resolveWorkDir(" ");
            assertEquals(Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath(), fallback.getParent());
            assertTrue(fallback.getFileName().toString().startsWith("wa-gateway-baileys-"), fallback.toString());
        } finally {
            if (before != null) {
                System.setProperty(BaileysSettings.WORK_DIR_PROPERTY, before);
            }
        }
    }

    @Test
    void outOfRangeValuesNameTheirKey() {
        PluginException zero = assertThrows(PluginException.class,
                () -> BaileysSettings.from(PluginConfig.of(Map.of("ping-timeout", "0s"))));
        assertTrue(zero.getMessage().contains("'ping-timeout'"), zero.getMessage());
        PluginException blank = assertThrows(PluginException.class,
                () -> BaileysSettings.from(PluginConfig.of(Map.of("node", " "))));
        assertTrue(blank.getMessage().contains("'node'"), blank.getMessage());
        assertThrows(PluginException.class, () -> BaileysSettings.from(PluginConfig.of(Map.of("call-timeout", "soon"))));
    }

    @Test
    void openingASessionStartsNoWorker() {
        WorkerSupervisor[] made = new WorkerSupervisor[1];
        BaileysEngine engine = new BaileysEngine(settings -> made[0] = new WorkerSupervisor(
                new WorkerLauncher("/nonexistent/node", () -> Path.of("none"), settings.startTimeout()), settings));
        try {
            engine.open(new RecordingEngineContext("s", PluginConfig.validate(engine.configKeys(), Map.of()), new InMemoryCredentialStore()));
            assertEquals(null, made[0].current(), "the worker starts with the first session's start, not at open");
        } finally {
            made[0].close();
        }
    }

    @Test
    void theEngineIsIndexedAsAPf4jExtensionAndTheWorkerIsBundled() throws java.io.IOException {
        // test-classes has an index of its own (no extensions): read every one on the class path.
        StringBuilder listed = new StringBuilder();
        var indexes = BaileysEngine.class.getClassLoader().getResources("META-INF/extensions.idx");
        while (indexes.hasMoreElements()) {
            try (var in = indexes.nextElement().openStream()) {
                listed.append(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        assertTrue(listed.toString().contains(BaileysEngine.class.getName()), "annotation processing ran (proc=full): " + listed);
        try (var worker = BaileysEngine.class.getResourceAsStream(WorkerBundle.RESOURCE)) {
            assertTrue(worker != null && worker.readNBytes(1).length == 1, "the bundled worker is a resource");
        }
    }

    @Test
    void theWorkerGetsNoSecretsFromTheGatewaysEnvironment() {
        Map<String, String> env = new java.util.HashMap<>(Map.of("PATH", "/usr/bin", "HOME", "/home/gw",
                "GATEWAY_JWT_SECRET", "s3cret", "GATEWAY_DB_PASSWORD", "pw", "WAGW_BAILEYS_WS_URL", "ws://127.0.0.1:1"));
        WorkerLauncher.environment(env);
        assertEquals("/usr/bin", env.get("PATH"));
        assertEquals("/home/gw", env.get("HOME"));
        assertEquals("ws://127.0.0.1:1", env.get("WAGW_BAILEYS_WS_URL"));
        assertTrue(env.containsKey("WAGW_BAILEYS_LOG_LEVEL"));
        assertFalse(env.containsKey("GATEWAY_JWT_SECRET"));
        assertFalse(env.containsKey("GATEWAY_DB_PASSWORD"));
    }
}
