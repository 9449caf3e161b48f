package io.wagateway.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wagateway.api.MessageStatus;
import io.wagateway.api.MessageStatusUpdated;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Engines whose calls never return (real plugin jars): every call into engine code has a deadline
 * ({@code gateway.sessions.engine-call-timeout}, 1s here), runs off the session's executor, and a
 * hung engine leaves its session in {@code ERROR}, never frozen. Each test hung on the code before
 * (the REST call never answered), which {@link #quickly} turns into a failure.
 */
class BlockingEngineTest {

    private static final Duration BOUND = Duration.ofSeconds(4);

    /** An engine whose sessions run {@code start}, {@code stop} (also for logout) and {@code send} as their bodies. */
    private static TestPluginJars.Builder engine(String name, String start, String stop, String send) {
        String fqcn = "testplugins." + name + ".Engine";
        return TestPluginJars.plugin(name).source(fqcn, """
                package testplugins.%s;
                import io.wagateway.api.*;
                @org.pf4j.Extension
                public class Engine implements WhatsAppEngine {
                    static final java.util.concurrent.atomic.AtomicBoolean FIRST = new java.util.concurrent.atomic.AtomicBoolean(true);
                    @Override public String name() { return "%s"; }
                    @Override public EngineSession open(EngineContext context) {
                        return new EngineSession() {
                            @Override public void start() { %s }
                            @Override public void stop() { %s }
                            @Override public void logout() { %s }
                            @Override public void send(OutgoingMessage m) { %s }
                        };
                    }
                    /** Blocks for good, deaf to interrupts, as a badly written engine would. */
                    static void hang() {
                        while (true) {
                            try { Thread.sleep(60_000); } catch (InterruptedException e) { }
                        }
                    }
                }
                """.formatted(name, name, start, stop, stop, send)).extension(fqcn);
    }

    private Path dataDir;
    private TestGateway gw;
    private EventRecorder events;
    private ApiClient admin;

    @BeforeEach
    void clearInbox() {
        TestInbox.clear();
    }

    private void startGateway(TestPluginJars.Builder plugin, String retryDelay) throws Exception {
        dataDir = TestDatabases.tempDir();
        Files.createDirectories(dataDir.resolve("plugins"));
        plugin.writeTo(dataDir.resolve("plugins"), "engine.jar");
        gw = TestGateway.startOn(dataDir, Map.of("gateway.sessions.engine-call-timeout", "1s",
                "gateway.sessions.retry-initial-delay", retryDelay, "gateway.sessions.retry-max-delay", retryDelay));
        events = new EventRecorder(gw.gateway().events());
        admin = gw.api().loginAdmin();
    }

    @AfterEach
    void stopGateway() throws Exception {
        if (events != null) {
            events.close();
        }
        if (gw != null) {
            quickly("closing the gateway", () -> {
                gw.close();
                return null;
            });
        }
        TestGateway.deleteTree(dataDir);
    }

    private static <T> T quickly(String what, Supplier<T> call) {
        return assertTimeoutPreemptively(BOUND, call::get, what + " must answer within " + BOUND);
    }

    private String session(String name, String engine) {
        return admin.post("/api/sessions", Map.of("name", name, "engine", engine)).json().get("sessionId").asText();
    }

    private int post(String path) {
        return quickly("POST " + path, () -> admin.post(path, null).status());
    }

    @Test
    void anEngineWhoseStartNeverReturnsLeavesItsSessionInErrorAndUnderControl() throws Exception {
        startGateway(engine("stuckstart", "hang();", "", ""), "30s");
        String id = session("stuck", "stuckstart");
        assertEquals(202, post("/api/sessions/" + id + "/start"));
        assertEquals(StatusReason.ENGINE_FAILED, events.status(id, SessionStatus.ERROR).reason());
        assertEquals(404, quickly("GET qr", () -> admin.get("/api/sessions/" + id + "/qr").status()));
        // What join_session does before it answers session_joined.
        AtomicReference<SessionStatusChanged> joined = new AtomicReference<>();
        quickly("a joiner's snapshot", () -> gw.gateway().sessions().withSnapshot(id, s -> joined.set(s.status())).join());
        assertEquals(SessionStatus.ERROR, joined.get().status());
        assertEquals(202, post("/api/sessions/" + id + "/stop"));
        assertEquals(StatusReason.STOPPED, events.status(id, SessionStatus.DISCONNECTED).reason());

        // Started again, it hangs again: deleted while start() is still running.
        assertEquals(202, post("/api/sessions/" + id + "/start"));
        events.status(id, SessionStatus.CONNECTING);
        assertEquals(204, quickly("DELETE", () -> admin.delete("/api/sessions/" + id).status()));
        assertEquals(404, admin.get("/api/sessions/" + id).status());

        // And one left hanging in start() for the shutdown (bounded in stopGateway).
        String other = session("left hanging", "stuckstart");
        assertEquals(202, post("/api/sessions/" + other + "/start"));
        events.status(other, SessionStatus.CONNECTING);
    }

    @Test
    void anEngineWhoseStopNeverReturnsCanStillBeStoppedStartedLoggedOutAndDeleted() throws Exception {
        startGateway(engine("stuckstop", "context.connected(\"+100\", \"X\");", "hang();", ""),
                "30s");
        String id = session("stuck", "stuckstop");
        assertEquals(202, post("/api/sessions/" + id + "/start"));
        events.status(id, SessionStatus.CONNECTED);
        assertEquals(202, post("/api/sessions/" + id + "/stop"));
        assertEquals(StatusReason.STOPPED, events.status(id, SessionStatus.DISCONNECTED).reason());
        assertEquals(202, post("/api/sessions/" + id + "/start"));
        events.status(id, SessionStatus.CONNECTED);
        assertEquals(202, post("/api/sessions/" + id + "/logout"));
        assertEquals(StatusReason.LOGGED_OUT, events.status(id, SessionStatus.DISCONNECTED).reason());
        assertEquals(202, post("/api/sessions/" + id + "/start"));
        events.status(id, SessionStatus.CONNECTED);
        assertEquals(204, quickly("DELETE", () -> admin.delete("/api/sessions/" + id).status()));

        String other = session("stopped at shutdown", "stuckstop");
        assertEquals(202, post("/api/sessions/" + other + "/start"));
        events.status(other, SessionStatus.CONNECTED);
    }

    @Test
    void aSendThatNeverReturnsFailsThatMessageAndTheRestGoOutAfterTheReconnect() throws Exception {
        startGateway(engine("stucksend", "context.connected(\"+100\", \"X\");", "",
                "io.wagateway.plugin.TestInbox.record(\"send:\" + m.messageId()); if (FIRST.getAndSet(false)) { hang(); }"),
                "100ms");
        String id = session("mid-stream", "stucksend");
        assertEquals(202, post("/api/sessions/" + id + "/start"));
        events.status(id, SessionStatus.CONNECTED);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            int n = i;
            ApiClient.Response r = quickly("send", () -> admin.post("/api/sessions/" + id + "/messages",
                    Map.of("to", "+6281300000" + (10 + n), "text", "m" + n)));
            assertEquals(202, r.status(), r.body());
            ids.add(r.json().get("messageId").asText());
        }
        MessageStatusUpdated first = events.next(id, MessageStatusUpdated.class, m -> true);
        assertEquals(ids.get(0), first.messageId());
        assertEquals(MessageStatus.FAILED, first.status());
        assertTrue(first.error().contains("send()"), "says which call hung: " + first.error());
        assertEquals(StatusReason.ENGINE_FAILED, events.status(id, SessionStatus.ERROR).reason());
        events.status(id, SessionStatus.CONNECTED);
        Await.until("the four messages the hung engine never got are sent after the reconnect",
                () -> ids.stream().allMatch(m -> TestInbox.entries().contains("send:" + m)), TestInbox::entries);
        for (String m : ids) {
            assertEquals(1, TestInbox.entries().stream().filter(e -> e.equals("send:" + m)).count(),
                    "each handed over once: " + TestInbox.entries());
        }
        for (String m : ids.subList(1, 5)) {
            assertEquals("PENDING", admin.get("/api/sessions/" + id + "/messages/" + m).json().get("status").asText());
        }
    }
}
