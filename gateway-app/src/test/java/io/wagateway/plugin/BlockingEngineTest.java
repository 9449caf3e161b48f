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
    private static final String RELEASE = "wagateway.test.release-first-send";

    private Path dataDir;
    private TestGateway gw;
    private EventRecorder events;
    private ApiClient admin;

    @BeforeEach
    void clearInbox() {
        TestInbox.clear();
    }

    private void startGateway(TestPluginJars.Builder plugin, String retryDelay) throws Exception {
        startGateway(plugin, retryDelay, "1s");
    }

    private void startGateway(TestPluginJars.Builder plugin, String retryDelay, String callTimeout) throws Exception {
        dataDir = TestDatabases.tempDir();
        Files.createDirectories(dataDir.resolve("plugins"));
        plugin.writeTo(dataDir.resolve("plugins"), "engine.jar");
        gw = TestGateway.startOn(dataDir, Map.of("gateway.sessions.engine-call-timeout", callTimeout,
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

    /** Sends {@code count} messages through REST, one after the other, to numbers from {@code firstNumber} on. */
    private List<String> sendMessages(String session, int count, int firstNumber) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int n = i;
            ApiClient.Response r = quickly("send", () -> admin.post("/api/sessions/" + session + "/messages",
                    Map.of("to", "+6281300000" + (firstNumber + n), "text", "m" + n)));
            assertEquals(202, r.status(), r.body());
            ids.add(r.json().get("messageId").asText());
        }
        return ids;
    }

    /**
     * Every message reaches the engine (the ones the hung engine never got, after the reconnect),
     * each exactly once, and {@code pending} are still PENDING: sent again, not settled as possibly sent.
     */
    private void assertSentOnceAfterTheReconnect(String session, List<String> ids, List<String> pending) {
        Await.until("the messages the hung engine never got are sent after the reconnect",
                () -> ids.stream().allMatch(m -> TestInbox.entries().contains("send:" + m)), TestInbox::entries);
        for (String m : ids) {
            assertEquals(1, TestInbox.entries().stream().filter(e -> e.equals("send:" + m)).count(),
                    "each handed over once: " + TestInbox.entries());
        }
        for (String m : pending) {
            assertEquals("PENDING", admin.get("/api/sessions/" + session + "/messages/" + m).json().get("status").asText(),
                    "not settled as possibly sent: " + m);
        }
    }

    @Test
    void anEngineWhoseStartNeverReturnsLeavesItsSessionInErrorAndUnderControl() throws Exception {
        startGateway(TestEngines.engine("stuckstart", "hang();", "", ""), "30s");
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

    /** Fails without the host's context answering its configured deadline (the API's default is 10 s). */
    @Test
    void theEngineIsToldTheDeadlineOfItsCalls() throws Exception {
        startGateway(TestEngines.engine("toldthedeadline",
                "io.wagateway.plugin.TestInbox.record(\"deadline:\" + context.callTimeout()); context.connected(\"+100\", \"X\");",
                "", ""), "30s", "3s");
        String id = session("told", "toldthedeadline");
        assertEquals(202, post("/api/sessions/" + id + "/start"));
        events.status(id, SessionStatus.CONNECTED);
        assertEquals(List.of("deadline:PT3S"), TestInbox.entries());
    }

    /** Fails without the answer naming the real deadline (it said twice the deadline, the REST call's own patience). */
    @Test
    void anActionThatNeverReturnsIsAnswered409WithTheDeadlineAndFailsTheSession() throws Exception {
        startGateway(TestEngines.engine("stuckaction", "context.connected(\"+100\", \"X\");", "", "", "hang(); return null;"),
                "30s");
        String id = session("stuck action", "stuckaction");
        assertEquals(202, post("/api/sessions/" + id + "/start"));
        events.status(id, SessionStatus.CONNECTED);
        ApiClient.Response r = quickly("POST action", () -> admin.post("/api/sessions/" + id + "/actions/wait", Map.of()));
        assertEquals(409, r.status(), r.body());
        assertEquals("The engine did not answer the action within 1000 ms", r.json().get("error").get("message").asText());
        assertEquals(StatusReason.ENGINE_FAILED, events.status(id, SessionStatus.ERROR).reason());
    }

    @Test
    void anEngineWhoseStopNeverReturnsCanStillBeStoppedStartedLoggedOutAndDeleted() throws Exception {
        startGateway(TestEngines.engine("stuckstop", "context.connected(\"+100\", \"X\");", "hang();", ""),
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
        startGateway(TestEngines.engine("stucksend", "context.connected(\"+100\", \"X\");", "",
                "io.wagateway.plugin.TestInbox.record(\"send:\" + m.messageId()); if (FIRST.getAndSet(false)) { hang(); }"),
                "100ms");
        String id = session("mid-stream", "stucksend");
        assertEquals(202, post("/api/sessions/" + id + "/start"));
        events.status(id, SessionStatus.CONNECTED);
        List<String> ids = sendMessages(id, 5, 10);
        MessageStatusUpdated first = events.next(id, MessageStatusUpdated.class, m -> true);
        assertEquals(ids.get(0), first.messageId());
        assertEquals(MessageStatus.FAILED, first.status());
        assertTrue(first.error().contains("send()"), "says which call hung: " + first.error());
        assertEquals(StatusReason.ENGINE_FAILED, events.status(id, SessionStatus.ERROR).reason());
        events.status(id, SessionStatus.CONNECTED);
        assertSentOnceAfterTheReconnect(id, ids, ids.subList(1, 5));
    }

    /**
     * Fails without the lane taking back what it recorded: the messages queued behind a send that
     * hangs are recorded as handed over with it (one write for all), then never sent; they must be
     * sent after the reconnect like any message the engine never got, not settled as possibly sent.
     */
    @Test
    void messagesRecordedWithASendThatHangsAreSentAfterTheReconnect() throws Exception {
        System.clearProperty(RELEASE);
        startGateway(TestEngines.engine("recordedbehind", "context.connected(\"+100\", \"X\");", "",
                "io.wagateway.plugin.TestInbox.record(\"send:\" + m.messageId());"
                        + " int n = SENDS.incrementAndGet();"
                        // The first send returns once the test has queued the others behind it; the second hangs.
                        + " if (n == 1) { while (!Boolean.getBoolean(\"" + RELEASE + "\")) {"
                        + " try { Thread.sleep(5); } catch (InterruptedException e) { return; } } }"
                        + " else if (n == 2) { hang(); }"),
                "100ms", "3s");
        try {
            String id = session("recorded behind", "recordedbehind");
            assertEquals(202, post("/api/sessions/" + id + "/start"));
            events.status(id, SessionStatus.CONNECTED);
            List<String> ids = sendMessages(id, 6, 20);
            System.setProperty(RELEASE, "true");

            MessageStatusUpdated hung = events.next(id, MessageStatusUpdated.class, m -> true);
            assertEquals(ids.get(1), hung.messageId(), "the send that hung fails first");
            assertEquals(MessageStatus.FAILED, hung.status());
            assertEquals(StatusReason.ENGINE_FAILED, events.status(id, SessionStatus.ERROR).reason());
            events.status(id, SessionStatus.CONNECTED);
            assertSentOnceAfterTheReconnect(id, ids, ids.subList(2, 6));
        } finally {
            System.clearProperty(RELEASE);
        }
    }
}
