package io.wagateway.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.wagateway.api.GatewayEvent;
import io.wagateway.api.MessageStatus;
import io.wagateway.api.MessageStatusUpdated;
import io.wagateway.api.SessionStatus;
import io.wagateway.api.StatusReason;
import io.wagateway.store.Database;
import io.wagateway.testing.ApiClient;
import io.wagateway.testing.Await;
import io.wagateway.testing.EventRecorder;
import io.wagateway.testing.TestDatabases;
import io.wagateway.testing.TestGateway;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * No message stays in flight when its engine session ends (stop, plugin removed, gateway restart):
 * what the engine got and never confirmed ends {@code FAILED}; what it never got is sent on the
 * next connection, or ends {@code FAILED} when none follows by itself. The simulator's acks are
 * slowed down so that messages stay {@code PENDING} while the test ends their engine session.
 */
class MessageSettlementTest {

    private static final Map<String, String> SLOW_ACKS = Map.of("gateway.engines.simulator.ack-sent-delay", "10m");
    private static final Set<String> SETTLED = Set.of(OutgoingMessages.UNCONFIRMED, OutgoingMessages.NOT_HANDED_OVER);

    private static String linked(ApiClient alice, EventRecorder events, String name, String phone) {
        String id = alice.post("/api/sessions", Map.of("name", name)).json().get("sessionId").asText();
        assertEquals(202, alice.post("/api/sessions/" + id + "/start", null).status());
        events.qr(id);
        alice.post("/api/sessions/" + id + "/actions/scan", Map.of("phoneNumber", phone, "displayName", name));
        events.status(id, SessionStatus.CONNECTED);
        return id;
    }

