package io.wagateway.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.wagateway.api.GatewayEvent;
import io.wagateway.api.InboundMessage;
import io.wagateway.api.MessageReceived;
import io.wagateway.api.SessionStatus;
import io.wagateway.event.EventBus;
import io.wagateway.event.EventOutbox;
import io.wagateway.store.Database;
import io.wagateway.store.GroupCommit;
import io.wagateway.testing.OnBothDatabases;
import io.wagateway.testing.ApiClient;
import io.wagateway.testing.EventRecorder;
import io.wagateway.testing.GroupCommitFixture;
import io.wagateway.testing.HeldWriter;
import io.wagateway.testing.TestDatabases;
import io.wagateway.testing.TestGateway;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Inbound messages from an engine (the simulator's {@code receive}): stored, then published as
 * {@code message_received}, listed with {@code direction=in}, kept across a restart.
 */
class InboundMessagesTest {

    private static final String FROM = "+6289876543210";
    private static final int BURST = 50;

    @Test
    void receivedMessagesArePublishedListedAndSurviveARestart() throws Exception {
        Path dataDir = TestDatabases.tempDir();
        String session;
        List<String> ids = new ArrayList<>();
        try {
            try (TestGateway gw = TestGateway.startOn(dataDir, Map.of());
                 EventRecorder events = new EventRecorder(gw.gateway().events())) {
                ApiClient alice = gw.api().loginAdmin().createUser("alice", "alice-password-1");
                ApiClient bob = gw.api().loginAdmin().createUser("bob", "bob-password-12");
                session = alice.post("/api/sessions", Map.of("name", "inbox")).json().get("sessionId").asText();
                String base = "/api/sessions/" + session;
                assertEquals(409, receive(alice, session, Map.of("from", FROM, "text", "too early")).status(),
                        "the engine is not running");
                alice.post(base + "/start", null);
                events.qr(session);
                assertEquals(409, receive(alice, session, Map.of("from", FROM, "text", "still linking")).status(),
                        "only a connected account receives");
                alice.post(base + "/actions/scan", Map.of("phoneNumber", "+6281234567890", "displayName", "Inbox"));
                events.status(session, SessionStatus.CONNECTED);

                ApiClient.Response r = receive(alice, session, Map.of("from", FROM, "text", "Halo!", "fromName", "Siti"));
                assertEquals(200, r.status(), r.body());
                String first = r.json().get("messageId").asText();
                MessageReceived event = events.next(session, MessageReceived.class, e -> true);
                assertEquals(List.of(session, alice.get("/api/auth/me").json().get("id").asText()),
                        List.of(event.sessionId(), event.userId()));
                assertEquals(List.of(first, FROM, "Siti", "6289876543210@s.whatsapp.net", "Halo!", "text"),
                        List.of(event.messageId(), event.from(), event.fromName(), event.chatId(), event.text(), event.messageType()));
                ids.add(first);
                String second = receive(alice, session, Map.of("from", FROM, "text", "Kedua")).json().get("messageId").asText();
                assertNull(events.next(session, MessageReceived.class, e -> e.messageId().equals(second)).fromName());
                ids.add(second);

                JsonNode in = alice.get(base + "/messages?direction=in").json();
                assertEquals(List.of(second, first), messageIds(in), "newest first");
                JsonNode stored = in.get(1);
                assertEquals(List.of(session, FROM, "Siti", "6289876543210@s.whatsapp.net", "Halo!", "text"),
                        List.of(stored.get("sessionId").asText(), stored.get("from").asText(),
                                stored.get("fromName").asText(), stored.get("chatId").asText(),
                                stored.get("text").asText(), stored.get("type").asText()));
                assertEquals(event.timestamp().toString(), Instant.parse(stored.get("timestamp").asText()).toString());
                assertTrue(stored.has("receivedAt"));
                assertFalse(in.get(0).has("fromName"), "absent fields are left out");
                assertEquals(List.of(second), messageIds(alice.get(base + "/messages?direction=in&limit=1").json()));
                assertEquals(List.of(), messageIds(alice.get(base + "/messages").json()), "direction=out is the default");
                assertEquals(List.of(), messageIds(alice.get(base + "/messages?direction=out").json()));
                assertEquals(400, alice.get(base + "/messages?direction=sideways").status());
                assertEquals(400, alice.get(base + "/messages?direction=in&limit=0").status());
                assertEquals(404, bob.get(base + "/messages?direction=in").status(), "another user's session");
            }
            try (TestGateway again = TestGateway.startOn(dataDir, Map.of())) {
                ApiClient alice = again.api().login("alice", "alice-password-1");
                assertEquals(List.of(ids.get(1), ids.get(0)),
                        messageIds(alice.get("/api/sessions/" + session + "/messages?direction=in").json()),
                        "stored rows survive the restart");
                assertEquals(204, alice.delete("/api/sessions/" + session).status());
            }
        } finally {
            TestGateway.deleteTree(dataDir);
        }
    }

    @Test
    void aRepeatIsIgnoredAndAnUnstorableOneDroppedWhileLongNamesAreShortened() {
        Path dataDir = TestDatabases.tempDir();
        try (TestDatabases.Target target = TestDatabases.embedded(); Database db = Database.open(target.settings(), dataDir)) {
            InboundMessageStore store = new InboundMessageStore(db.client());
            EventBus bus = new EventBus();
            List<GatewayEvent> published = new ArrayList<>();
            bus.subscribe(published::add);
            InboundMessages inbound = new InboundMessages(store, bus, Clock.systemUTC());
            Instant t = Instant.parse("2026-12-01T10:00:00.123456Z");
            InboundMessage m = new InboundMessage("3EB0A", FROM, "a" + "😀".repeat(60), "c@s.whatsapp.net", null, "image", t);

            inbound.received("s1", "u1", m);
            inbound.received("s1", "u1", m);
            inbound.received("s2", "u1", m);
            inbound.received("s1", "u1", new InboundMessage("x".repeat(129), FROM, null, "c", null, "text", t));

            assertEquals(2, published.size(), "once per session, the unstorable one not at all: " + published);
            MessageReceived event = (MessageReceived) published.getFirst();
            assertEquals("a" + "😀".repeat(49), event.fromName(), "at most 100 UTF-16 units, no half character");
            assertEquals(Instant.parse("2026-12-01T10:00:00.123Z"), event.timestamp());
            List<ReceivedMessage> listed = store.list("s1", 10);
            assertEquals(1, listed.size());
            assertEquals(event.fromName(), listed.getFirst().fromName());
            assertNull(listed.getFirst().text());
        } finally {
            TestGateway.deleteTree(dataDir);
        }
    }

    /**
     * A burst of arrivals (a reconnect's offline messages) as the session's executor queues them:
     * none waits for a commit (the writer is held meanwhile), they share one, and each is published
     * once stored, in order.
     */
    @OnBothDatabases
    void aBurstOfArrivalsSharesOneCommitWithoutWaitingAndEachIsPublishedOnceStoredInOrder(
            Supplier<TestDatabases.Target> which) throws Exception {
        try (GroupCommitFixture fx = GroupCommitFixture.open(which, d -> GroupCommit.start(d.client(), Duration.ZERO))) {
            InboundMessageStore store = new InboundMessageStore(fx.db().client(), EventOutbox.NONE, fx.group());
            EventBus bus = new EventBus();
            List<String> published = Collections.synchronizedList(new ArrayList<>());
            List<String> notStoredWhenPublished = Collections.synchronizedList(new ArrayList<>());
            bus.subscribe(event -> {
                if (event instanceof MessageReceived r) {
                    published.add(r.messageId());
                    // Another connection reads it: committed before it was published.
                    if (store.list("s1", BURST + 1).stream().noneMatch(m -> m.messageId().equals(r.messageId()))) {
                        notStoredWhenPublished.add(r.messageId());
                    }
                }
            });
            InboundMessages inbound = new InboundMessages(store, bus, Clock.systemUTC());
            Instant t = Instant.parse("2026-12-01T10:00:00Z");
            List<InboundMessage> burst = new ArrayList<>();
            for (int i = 0; i < BURST; i++) {
                burst.add(new InboundMessage("3EB0" + i, FROM, null, "c@s.whatsapp.net", "offline " + i, "text",
                        t.plusMillis(i)));
            }
            burst.add(burst.getFirst()); // the engine reports the first one again, in the same batch

            CountDownLatch release = HeldWriter.hold(fx.group(), fx.callers());
            long before = fx.group().commits();
            fx.callers().submit(() -> burst.forEach(m -> inbound.received("s1", "u1", m))).get(10, TimeUnit.SECONDS);
            assertTrue(published.isEmpty(), "nothing published before its commit");
            // Queued behind the burst on the one writer thread: once it completes, the burst's
            // writes have completed (and their events are published).
            CompletableFuture<Object> last = fx.group().submit(tx -> null);
            release.countDown();
            last.get(30, TimeUnit.SECONDS);

            assertEquals(2, fx.group().commits() - before,
                    "the held write's commit, then one for the whole burst: the repeat did not fail the batch");
            assertEquals(burst.subList(0, BURST).stream().map(InboundMessage::messageId).toList(), published,
                    "each published once, in the order reported");
            assertEquals(List.of(), notStoredWhenPublished);
            assertEquals(BURST, store.list("s1", BURST + 1).size());
        }
    }

    private static ApiClient.Response receive(ApiClient client, String session, Map<String, Object> params) {
        return client.post("/api/sessions/" + session + "/actions/receive", params);
    }

    private static List<String> messageIds(JsonNode list) {
        List<String> ids = new ArrayList<>();
        list.forEach(m -> ids.add(m.get("messageId").asText()));
        return ids;
    }
}
