package io.wagateway.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wagateway.api.SessionStatus;
import io.wagateway.api.SessionStatusChanged;
import io.wagateway.testing.ApiClient;
import io.wagateway.testing.Await;
import io.wagateway.testing.EventRecorder;
import io.wagateway.testing.LogCapture;
import io.wagateway.testing.TestDatabases;
import io.wagateway.testing.TestGateway;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The baileys plugin jar in an in-process gateway, its worker replaced by the plugin's stub worker
 * (same protocol; {@code WAGW_BAILEYS_STUB_HOST=1} makes its {@code pair} link an account as a phone
 * would): the account's creds and a key of every family go through the host's credential store
 * into the database, come back from it after a gateway restart (no new link), and are gone after
 * a logout.
 */
class BaileysHostCredentialsTest {

    private static final String PHONE = "+6281234567890";
    private static final String FAMILIES = "app-state-sync-key,app-state-sync-version,device-list,lid-mapping,pre-key,"
            + "sender-key,sender-key-memory,session,tctoken";

    @Test
    void credsAndEveryKeyFamilyAreStoredByTheHostGivenBackAfterARestartAndDeletedByLogout() throws Exception {
        Path jar = TestGateway.builtPluginJar("baileys");
        Path stub = Path.of(System.getProperty("gateway.test.baileys-stub", "")).toAbsolutePath();
        assertTrue(Files.isRegularFile(stub), "the plugin's stub worker: " + stub);
        Path dataDir = TestDatabases.tempDir();
        try {
            Files.createDirectories(dataDir.resolve("plugins"));
            Files.copy(jar, dataDir.resolve("plugins").resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            // The engine's "node": answers the version check as Node does, and runs the stub instead of the bundle.
            Path node = dataDir.resolve("node-stub.sh");
            Files.writeString(node, "#!/bin/sh\n[ \"$1\" = --version ] && exec node --version\n"
                    + "WAGW_BAILEYS_STUB_HOST=1 exec node '" + stub + "'\n");
            Files.setPosixFilePermissions(node, PosixFilePermissions.fromString("rwx------"));
            Map<String, String> settings = Map.of("gateway.engines.baileys.node", node.toString(),
                    "gateway.engines.baileys.work-dir", dataDir.resolve("baileys-work").toString());

            String id;
            try (TestGateway first = TestGateway.startOn(dataDir, settings);
                 EventRecorder events = new EventRecorder(first.gateway().events())) {
                ApiClient admin = first.api().loginAdmin();
                id = admin.post("/api/sessions", Map.of("name", "linked", "engine", "baileys")).json().get("sessionId").asText();
                assertEquals(202, admin.post("/api/sessions/" + id + "/start", null).status());
                assertEquals(List.of("CONNECTING", "QR_REQUIRED"), events.statuses(id, 2));
                ApiClient.Response pair = admin.post("/api/sessions/" + id + "/actions/pair", Map.of("phoneNumber", PHONE));
                assertEquals(200, pair.status(), pair.body());
                assertEquals("STUB1234", pair.json().get("code").asText());
                SessionStatusChanged connected = events.status(id, SessionStatus.CONNECTED);
                assertEquals(PHONE, connected.phoneNumber());
                assertEquals("Stub Phone", connected.displayName());
            }

            try (TestGateway second = TestGateway.startOn(dataDir, settings);
                 LogCapture log = LogCapture.on("io.wagateway.plugins.baileys")) {
                ApiClient admin = second.api().loginAdmin();
                // Resumed at boot from what the database holds: connected, no QR, no new link.
                Await.until("the session resumed", () -> "CONNECTED".equals(status(admin, id)), () -> status(admin, id));
                try (EventRecorder events = new EventRecorder(second.gateway().events())) {
                    assertEquals(202, admin.post("/api/sessions/" + id + "/stop", null).status());
                    assertEquals(202, admin.post("/api/sessions/" + id + "/start", null).status());
                    assertEquals(List.of("DISCONNECTED/STOPPED", "CONNECTING", "CONNECTED"), events.statuses(id, 3));
                    String given = "session " + id + " (stderr): stub started with creds and keys of " + FAMILIES;
                    Await.until("the worker given every key family back", () -> log.messages().stream().anyMatch(m -> m.contains(given)),
                            log::messages);

                    assertEquals(202, admin.post("/api/sessions/" + id + "/logout", null).status());
                    assertEquals(List.of("DISCONNECTED/LOGGED_OUT"), events.statuses(id, 1));
                    assertEquals(202, admin.post("/api/sessions/" + id + "/start", null).status());
                    assertEquals(List.of("CONNECTING", "QR_REQUIRED"), events.statuses(id, 2), "nothing stored: link anew");
                }
            }
        } finally {
            TestGateway.deleteTree(dataDir);
        }
    }

    private static String status(ApiClient api, String id) {
        return api.get("/api/sessions/" + id).json().get("status").asText();
    }
}
