package io.wagateway.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.wagateway.api.GatewayEvent;
import io.wagateway.api.StatusReason;
import io.wagateway.testing.ApiClient;
import io.wagateway.testing.EventRecorder;
import io.wagateway.testing.TestDatabases;
import io.wagateway.testing.TestGateway;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code gateway.sessions.reconnect-max-attempts} against an engine whose every connection is lost
 * at once (as the baileys engine's is on a machine without network): the reconnects stop.
 */
class ReconnectLimitTest {

    /** Every start reports the connection lost, like a socket that cannot reach WhatsApp. */
    private static TestPluginJars.Builder unreachableEngine() {
        return TestPluginJars.plugin("unreachable").source("testplugins.unreachable.UnreachableEngine", """
                package testplugins.unreachable;
                import io.wagateway.api.*;
                @org.pf4j.Extension
                public class UnreachableEngine implements WhatsAppEngine {
                    @Override public String name() { return "unreachable"; }
                    @Override public EngineSession open(EngineContext context) { return new S(context); }
                    static final class S implements EngineSession {
                        final EngineContext c;
                        S(EngineContext c) { this.c = c; }
                        @Override public void start() { c.disconnected(StatusReason.CONNECTION_LOST); }
                        @Override public void stop() { }
                        @Override public void logout() { }
                        @Override public void send(OutgoingMessage m) { }
                    }
                }
                """).extension("testplugins.unreachable.UnreachableEngine");
    }

    @Test
    void afterTheLastReconnectIsLostTheSessionIsAnErrorOnceAndAStartTriesAgain() throws Exception {
        Path dataDir = TestDatabases.tempDir();
        unreachableEngine().writeTo(Files.createDirectories(dataDir.resolve("plugins")), "unreachable.jar");
        try (TestGateway gw = TestGateway.startOn(dataDir, Map.of("gateway.sessions.reconnect-max-attempts", "2"));
             EventRecorder events = new EventRecorder(gw.gateway().events())) {
            ApiClient admin = gw.api().loginAdmin();
            String id = admin.post("/api/sessions", Map.of("name", "offline", "engine", "unreachable"))
                    .json().get("sessionId").asText();
            for (int run = 1; run <= 2; run++) {
                assertEquals(202, admin.post("/api/sessions/" + id + "/start", null).status());
                // The start's connection and two reconnects are lost; the third loss is not reconnected.
                assertEquals(List.of("CONNECTING", "DISCONNECTED/CONNECTION_LOST", "CONNECTING", "DISCONNECTED/CONNECTION_LOST",
                        "CONNECTING", "ERROR/CONNECTION_LOST"), events.statuses(id, 6), "run " + run);
                List<GatewayEvent> later = events.drain(Duration.ofMillis(800)).stream()
                        .filter(e -> e.sessionId().equals(id)).toList();
                assertEquals(List.of(), later, "no reconnect after the limit, run " + run);
                var stored = admin.get("/api/sessions/" + id).json();
                assertEquals("ERROR", stored.get("status").asText());
                assertEquals("CONNECTION_LOST", stored.get("reason").asText());
            }
        } finally {
            TestGateway.deleteTree(dataDir);
        }
    }

}