    private static List<String> send(ApiClient alice, String session, int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ApiClient.Response r = alice.post("/api/sessions/" + session + "/messages",
                    Map.of("to", "+62812000000" + (10 + i), "text", "message " + i));
            assertEquals(202, r.status(), r.body());
            ids.add(r.json().get("messageId").asText());
        }
        return ids;
    }

    /** The next {@code count} message events of the session, by message id. */
    private static Map<String, MessageStatusUpdated> messageEvents(EventRecorder events, String session, int count) {
        Map<String, MessageStatusUpdated> seen = new HashMap<>();
        for (int i = 0; i < count; i++) {
            MessageStatusUpdated e = events.next(session, MessageStatusUpdated.class, m -> true);
            assertEquals(null, seen.put(e.messageId(), e), "one event per message: " + e);
        }
        return seen;
    }

    private static void assertSettledFailed(Map<String, MessageStatusUpdated> seen, List<String> ids) {
        assertEquals(Set.copyOf(ids), seen.keySet());
        for (MessageStatusUpdated e : seen.values()) {
            assertEquals(MessageStatus.FAILED, e.status(), e.toString());
            assertTrue(SETTLED.contains(e.error()), "the reason says why: " + e.error());
        }
    }

    private static JsonNode stored(ApiClient alice, String session, String messageId) {
        return alice.get("/api/sessions/" + session + "/messages/" + messageId).json();
    }

    /** Fails before the change: the 20 messages stayed PENDING for good, no event came. */
    @Test
    void aStopSettlesTwentyPendingMessagesAndTheNextStartSendsNoneOfThemAgain() throws Exception {
        try (TestGateway gw = TestGateway.start(SLOW_ACKS);
             EventRecorder events = new EventRecorder(gw.gateway().events())) {
            ApiClient alice = gw.api().loginAdmin().createUser("alice", "alice-password-1");
            String session = linked(alice, events, "twenty", "+6281200000001");
            List<String> ids = send(alice, session, 20);

            assertEquals(202, alice.post("/api/sessions/" + session + "/stop", null).status());
            assertEquals(StatusReason.STOPPED, events.status(session, SessionStatus.DISCONNECTED).reason());
            assertSettledFailed(messageEvents(events, session, 20), ids);

            assertEquals(202, alice.post("/api/sessions/" + session + "/start", null).status());
            events.status(session, SessionStatus.CONNECTED);
            List<GatewayEvent> later = events.drain(Duration.ofMillis(500)).stream()
                    .filter(e -> e instanceof MessageStatusUpdated).toList();
            assertEquals(List.of(), later, "settled messages stay settled");
            for (String id : ids) {
                JsonNode m = stored(alice, session, id);
                assertEquals("FAILED", m.get("status").asText());
                assertTrue(SETTLED.contains(m.get("error").asText()), m.toString());
            }
        }
    }

    /** Fails before the change: removing the engine left its messages PENDING. */
    @Test
    void removingTheEnginePluginSettlesTheMessagesItHad() throws Exception {
        Map<String, String> settings = new HashMap<>(SLOW_ACKS);
        settings.put("gateway.plugins.debounce", "100ms");
        try (TestGateway gw = TestGateway.start(settings);
             EventRecorder events = new EventRecorder(gw.gateway().events())) {
            ApiClient alice = gw.api().loginAdmin().createUser("alice", "alice-password-1");
            String session = linked(alice, events, "removed", "+6281200000002");
            List<String> ids = send(alice, session, 5);

            Files.delete(gw.dataDir().resolve("plugins").resolve(TestGateway.simulatorJar().getFileName()));
            assertEquals(StatusReason.ENGINE_UNAVAILABLE, events.status(session, SessionStatus.ERROR).reason());
            Map<String, MessageStatusUpdated> seen = messageEvents(events, session, 5);
            assertSettledFailed(seen, ids);
            seen.values().forEach(e -> assertEquals(OutgoingMessages.UNCONFIRMED, e.error(), "the engine had them all"));
        }
    }

    /**
     * Fails before the change: after a restart the messages the last run's engine had stayed
     * PENDING, and so did one stored but never handed over (a crash in between), even when retried
     * with its Idempotency-Key.
     */
    @Test
    void aRestartSettlesWhatTheLastRunLeftAndSendsWhatNoEngineGot() throws Exception {
        Path dataDir = TestDatabases.tempDir();
        try {
            String resumed;
            String idle;
            List<String> handed;
            try (TestGateway first = TestGateway.startOn(dataDir, SLOW_ACKS);
                 EventRecorder events = new EventRecorder(first.gateway().events())) {
                ApiClient alice = first.api().loginAdmin().createUser("alice", "alice-password-1");
                resumed = linked(alice, events, "resumed", "+6281200000003");
                idle = alice.post("/api/sessions", Map.of("name", "idle")).json().get("sessionId").asText();
                handed = send(alice, resumed, 3);
            }
            // What a crash between storing a message and handing it to the engine leaves behind.
            String waiting = UUID.randomUUID().toString();
            String stranded = UUID.randomUUID().toString();
            try (Database db = Database.open(TestDatabases.embedded().settings(), dataDir)) {
                MessageStore messages = new MessageStore(db.client());
                Instant t = Instant.now().truncatedTo(ChronoUnit.MILLIS);
                messages.insert(new Message(waiting, resumed, "+6281299999999", "never handed over",
                        MessageStatus.PENDING, null, "retry-me", t, t, null, List.of()));
                messages.insert(new Message(stranded, idle, "+6281299999998", "its session is not resumed",
                        MessageStatus.PENDING, null, null, t, t, null, List.of()));
            }

            try (TestGateway second = TestGateway.startOn(dataDir, Map.of())) {
                ApiClient alice = second.api().login("alice", "alice-password-1");
                // The boot's settling was queued first on each session: a snapshot runs after it.
                second.gateway().sessions().withSnapshot(resumed, snap -> { }).join();
                second.gateway().sessions().withSnapshot(idle, snap -> { }).join();
                for (String id : handed) {
                    JsonNode m = stored(alice, resumed, id);
                    assertEquals("FAILED", m.get("status").asText(), m.toString());
                    assertEquals(OutgoingMessages.UNCONFIRMED, m.get("error").asText());
                }
                JsonNode lost = stored(alice, idle, stranded);
                assertEquals("FAILED", lost.get("status").asText(), lost.toString());
                assertEquals(OutgoingMessages.NOT_HANDED_OVER, lost.get("error").asText());

                ApiClient.Response retry = alice.post("/api/sessions/" + resumed + "/messages",
                        Map.of("to", "+6281299999999", "text", "never handed over"), Map.of("Idempotency-Key", "retry-me"));
                assertEquals(202, retry.status(), retry.body());
                assertEquals(waiting, retry.json().get("messageId").asText(), "the same message, not a second one");
                assertEquals("true", retry.raw().headers().firstValue("Idempotent-Replayed").orElse(""));
                Await.until("the message no engine got is sent once the session is back",
                        () -> stored(alice, resumed, waiting).get("status").asText().equals("READ"),
                        () -> stored(alice, resumed, waiting));
                List<String> history = new ArrayList<>();
                stored(alice, resumed, waiting).get("history").forEach(h -> history.add(h.get("status").asText()));
                assertEquals(List.of("PENDING", "SENT", "DELIVERED", "READ"), history);
            }
        } finally {
            TestGateway.deleteTree(dataDir);
        }
    }
}
