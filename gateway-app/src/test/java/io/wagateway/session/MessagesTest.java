package io.wagateway.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.wagateway.api.MessageStatus;
import io.wagateway.api.MessageStatusUpdated;
import io.wagateway.api.SessionStatus;
import io.wagateway.testing.ApiClient;
import io.wagateway.testing.EventRecorder;
import io.wagateway.testing.TestGateway;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Sending messages through the simulator: acks in order, failures, idempotent retries, validation. */
class MessagesTest {

    private static TestGateway gw;
    private static ApiClient alice;
    private static EventRecorder events;
    private static String session;

    @BeforeAll
    static void start() {
        gw = TestGateway.start(Map.of("gateway.messages.max-text-length", "50"));
        alice = gw.api().loginAdmin().createUser("alice", "alice-password-1");
        events = new EventRecorder(gw.gateway().events());
        session = alice.post("/api/sessions", Map.of("name", "sender")).json().get("sessionId").asText();
        assertEquals(409, send(Map.of("to", "+6281234567890", "text", "too early"), Map.of()).status(),
                "messages need CONNECTED");
        assertEquals(202, alice.post("/api/sessions/" + session + "/start", null).status());
        events.qr(session);
        assertEquals(200, alice.post("/api/sessions/" + session + "/actions/scan",
                Map.of("phoneNumber", "+6281234567890", "displayName", "Sender")).status());
        events.status(session, SessionStatus.CONNECTED);
    }

    @AfterAll
    static void stop() throws Exception {
        events.close();
        gw.close();
    }

    private static ApiClient.Response send(Map<String, Object> body, Map<String, String> headers) {
        return alice.post("/api/sessions/" + session + "/messages", body, headers);
    }

    @Test
    void theDatabaseWritersFiguresAreInTheMetrics() {
        long writes = meter("gateway_db_writes_total");
        long commits = meter("gateway_db_commits_total");
        ApiClient.Response r = send(Map.of("to", "+6289876543211", "text", "counted"), Map.of());
        assertEquals(202, r.status(), r.body());
        String id = r.json().get("messageId").asText();
        while (events.message(session, id).status() != MessageStatus.READ) {
            // SENT and DELIVERED come first
        }
        // Stored, handed over, then SENT, DELIVERED and READ: five writes, in at least one commit each
        // of its own kind (a commit holds at most as many writes as it has).
        long moreWrites = meter("gateway_db_writes_total") - writes;
        long moreCommits = meter("gateway_db_commits_total") - commits;
        assertTrue(moreWrites >= 5, moreWrites + " more writes");
        assertTrue(moreCommits >= 1 && moreCommits <= moreWrites, moreCommits + " more commits for " + moreWrites + " writes");
        assertEquals(0, meter("gateway_db_queued"), "nothing waits for the writer once the acks are published");
    }

