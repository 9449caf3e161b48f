package io.wagateway.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.wagateway.testing.ApiClient;
import io.wagateway.testing.TestGateway;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Password hashes, engine credentials and the JWT secret are the owner's alone, on disk and in /observe/health. */
class DataAtRestTest {

    private Path parent;

    @BeforeEach
    void createParent() throws IOException {
        parent = Files.createTempDirectory("gateway-data-at-rest-");
    }

    @AfterEach
    void removeParent() {
        TestGateway.deleteTree(parent);
    }

    @Test
    void aDataDirectoryTheGatewayCreatesIsOwnerOnlyWithEverythingInIt() {
        Path dataDir = parent.resolve("data");
        try (TestGateway gw = startOn(dataDir)) {
            assertOwnerOnly(dataDir, "after start");
            ApiClient admin = gw.api().loginAdmin();
            ApiClient alice = admin.createUser("alice", "alice-password-1");
            for (int i = 0; i < 20; i++) {
                assertEquals(201, alice.post("/api/sessions", Map.of("name", "s" + i)).status());
            }
            assertOwnerOnly(dataDir, "after writes");
        }
        assertOwnerOnly(dataDir, "after stop");
    }

    @Test
    void anExistingDataDirectoryOpenToOthersIsNamedInAWarningWithItsMode() throws IOException {
        Path dataDir = Files.createDirectory(parent.resolve("data"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwxr-xr-x"));
        List<LogRecord> records = new ArrayList<>();
        Handler handler = new Handler() {
            @Override
            public synchronized void publish(LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger logger = Logger.getLogger(DataDirectory.class.getName());
        logger.addHandler(handler);
        try (TestGateway gw = startOn(dataDir)) {
            // The admin's choice of mode is kept; it is only named.
            assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir)));
        } finally {
            logger.removeHandler(handler);
        }
        List<String> warnings;
        synchronized (handler) {
            warnings = records.stream().filter(r -> r.getLevel() == Level.WARNING).map(LogRecord::getMessage).toList();
        }
        assertTrue(warnings.stream().anyMatch(m -> m.contains(dataDir.toAbsolutePath() + " ") && m.contains("rwxr-xr-x")),
                "a warning names " + dataDir + " and its mode: " + warnings);
    }

    @Test
    void anonymousHealthShowsOnlyStatusWhileAnAdminSeesTheDetails() {
        Path dataDir = parent.resolve("data");
        try (TestGateway gw = startOn(dataDir)) {
            String path = dataDir.toAbsolutePath().toString();
            ApiClient.Response anonymous = gw.api().get("/observe/health");
            // The status per check stays public (GatewayEndpointsTest); the details do not.
            JsonNode check = anonymous.json().get("checks").get(0);
            assertEquals("UP", check.get("status").asText(), anonymous.body());
            assertFalse(anonymous.body().contains(path), anonymous.body());
            assertFalse(check.has("data"), anonymous.body());

            ApiClient.Response user = gw.api().loginAdmin().createUser("bob", "bob-password-1").get("/observe/health");
            assertEquals(200, user.status(), user.body());
            assertFalse(user.body().contains(path), "a USER sees no details either: " + user.body());

            ApiClient.Response admin = gw.api().loginAdmin().get("/observe/health");
            assertEquals(200, admin.status(), admin.body());
            JsonNode data = admin.json().get("checks").get(0).get("data");
            assertTrue(data != null && data.get("database").asText().contains(path), admin.body());
        }
    }

    private TestGateway startOn(Path dataDir) {
        return TestGateway.startOn(dataDir, Map.of("gateway.plugins.dir", parent.resolve("plugins").toString()));
    }

    private static void assertOwnerOnly(Path dataDir, String when) {
        List<String> open = new ArrayList<>();
        try (Stream<Path> paths = Files.walk(dataDir)) {
            for (Path p : paths.toList()) {
                String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
                if (!mode.equals(Files.isDirectory(p) ? "rwx------" : "rw-------")) {
                    open.add(dataDir.relativize(p) + " " + mode);
                }
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        assertTrue(open.isEmpty(), when + ", not owner-only: " + open);
        assertTrue(Files.isRegularFile(dataDir.resolve("db/gateway.mv.db")), "the database lives there");
    }
}
