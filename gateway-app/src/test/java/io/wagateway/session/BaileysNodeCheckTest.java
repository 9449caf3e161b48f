package io.wagateway.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.wagateway.api.SessionStatus;
import io.wagateway.testing.ApiClient;
import io.wagateway.testing.Await;
import io.wagateway.testing.EventRecorder;
import io.wagateway.testing.TestDatabases;
import io.wagateway.testing.TestGateway;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * The baileys plugin jar as the build made it, in an in-process gateway whose {@code node} cannot run
 * Baileys 7: the plugin is {@code FAILED} in {@code GET /api/plugins} with a message that says what
 * to install and which key to set, while the gateway stays healthy and the simulator links and
 * sends. The "node" binaries are small scripts that answer {@code --version} as Node.js would, so
 * this runs the same on any machine; no worker is ever started.
 */
class BaileysNodeCheckTest {

    private static final String ACTIONABLE = ": install it (apt-get install nodejs where the distribution's is new enough;"
            + " Debian 12's is 18: then from nodejs.org or NodeSource) or set gateway.engines.baileys.node"
            + " (env GATEWAY_ENGINES_BAILEYS_NODE) to its path, then restart the gateway or touch the plugin's jar";

    @Test
    void aMissingNodeFailsThePluginWithWhatToDoAndTheGatewayGoesOn() throws Exception {
        Path dataDir = TestDatabases.tempDir();
        try {
            String missing = dataDir.resolve("no-node/bin/node").toString();
            Path jar = installBaileys(dataDir);
            try (TestGateway gw = TestGateway.startOn(dataDir, Map.of("gateway.engines.baileys.node", missing))) {
                ApiClient admin = gw.api().loginAdmin();
                assertBaileysFailed(admin, jar, "Node.js >= 20 is needed by the baileys engine, but '" + missing
                        + "' does not exist" + ACTIONABLE);
                assertTheGatewayGoesOn(gw, admin);
            }
        } finally {
            TestGateway.deleteTree(dataDir);
        }
    }

    @Test
    void anOldNodeFailsThePluginAndANewOneIsTakenOnceTheJarIsTouched() throws Exception {
        Path dataDir = TestDatabases.tempDir();
        try {
            Path node = dataDir.resolve("node-bin/node");
            Files.createDirectories(node.getParent());
            writeNode(node, "v18.19.0");
            Path jar = installBaileys(dataDir);
            try (TestGateway gw = TestGateway.startOn(dataDir, Map.of("gateway.engines.baileys.node", node.toString()))) {
                ApiClient admin = gw.api().loginAdmin();
                assertBaileysFailed(admin, jar, "Node.js >= 20 is needed by the baileys engine, but '" + node
                        + "' is 18.19.0" + ACTIONABLE);
                assertTheGatewayGoesOn(gw, admin);

                // The operator installs Node.js 20 where the key points, and touches the jar: loaded again, checked again.
                writeNode(node, "v20.11.1");
                Files.setLastModifiedTime(jar, FileTime.from(Instant.now().plusSeconds(5)));
                Await.until("baileys started after the jar was touched",
                        () -> "STARTED".equals(baileys(admin, jar).path("state").asText()), () -> baileys(admin, jar));
                JsonNode record = baileys(admin, jar);
                assertTrue(record.path("lastError").isNull(), record::toString);
                assertEquals("baileys", record.path("extensions").path(0).path("name").asText(), record::toString);
                assertEquals(201, admin.post("/api/sessions", Map.of("name", "phone", "engine", "baileys")).status(),
                        "the engine is offered again");
            }
        } finally {
            TestGateway.deleteTree(dataDir);
        }
    }

    private static Path installBaileys(Path dataDir) throws IOException {
        Path built = TestGateway.builtPluginJar("baileys");
        Path plugins = Files.createDirectories(dataDir.resolve("plugins"));
        return Files.copy(built, plugins.resolve(built.getFileName()), StandardCopyOption.REPLACE_EXISTING);
    }

    /** A "node" that answers {@code --version} with {@code version}; written aside and moved in, never half-written. */
    private static void writeNode(Path node, String version) throws IOException {
        Path part = node.resolveSibling(node.getFileName() + ".part");
        Files.writeString(part, "#!/bin/sh\necho " + version + "\n");
        Files.setPosixFilePermissions(part, PosixFilePermissions.fromString("rwx------"));
        Files.move(part, node, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static JsonNode baileys(ApiClient admin, Path jar) {
        ApiClient.Response list = admin.get("/api/plugins");
        assertEquals(200, list.status(), list.body());
        return StreamSupport.stream(list.json().spliterator(), false)
                .filter(p -> p.path("file").asText().equals(jar.getFileName().toString()))
                .findFirst().orElseThrow(() -> new AssertionError("no record of " + jar.getFileName() + " in " + list.body()));
    }

    private static void assertBaileysFailed(ApiClient admin, Path jar, String error) {
        JsonNode record = baileys(admin, jar);
        assertEquals("FAILED", record.path("state").asText(), record::toString);
        assertEquals("baileys", record.path("id").asText(), record::toString);
        assertEquals(error, record.path("lastError").asText());
        assertEquals(0, record.path("extensions").size(), record::toString);
        JsonNode one = admin.get("/api/plugins/baileys").json();
        assertEquals(error, one.path("lastError").asText(), "the same on the plugin's own page");
    }

    /** Healthy, the baileys engine refused by name, and the simulator links and sends as ever. */
    private static void assertTheGatewayGoesOn(TestGateway gw, ApiClient admin) throws Exception {
        assertEquals(200, gw.api().get("/observe/health").status());
        ApiClient.Response refused = admin.post("/api/sessions", Map.of("name", "phone", "engine", "baileys"));
        assertEquals(400, refused.status(), refused.body());
        assertTrue(refused.body().contains("Unknown engine 'baileys'"), refused.body());

        try (EventRecorder events = new EventRecorder(gw.gateway().events())) {
            String id = admin.post("/api/sessions", Map.of("name", "demo", "engine", "simulator")).json().get("sessionId").asText();
            assertEquals(202, admin.post("/api/sessions/" + id + "/start", null).status());
            events.qr(id);
            assertEquals(200, admin.post("/api/sessions/" + id + "/actions/scan",
                    Map.of("phoneNumber", "+6281234567890", "displayName", "Demo")).status());
            events.status(id, SessionStatus.CONNECTED);
            ApiClient.Response sent = admin.post("/api/sessions/" + id + "/messages", Map.of("to", "+6289876543210", "text", "hi"));
            assertEquals(202, sent.status(), sent.body());
        }
    }
}
