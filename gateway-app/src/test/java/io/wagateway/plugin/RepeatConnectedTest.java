package io.wagateway.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.wagateway.api.SessionStatus;
import io.wagateway.api.SessionStatusChanged;
import io.wagateway.testing.ApiClient;
import io.wagateway.testing.Await;
import io.wagateway.testing.EventRecorder;
import io.wagateway.testing.TestDatabases;
import io.wagateway.testing.TestGateway;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An engine that reports its connection again while connected: the same number and name change
 * nothing (no event, no second hand-over of the messages waiting for a connection); a new name
 * is taken, with one status event.
 */
class RepeatConnectedTest {

    /** Connects at once; the action {@code report} reports the connection again with the given name. */
    private static TestPluginJars.Builder repeatingEngine() {
        return TestPluginJars.plugin("repeater").source("testplugins.repeater.RepeaterEngine", """
                package testplugins.repeater;
                import io.wagateway.api.*;
                import java.util.Map;
                @org.pf4j.Extension
                public class RepeaterEngine implements WhatsAppEngine {
                    @Override public String name() { return "repeater"; }
                    @Override public EngineSession open(EngineContext context) { return new S(context); }
                    static final class S implements EngineSession {
                        final EngineContext c;
                        S(EngineContext c) { this.c = c; }
                        @Override public void start() { c.connected("+100", "X"); }
                        @Override public void stop() { }
                        @Override public void logout() { }
                        @Override public void send(OutgoingMessage m) { io.wagateway.plugin.TestInbox.record("send:" + m.messageId()); }
                        @Override public Map<String, Object> action(String action, Map<String, Object> params) {
                            c.connected("+100", (String) params.get("displayName"));
                            return Map.of();
                        }
                    }
                }
                """).extension("testplugins.repeater.RepeaterEngine");
    }

    @Test
    void aRepeatedReportChangesNothingAndANewNameIsOneEvent() throws Exception {
        Path dataDir = TestDatabases.tempDir();
        Path plugins = dataDir.resolve("plugins");
        Files.createDirectories(plugins);
        repeatingEngine().writeTo(plugins, "repeater.jar");
        TestInbox.clear();
        try (TestGateway gw = TestGateway.startOn(dataDir, Map.of());
             EventRecorder events = new EventRecorder(gw.gateway().events())) {
            ApiClient admin = gw.api().loginAdmin();
            String id = admin.post("/api/sessions", Map.of("name", "r", "engine", "repeater")).json().get("sessionId").asText();
            admin.post("/api/sessions/" + id + "/start", null);
            assertEquals("X", events.status(id, SessionStatus.CONNECTED).displayName());
            String message = admin.post("/api/sessions/" + id + "/messages", Map.of("to", "+6281200000001", "text", "hi"))
                    .json().get("messageId").asText();
            Await.until("the engine got the message", () -> TestInbox.entries().contains("send:" + message));

            assertEquals(200, admin.post("/api/sessions/" + id + "/actions/report", Map.of("displayName", "X")).status());
            assertEquals(200, admin.post("/api/sessions/" + id + "/actions/report", Map.of("displayName", "Y")).status());
            // Reports are taken in order: an event for the unchanged one would come first.
            SessionStatusChanged next = events.next(id, SessionStatusChanged.class, e -> true);
            assertEquals(SessionStatus.CONNECTED, next.status());
            assertEquals("Y", next.displayName(), "the unchanged report published nothing");
            assertEquals("Y", admin.get("/api/sessions/" + id).json().get("displayName").asText());

            List<String> sends = TestInbox.entries().stream().filter(e -> e.startsWith("send:")).toList();
            assertEquals(List.of("send:" + message), sends, "each message went to the engine once");
        } finally {
            TestGateway.deleteTree(dataDir);
        }
    }
}
