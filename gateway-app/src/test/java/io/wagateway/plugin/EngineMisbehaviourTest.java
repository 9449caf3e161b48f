package io.wagateway.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wagateway.api.GatewayEvent;
import io.wagateway.api.SessionStatus;
import io.wagateway.api.SessionStatusChanged;
import io.wagateway.api.StatusReason;
import io.wagateway.testing.ApiClient;
import io.wagateway.testing.Await;
import io.wagateway.testing.EventRecorder;
import io.wagateway.testing.TestDatabases;
import io.wagateway.testing.TestGateway;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The session service against engines and a database that misbehave: no orphans, no stuck sessions. */
class EngineMisbehaviourTest {

    /** An engine that connects at once and records every start and stop in the {@link TestInbox}. */
    private static TestPluginJars.Builder countingEngine() {
        return TestPluginJars.plugin("counter").source("testplugins.counter.CounterEngine", """
                package testplugins.counter;
                import io.wagateway.api.*;
                import java.util.Map;
                @org.pf4j.Extension
                public class CounterEngine implements WhatsAppEngine {
                    @Override public String name() { return "counter"; }
                    @Override public EngineSession open(EngineContext context) { return new S(context); }
                    static final class S implements EngineSession {
                        final EngineContext c;
                        S(EngineContext c) { this.c = c; }
                        @Override public void start() { io.wagateway.plugin.TestInbox.record("start:" + c.sessionId()); c.connected("+100", "X"); }
                        @Override public void stop() { io.wagateway.plugin.TestInbox.record("stop:" + c.sessionId()); }
                        @Override public void logout() { io.wagateway.plugin.TestInbox.record("stop:" + c.sessionId()); }
                        @Override public void send(OutgoingMessage m) { }
                    }
                }
                """).extension("testplugins.counter.CounterEngine");
    }

    @Test
    void aRestartWithTheEngineBackStartsEachSessionOnce() throws Exception {
        Path dataDir = TestDatabases.tempDir();
        Path plugins = dataDir.resolve("plugins");
        Files.createDirectories(plugins);
        Map<String, String> settings = Map.of("gateway.plugins.debounce", "100ms");
        countingEngine().writeTo(plugins, "counter.jar");
        try {
            String id;
            try (TestGateway first = TestGateway.startOn(dataDir, settings);
                 EventRecorder events = new EventRecorder(first.gateway().events())) {
                ApiClient admin = first.api().loginAdmin();
                id = admin.post("/api/sessions", Map.of("name", "c", "engine", "counter")).json().get("sessionId").asText();
                admin.post("/api/sessions/" + id + "/start", null);
                events.status(id, SessionStatus.CONNECTED);
                Files.delete(plugins.resolve("counter.jar"));
                assertEquals(StatusReason.ENGINE_UNAVAILABLE, events.status(id, SessionStatus.ERROR).reason());
            }
            countingEngine().writeTo(plugins, "counter.jar");
            TestInbox.clear();
            // Both the resume on boot and the "engine added" notice want this session started.
            try (TestGateway second = TestGateway.startOn(dataDir, settings);
                 EventRecorder events = new EventRecorder(second.gateway().events())) {
                AtomicReference<SessionStatusChanged> now = new AtomicReference<>();
                second.gateway().sessions().withSnapshot(id, snap -> now.set(snap.status())).join();
                if (now.get().status() != SessionStatus.CONNECTED) {
                    events.status(id, SessionStatus.CONNECTED);
                }
            }
            List<String> seen = TestInbox.entries();
            assertEquals(1, seen.stream().filter(e -> e.equals("start:" + id)).count(), "started once: " + seen);
            assertEquals(1, seen.stream().filter(e -> e.equals("stop:" + id)).count(), "and stopped at shutdown: " + seen);
        } finally {
            TestGateway.deleteTree(dataDir);
        }
    }

    @Test
    void stopCancelsAPendingReconnect() throws Exception {
        try (TestGateway gw = TestGateway.start(Map.of("gateway.sessions.retry-initial-delay", "800ms",
                "gateway.sessions.retry-max-delay", "2s"));
             EventRecorder events = new EventRecorder(gw.gateway().events())) {
            ApiClient a = gw.api().loginAdmin();
            String id = a.post("/api/sessions", Map.of("name", "drop")).json().get("sessionId").asText();
            a.post("/api/sessions/" + id + "/start", null);
            events.qr(id);
            a.post("/api/sessions/" + id + "/actions/scan", Map.of("phoneNumber", "+6281111111111", "displayName", "D"));
            events.status(id, SessionStatus.CONNECTED);
            a.post("/api/sessions/" + id + "/actions/drop-connection", null);
            assertEquals(StatusReason.CONNECTION_LOST, events.status(id, SessionStatus.DISCONNECTED).reason());
            ApiClient.Response stop = a.post("/api/sessions/" + id + "/stop", null);
            assertEquals(202, stop.status(), "a reconnecting session can be stopped: " + stop.body());
            assertEquals(StatusReason.STOPPED, events.status(id, SessionStatus.DISCONNECTED).reason());
            List<GatewayEvent> later = events.drain(Duration.ofMillis(1500)).stream()
                    .filter(e -> e.sessionId().equals(id)).toList();
            assertEquals(List.of(), later, "the pending reconnect was cancelled");
            assertEquals("STOPPED", a.get("/api/sessions/" + id).json().get("reason").asText());
        }
    }