    /**
     * Fails before the change: the session's executor stored each message and waited for its commit
     * before taking the next, and its engine lane recorded each hand-over in a commit of its own,
     * so one session's sends took at least one commit each, however many came at once.
     */
    @Test
    void oneSessionsConcurrentSendsShareCommits() throws Exception {
        int count = 40;
        long commits = meter("gateway_db_commits_total");
        List<java.util.concurrent.Future<ApiClient.Response>> answers = new ArrayList<>();
        try (var callers = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < count; i++) {
                int n = i;
                answers.add(callers.submit(() -> send(Map.of("to", "+62898000000" + (10 + n), "text", "together " + n), Map.of())));
            }
        }
        List<String> ids = new ArrayList<>();
        for (var answer : answers) {
            ApiClient.Response r = answer.get();
            assertEquals(202, r.status(), r.body());
            ids.add(r.json().get("messageId").asText());
        }
        java.util.Set<String> sent = new java.util.HashSet<>();
        while (sent.size() < count) {
            // SENT comes after the engine got it: stored, then recorded as handed over, both committed.
            sent.add(events.next(session, MessageStatusUpdated.class,
                    e -> e.status() == MessageStatus.SENT && ids.contains(e.messageId())).messageId());
        }
        long used = meter("gateway_db_commits_total") - commits;
        assertTrue(used < count / 2, used + " commits for storing, handing over and acking " + count + " messages");
    }

    /**
     * Fails before the change (sends stored off the session's executor, keys remembered while
     * storing): a retry that came while the first send with its key was still being stored found no
     * message, sent again, and lost to the unique key with an error instead of the first answer.
     */
    @Test
    void concurrentRetriesWithOneIdempotencyKeyGetTheOneMessage() throws Exception {
        int count = 12;
        List<java.util.concurrent.Future<ApiClient.Response>> answers = new ArrayList<>();
        try (var callers = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < count; i++) {
                answers.add(callers.submit(() -> send(Map.of("to", "+6289800000099", "text", "only once"),
                        Map.of("Idempotency-Key", "together-1"))));
            }
        }
        java.util.Set<String> ids = new java.util.HashSet<>();
        int first = 0;
        for (var answer : answers) {
            ApiClient.Response r = answer.get();
            assertEquals(202, r.status(), r.body());
            ids.add(r.json().get("messageId").asText());
            if (r.raw().headers().firstValue("Idempotent-Replayed").isEmpty()) {
                first++;
            }
        }
        assertEquals(1, ids.size(), "one message: " + ids);
        assertEquals(1, first, "one answer is the send, the others replay it");
        String id = ids.iterator().next();
        assertEquals(MessageStatus.SENT, events.message(session, id).status(), "and it went to the engine");
        long copies = 0;
        for (JsonNode m : alice.get("/api/sessions/" + session + "/messages?limit=500").json()) {
            if (m.get("text").asText().equals("only once")) {
                copies++;
            }
        }
        assertEquals(1, copies, "stored once");
    }

    private static long meter(String name) {
        return gw.api().get("/observe/metrics").body().lines().filter(l -> l.startsWith(name + "{") || l.startsWith(name + " "))
                .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst()
                .orElseThrow(() -> new AssertionError(name + " is not in /observe/metrics"));
    }

    @Test
    void acksArriveInOrderAndAreStoredWithHistory() {
        ApiClient.Response r = send(Map.of("to", "+6289876543210", "text", "Halo!"), Map.of());
        assertEquals(202, r.status(), r.body());
        assertEquals("PENDING", r.json().get("status").asText());
        String id = r.json().get("messageId").asText();
        List<MessageStatus> seen = new ArrayList<>();
        MessageStatusUpdated delivered = null;
        while (seen.size() < 3) {
            MessageStatusUpdated e = events.message(session, id);
            seen.add(e.status());
            if (e.status() == MessageStatus.DELIVERED) {
                delivered = e;
            }
        }
        assertEquals(List.of(MessageStatus.SENT, MessageStatus.DELIVERED, MessageStatus.READ), seen);
        assertNotNull(delivered.deliveredAt(), "deliveredAt when delivered");
        JsonNode stored = alice.get("/api/sessions/" + session + "/messages/" + id).json();
        assertEquals("READ", stored.get("status").asText());
        assertEquals("Halo!", stored.get("text").asText());
        List<String> history = new ArrayList<>();
        stored.get("history").forEach(h -> history.add(h.get("status").asText()));
        assertEquals(List.of("PENDING", "SENT", "DELIVERED", "READ"), history);
        assertTrue(stored.has("deliveredAt"));
    }

    @Test
    void anInvalidRecipientEndsFailed() {
        ApiClient.Response r = send(Map.of("to", "0812345", "text", "nobody"), Map.of());
        assertEquals(202, r.status(), "the shape is a phone number; whether it exists is the engine's call");
        String id = r.json().get("messageId").asText();
        MessageStatusUpdated failed = events.message(session, id);
        assertEquals(MessageStatus.FAILED, failed.status());
        assertNull(failed.deliveredAt());
        assertNotNull(failed.error());
        assertEquals("FAILED", alice.get("/api/sessions/" + session + "/messages/" + id).json().get("status").asText());
    }

    @Test
    void aRetriedSendWithTheSameIdempotencyKeyIsNotSentTwice() {
        Map<String, String> key = Map.of("Idempotency-Key", "order-42-confirmation");
        ApiClient.Response first = send(Map.of("to", "+6281111111111", "text", "once"), key);
        ApiClient.Response retry = send(Map.of("to", "+6281111111111", "text", "once"), key);
        assertEquals(202, first.status());
        assertEquals(202, retry.status());
        String id = first.json().get("messageId").asText();
        assertEquals(id, retry.json().get("messageId").asText());
        assertEquals("true", retry.raw().headers().firstValue("Idempotent-Replayed").orElse(""));
        long copies = 0;
        for (JsonNode m : alice.get("/api/sessions/" + session + "/messages?limit=500").json()) {
            if (m.get("text").asText().equals("once")) {
                copies++;
            }
        }
        assertEquals(1, copies, "stored once");
        ApiClient.Response other = send(Map.of("to", "+6281111111111", "text", "once"), Map.of("Idempotency-Key", "other"));
        assertTrue(!other.json().get("messageId").asText().equals(id), "another key is another message");
    }

    @Test
    void messageIdsAreTimeOrderedUuids() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ApiClient.Response r = send(Map.of("to", "+6281111111111", "text", "order " + i), Map.of());
            assertEquals(202, r.status());
            ids.add(r.json().get("messageId").asText());
        }
        for (String id : ids) {
            assertEquals(7, java.util.UUID.fromString(id).version(), "a UUIDv7: " + id);
        }
        assertEquals(ids.stream().sorted().toList(), ids, "each later message sorts after the earlier ones");
    }

    @Test
    void badMessagesAre400() {
        assertEquals(400, send(Map.of("to", "not-a-number", "text", "x"), Map.of()).status());
        assertEquals(400, send(Map.of("to", "+628123", "text", "x".repeat(51)), Map.of()).status());
        assertEquals(400, send(Map.of("to", "+628123456"), Map.of()).status());
        assertEquals(400, send(Map.of("to", 62812345, "text", "x"), Map.of()).status());
        assertEquals(400, send(Map.of("to", "+628123456", "text", "x"), Map.of("Idempotency-Key", "has space")).status());
        assertEquals(404, alice.get("/api/sessions/" + session + "/messages/no-such-message").status());
        assertEquals(400, alice.get("/api/sessions/" + session + "/messages?limit=0").status());
    }
}