    @Test
    void anEngineThrowingAnErrorEndsInErrorNotStuck() throws Exception {
        Path dataDir = TestDatabases.tempDir();
        Path plugins = dataDir.resolve("plugins");
        Files.createDirectories(plugins);
        TestPluginJars.plugin("brittle").source("testplugins.brittle.BrittleEngine", """
                package testplugins.brittle;
                import io.wagateway.api.*;
                @org.pf4j.Extension
                public class BrittleEngine implements WhatsAppEngine {
                    @Override public String name() { return "brittle"; }
                    @Override public EngineSession open(EngineContext context) {
                        return new EngineSession() {
                            @Override public void start() { throw new NoClassDefFoundError("com/example/Missing"); }
                            @Override public void stop() { }
                            @Override public void logout() { }
                            @Override public void send(OutgoingMessage m) { }
                        };
                    }
                }
                """).extension("testplugins.brittle.BrittleEngine").writeTo(plugins, "brittle.jar");
        try (TestGateway gw = TestGateway.startOn(dataDir, Map.of());
             EventRecorder events = new EventRecorder(gw.gateway().events())) {
            ApiClient a = gw.api().loginAdmin();
            String id = a.post("/api/sessions", Map.of("name", "b", "engine", "brittle")).json().get("sessionId").asText();
            assertEquals(202, a.post("/api/sessions/" + id + "/start", null).status());
            assertEquals(StatusReason.ENGINE_FAILED, events.status(id, SessionStatus.ERROR).reason());
            events.status(id, SessionStatus.CONNECTING); // retried with backoff, like any failure
            assertEquals(StatusReason.ENGINE_FAILED, events.status(id, SessionStatus.ERROR).reason());
            assertEquals(202, a.post("/api/sessions/" + id + "/stop", null).status());
            assertEquals(StatusReason.STOPPED, events.status(id, SessionStatus.DISCONNECTED).reason());
            assertEquals(200, a.get("/api/auth/me").status(), "the host keeps serving");
        } finally {
            TestGateway.deleteTree(dataDir);
        }
    }

    @Test
    void aQrCodeTooLongForAnImageOrTheDeletedReasonIsRefusedToTheEngine() throws Exception {
        Path dataDir = TestDatabases.tempDir();
        Path plugins = dataDir.resolve("plugins");
        Files.createDirectories(plugins);
        TestEngines.engine("bigqr", """
                for (String qr : new String[] {"x".repeat(3000), ""}) {
                    try {
                        context.qrCode(qr, 1, java.time.Instant.now().plusSeconds(60));
                        io.wagateway.plugin.TestInbox.record("taken:" + qr.length());
                    } catch (IllegalArgumentException e) {
                        io.wagateway.plugin.TestInbox.record("refused:" + qr.length());
                    }
                }
                try {
                    context.disconnected(StatusReason.DELETED);
                    io.wagateway.plugin.TestInbox.record("taken:DELETED");
                } catch (IllegalArgumentException e) {
                    io.wagateway.plugin.TestInbox.record("refused:DELETED");
                }
                """, "", "").writeTo(plugins, "bigqr.jar");
        TestInbox.clear();
        try (TestGateway gw = TestGateway.startOn(dataDir, Map.of())) {
            ApiClient a = gw.api().loginAdmin();
            String id = a.post("/api/sessions", Map.of("name", "q", "engine", "bigqr")).json().get("sessionId").asText();
            assertEquals(202, a.post("/api/sessions/" + id + "/start", null).status());
            Await.until("the engine's start ran", () -> TestInbox.entries().size() == 3, TestInbox::entries);
            assertEquals(List.of("refused:3000", "refused:0", "refused:DELETED"), TestInbox.entries());
            String session = a.get("/api/sessions/" + id).body();
            assertFalse(session.contains("DELETED"), "a session that exists is not shown deleted: " + session);
            for (String format : List.of("json", "png", "svg")) {
                ApiClient.Response r = a.get("/api/sessions/" + id + "/qr?format=" + format);
                assertEquals(404, r.status(), format + ": " + r.body());
            }
        } finally {
            TestGateway.deleteTree(dataDir);
        }
    }

    @Test
    void aFailedStatusWriteLeavesMemoryAsTheDatabaseSays() throws Exception {
        try (TestDatabases.Target db = TestDatabases.mariadb();
             TestGateway gw = TestGateway.start(TestDatabases.overrides(db))) {
            ApiClient a = gw.api().loginAdmin();
            String id = a.post("/api/sessions", Map.of("name", "persist")).json().get("sessionId").asText();
            String url = db.settings().url();
            try (Connection c = DriverManager.getConnection(url, db.settings().user(), db.settings().password())) {
                c.createStatement().execute("CREATE TRIGGER no_update BEFORE UPDATE ON sessions FOR EACH ROW "
                        + "SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'blocked'");
            }
            ApiClient.Response refused = a.post("/api/sessions/" + id + "/start", null);
            assertEquals(500, refused.status(), refused.body());
            assertTrue(!refused.body().contains("blocked"), "no SQL text reaches the caller: " + refused.body());
            try (Connection c = DriverManager.getConnection(url, db.settings().user(), db.settings().password())) {
                c.createStatement().execute("DROP TRIGGER no_update");
            }
            assertEquals("DISCONNECTED", a.get("/api/sessions/" + id).json().get("status").asText());
            ApiClient.Response retried = a.post("/api/sessions/" + id + "/start", null);
            assertEquals(202, retried.status(), "memory did not run ahead of the database: " + retried.body());
            a.post("/api/sessions/" + id + "/stop", null);
        }
    }
}
