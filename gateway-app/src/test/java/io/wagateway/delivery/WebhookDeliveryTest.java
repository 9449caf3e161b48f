package io.wagateway.delivery;

import static io.wagateway.delivery.WebhookTesting.deliveredBySession;
import static io.wagateway.delivery.WebhookTesting.deliveries;
import static io.wagateway.delivery.WebhookTesting.expect;
import static io.wagateway.delivery.WebhookTesting.linkAndStop;
import static io.wagateway.delivery.WebhookTesting.queuedBySession;
import static io.wagateway.delivery.WebhookTesting.subscribe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.wagateway.http.Json;
import io.wagateway.testing.ApiClient;
import io.wagateway.testing.Await;
import io.wagateway.testing.ClosedAfterEach;
import io.wagateway.testing.TestDatabases;
import io.wagateway.testing.TestGateway;
import io.wagateway.testing.TestSessions;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The webhook sink end to end: a real gateway with the simulator and the webhook plugin jars, a
 * real HTTP receiver, the npm {@code standardwebhooks} package as the independent verifier.
 */
class WebhookDeliveryTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @RegisterExtension
    final ClosedAfterEach resources = new ClosedAfterEach();
    private final Path dataDir = resources.dataDir();

    private <T extends AutoCloseable> T keep(T c) {
        return resources.keep(c);
    }

    /** The settings with a fresh MariaDB database (dropped after the test). */
    private Map<String, String> onMariaDb(Map<String, String> base) {
        TestDatabases.Target mariadb = TestDatabases.mariadb();
        resources.keep(mariadb);
        Map<String, String> settings = new java.util.HashMap<>(base);
        settings.putAll(TestDatabases.overrides(mariadb));
        return settings;
    }

    @Test
    void signedEventsVerifyWithStandardWebhooksInOrderPerSession() throws Exception {
        WebhookReceiver receiver = keep(new WebhookReceiver());
        TestGateway gw = keep(WebhookTesting.start(dataDir, WebhookTesting.fast(true, "5")));
        ApiClient admin = gw.api().loginAdmin();
        JsonNode sub = subscribe(admin, receiver.url(), null, List.of());
        String secret = sub.get("secret").asText();
        assertTrue(secret.startsWith("whsec_"), secret);
        assertFalse(admin.get("/api/webhooks/" + sub.get("id").asText()).body().contains(secret), "the secret is shown once");
        assertFalse(admin.get("/api/webhooks").body().contains(secret));

        List<String> published = new java.util.concurrent.CopyOnWriteArrayList<>();
        gw.gateway().events().subscribe(e -> published.add(e.eventId()));
        String a = TestSessions.create(gw, admin, "hook a");
        String b = TestSessions.create(gw, admin, "hook b");
        linkAndStop(admin, a);
        linkAndStop(admin, b);
        Await.until("every event delivered", PATIENCE, () -> receiver.delivered().size() >= published.size()
                && WebhookTesting.allDelivered(admin, sub.get("id").asText()), receiver::requests);

        List<WebhookReceiver.Request> got = receiver.delivered();
        assertEquals(new HashSet<>(published), got.stream().map(WebhookReceiver.Request::id).collect(java.util.stream.Collectors.toSet()));
        assertEquals(queuedBySession(deliveries(admin, sub.get("id").asText())), deliveredBySession(got));
        JsonNode first = Json.MAPPER.readTree(got.getFirst().body());
        assertEquals(List.of("id", "type", "timestamp", "sessionId", "data"), fieldNames(first));
        assertEquals(got.getFirst().id(), first.get("id").asText());
        assertEquals(first.get("sessionId").asText(), first.get("data").get("sessionId").asText());
        assertEquals("verified " + got.size(), WebhookTesting.verifyWithStandardWebhooks(secret, got));

        String metrics = gw.api().get("/observe/metrics").body();
        for (String name : List.of("gateway_sink_delivered_total", "gateway_sink_failed_total", "gateway_sink_dead",
                "gateway_sink_pending", "gateway_sink_oldest_pending_age_seconds")) {
            assertTrue(metrics.lines().anyMatch(l -> l.startsWith(name + "{") && l.contains("sink=\"webhook\"")),
                    name + " in " + metrics.lines().filter(l -> l.contains("gateway_sink")).toList());
        }
        assertTrue(metrics.lines().anyMatch(l -> l.startsWith("gateway_sink_delivered_total{")
                && l.endsWith(" " + got.size() + ".0")), metrics.lines().filter(l -> l.contains("delivered")).toList().toString());
    }

    @Test
    void receiverDownThenBackGetsEveryEventInOrderPerSession() throws Exception {
        WebhookReceiver receiver = keep(new WebhookReceiver());
        TestGateway gw = keep(WebhookTesting.start(dataDir, WebhookTesting.fast(true, "1000")));
        ApiClient admin = gw.api().loginAdmin();
        String subId = subscribe(admin, receiver.url(), null, List.of()).get("id").asText();
        receiver.stop();
        String a = TestSessions.create(gw, admin, "down a");
        String b = TestSessions.create(gw, admin, "down b");
        String c = TestSessions.create(gw, admin, "down c");
        linkAndStop(admin, a);
        linkAndStop(admin, b);
        linkAndStop(admin, c);
        Await.until("attempts failing while the receiver is down", PATIENCE, () -> deliveries(admin, subId).stream()
                .anyMatch(d -> d.get("attempts").asInt() >= 2 && d.path("lastError").asText().contains("Cannot deliver")),
                () -> deliveries(admin, subId));
        receiver.start();
        Await.until("every event delivered", PATIENCE, () -> WebhookTesting.allDelivered(admin, subId),
                () -> deliveries(admin, subId));
        List<JsonNode> queued = deliveries(admin, subId);
        assertEquals(15, queued.size(), "three link-and-stop cycles, five events each");
        assertEquals(queuedBySession(queued), deliveredBySession(receiver.delivered()));
    }

    @Test
    void aBacklogInFullRoundsWithOverlappedWriteBacksComesInOrderOnMariaDb() throws Exception {
        Map<String, String> settings = onMariaDb(WebhookTesting.fast(true, "1000"));
        // Rounds of two rows: with a backlog every round is full, so on MariaDB each write-back runs
        // while the next round claims past the rows it settled.
        settings.put("gateway.delivery.batch-size", "2");
        WebhookReceiver receiver = keep(new WebhookReceiver());
        TestGateway gw = keep(WebhookTesting.start(dataDir, settings));
        ApiClient admin = gw.api().loginAdmin();
        String subId = subscribe(admin, receiver.url(), null, List.of()).get("id").asText();
        receiver.stop();
        List<String> sessions = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            sessions.add(TestSessions.create(gw, admin, "backlog " + i));
        }
        for (String s : sessions) {
            linkAndStop(admin, s);
        }
        receiver.start();
        Await.until("every event delivered", PATIENCE, () -> WebhookTesting.allDelivered(admin, subId),
                () -> deliveries(admin, subId));
        List<JsonNode> queued = deliveries(admin, subId);
        assertEquals(20, queued.size(), "four link-and-stop cycles, five events each");
        assertEquals(queuedBySession(queued), deliveredBySession(receiver.delivered()));
        assertEquals(20, receiver.delivered().size(), "each accepted once: no round sent a row another had settled");
    }

    @Test
    void pendingDeliveriesSurviveARestartWithTheSameWebhookId() throws Exception {
        restartWithPendingDeliveries(WebhookTesting.fast(true, "1000"));
    }

    @Test
    void pendingDeliveriesSurviveARestartOnMariaDb() throws Exception {
        Map<String, String> settings = onMariaDb(WebhookTesting.fast(true, "1000"));
        restartWithPendingDeliveries(settings);
    }

    private void restartWithPendingDeliveries(Map<String, String> settings) throws Exception {
        WebhookReceiver receiver = keep(new WebhookReceiver());
        TestGateway first = WebhookTesting.start(dataDir, settings);
        ApiClient admin = first.api().loginAdmin();
        String subId = subscribe(admin, receiver.url(), null, List.of()).get("id").asText();
        receiver.answer(id -> 503);
        String a = TestSessions.create(first, admin, "restart a");
        String b = TestSessions.create(first, admin, "restart b");
        linkAndStop(admin, a);
        linkAndStop(admin, b);
        Await.until("both sessions' first events refused at least twice", PATIENCE, () -> receiver.requests().stream()
                .map(WebhookReceiver.Request::id).distinct().count() >= 2 && receiver.requests().size() >= 4,
                receiver::requests);
        List<JsonNode> before = deliveries(admin, subId);
        first.close();
        Set<String> refusedIds = new HashSet<>();
        receiver.requests().forEach(r -> refusedIds.add(r.id()));

        receiver.answer(id -> 200);
        TestGateway second = keep(WebhookTesting.start(dataDir, settings));
        ApiClient admin2 = second.api().loginAdmin();
        Await.until("every event delivered after the restart", PATIENCE, () -> WebhookTesting.allDelivered(admin2, subId),
                () -> deliveries(admin2, subId));
        List<JsonNode> after = deliveries(admin2, subId);
        assertTrue(after.size() >= before.size(), "nothing queued before the restart is lost");
        Map<String, List<String>> delivered = deliveredBySession(receiver.delivered());
        assertEquals(queuedBySession(after), delivered);
        Set<String> deliveredIds = new HashSet<>();
        delivered.values().forEach(deliveredIds::addAll);
        assertTrue(deliveredIds.containsAll(refusedIds), "each refused event came again with its webhook-id");
        before.forEach(d -> assertTrue(deliveredIds.contains(d.get("eventId").asText()), d.toString()));
    }

    @Test
    void deadAfterMaxAttemptsThenAManualRetryDelivers() {
        WebhookReceiver receiver = keep(new WebhookReceiver());
        TestGateway gw = keep(WebhookTesting.start(dataDir, WebhookTesting.fast(true, "3")));
        ApiClient admin = gw.api().loginAdmin();
        String subId = subscribe(admin, receiver.url(), null, List.of("session_status_changed")).get("id").asText();
        receiver.answer(id -> 500);
        String a = TestSessions.create(gw, admin, "dead a");
        expect(admin.post("/api/sessions/" + a + "/start", Map.of()), 202);
        Await.until("both status events dead", PATIENCE, () -> deliveries(admin, subId).size() >= 2
                && deliveries(admin, subId).stream().allMatch(d -> d.get("status").asText().equals("DEAD")),
                () -> deliveries(admin, subId));
        JsonNode dead = deliveries(admin, subId).getFirst();
        assertEquals(3, dead.get("attempts").asInt());
        assertEquals("HTTP 500 from " + receiver.url().replace("/hooks", ""), dead.get("lastError").asText());
        JsonNode one = expect(admin.get("/api/deliveries/" + dead.get("id").asLong()), 200).json();
        assertEquals("DEAD", one.get("status").asText());
        assertEquals(3, receiver.requests().stream().filter(r -> r.id().equals(dead.get("eventId").asText())).count());

        receiver.answer(id -> 200);
        expect(admin.post("/api/deliveries/" + dead.get("id").asLong() + "/retry", Map.of()), 202);
        Await.until("the retried one delivered", PATIENCE, () -> admin.get("/api/deliveries/" + dead.get("id").asLong())
                .json().get("status").asText().equals("DELIVERED"), () -> "(see the API)");
        JsonNode queued = expect(admin.post("/api/webhooks/" + subId + "/retry-dead", Map.of()), 202).json();
        assertTrue(queued.get("queued").asLong() >= 1, queued.toString());
        Await.until("all delivered", PATIENCE, () -> WebhookTesting.allDelivered(admin, subId),
                () -> deliveries(admin, subId));
        assertEquals(deliveries(admin, subId).size(), receiver.delivered().stream().map(WebhookReceiver.Request::id).distinct().count());
    }

    @Test
    void privateTargetsAreRefusedOnTheResolvedAddress() {
        WebhookReceiver receiver = keep(new WebhookReceiver());
        TestGateway gw = keep(WebhookTesting.start(dataDir, WebhookTesting.fast(false, "3")));
        ApiClient admin = gw.api().loginAdmin();
        // A name, not an address: refused on what it resolves to.
        String subId = subscribe(admin, receiver.url("localhost"), null, List.of("session_status_changed")).get("id").asText();
        String a = TestSessions.create(gw, admin, "private a");
        expect(admin.post("/api/sessions/" + a + "/start", Map.of()), 202);
        Await.until("refused", PATIENCE, () -> !deliveries(admin, subId).isEmpty()
                && deliveries(admin, subId).getFirst().get("status").asText().equals("DEAD"), () -> deliveries(admin, subId));
        JsonNode dead = deliveries(admin, subId).getFirst();
        assertTrue(dead.get("lastError").asText().contains("loopback"), dead.toString());
        assertEquals(1, dead.get("attempts").asInt(), "refused at once, not retried");
        assertTrue(receiver.requests().isEmpty(), "nothing reached the receiver");
    }

    @Test
    void gone410DisablesTheSubscription() {
        WebhookReceiver receiver = keep(new WebhookReceiver());
        TestGateway gw = keep(WebhookTesting.start(dataDir, WebhookTesting.fast(true, "5")));
        ApiClient admin = gw.api().loginAdmin();
        String subId = subscribe(admin, receiver.url(), null, List.of()).get("id").asText();
        receiver.answer(id -> 410);
        String a = TestSessions.create(gw, admin, "gone a");
        expect(admin.post("/api/sessions/" + a + "/start", Map.of()), 202);
        Await.until("disabled", PATIENCE, () -> !admin.get("/api/webhooks/" + subId).json().get("enabled").asBoolean(), () -> "(see the API)");
        JsonNode s = admin.get("/api/webhooks/" + subId).json();
        assertTrue(s.get("disabledReason").asText().contains("410"), s.toString());
        assertEquals(1, receiver.requests().size(), "nothing more was sent after the 410");
        int rows = deliveries(admin, subId).size();
        expect(admin.post("/api/sessions/" + a + "/stop", Map.of()), 202);
        Await.until("stopped", () -> admin.get("/api/sessions/" + a).json().get("status").asText().equals("DISCONNECTED"));
        assertEquals(rows, deliveries(admin, subId).size(), "no event is queued for a disabled subscription");
        assertTrue(deliveries(admin, subId).stream().allMatch(d -> d.get("status").asText().equals("DEAD")));
        assertEquals(409, admin.post("/api/webhooks/" + subId + "/replay",
                Map.of("from", "2020-01-01T00:00:00.000Z", "to", "2099-01-01T00:00:00.000Z")).status());
    }

    @Test
    void replayResendsATimeRangeWithTheSameIds() {
        WebhookReceiver receiver = keep(new WebhookReceiver());
        TestGateway gw = keep(WebhookTesting.start(dataDir, WebhookTesting.fast(true, "5")));
        ApiClient admin = gw.api().loginAdmin();
        String a = TestSessions.create(gw, admin, "replay a");
        Instant from = Instant.now().minusSeconds(1);
        linkAndStop(admin, a);
        // Subscribed after the events: the replay is its first delivery of them.
        String subId = subscribe(admin, receiver.url(), a, List.of()).get("id").asText();
        JsonNode replayed = expect(admin.post("/api/webhooks/" + subId + "/replay",
                Map.of("from", from.toString(), "to", Instant.now().plusSeconds(1).toString())), 202).json();
        assertEquals(5, replayed.get("queued").asLong());
        Await.until("replayed", PATIENCE, () -> receiver.delivered().size() == 5, receiver::requests);
        expect(admin.post("/api/webhooks/" + subId + "/replay",
                Map.of("from", from.toString(), "to", Instant.now().plusSeconds(1).toString())), 202);
        Await.until("replayed again", PATIENCE, () -> receiver.delivered().size() == 10, receiver::requests);
        List<String> ids = receiver.delivered().stream().map(WebhookReceiver.Request::id).toList();
        assertEquals(ids.subList(0, 5), ids.subList(5, 10), "the same events, the same ids, the same order");
    }

    /**
     * The auditor's case: a session's first events happened before the subscription existed, its
     * CONNECTED after (queued and delivered); a replay from before the session was made sends all
     * four in the order they happened, not the one queued before first.
     */
    @Test
    void aReplayOfEventsFromBeforeTheSubscriptionComesInTheirOrder() throws Exception {
        WebhookReceiver receiver = keep(new WebhookReceiver());
        TestGateway gw = keep(WebhookTesting.start(dataDir, WebhookTesting.fast(true, "5")));
        ApiClient admin = gw.api().loginAdmin();
        Instant from = Instant.now().minusSeconds(1);
        String a = TestSessions.create(gw, admin, "replay order");
        List<String> published = new java.util.concurrent.CopyOnWriteArrayList<>();
        gw.gateway().events().subscribe(e -> {
            if (e.sessionId().equals(a)) {
                published.add(e.eventId());
            }
        });
        expect(admin.post("/api/sessions/" + a + "/start", Map.of()), 202);
        Await.until("QR of " + a, () -> admin.get("/api/sessions/" + a + "/qr").status() == 200);
        String subId = subscribe(admin, receiver.url(), a, List.of()).get("id").asText();
        expect(admin.post("/api/sessions/" + a + "/actions/scan",
                Map.of("phoneNumber", "+6281234567890", "displayName", "Test")), 200);
        Await.until("CONNECTED delivered", PATIENCE, () -> labels(receiver.delivered()).contains("CONNECTED")
                && WebhookTesting.allDelivered(admin, subId), receiver::requests);
        int live = receiver.delivered().size();

        JsonNode replayed = expect(admin.post("/api/webhooks/" + subId + "/replay",
                Map.of("from", from.toString(), "to", Instant.now().plusSeconds(1).toString())), 202).json();
        assertEquals(published.size(), replayed.get("queued").asLong());
        Await.until("replayed", PATIENCE, () -> receiver.delivered().size() == live + published.size(),
                receiver::requests);
        List<WebhookReceiver.Request> again = receiver.delivered().subList(live, live + published.size());
        List<String> labels = labels(again);
        assertEquals(List.of("CONNECTING", "QR_REQUIRED", "qr_code_updated"), labels.subList(0, 3), labels.toString());
        assertEquals("CONNECTED", labels.getLast(), labels.toString());
        assertEquals(published, again.stream().map(WebhookReceiver.Request::id).toList(), "the order they happened in");
    }

    /** The status of each status change, else the event's type. */
    private static List<String> labels(List<WebhookReceiver.Request> requests) {
        List<String> result = new ArrayList<>();
        for (WebhookReceiver.Request r : requests) {
            JsonNode body;
            try {
                body = Json.MAPPER.readTree(r.body());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            result.add(body.get("type").asText().equals("session_status_changed")
                    ? body.get("data").get("status").asText() : body.get("type").asText());
        }
        return result;
    }

    @Test
    void ownersSeeOnlyTheirSessionsDeliveries() {
        WebhookReceiver receiver = keep(new WebhookReceiver());
        TestGateway gw = keep(WebhookTesting.start(dataDir, WebhookTesting.fast(true, "5")));
        ApiClient admin = gw.api().loginAdmin();
        ApiClient alice = admin.createUser("alice", "alice-password-1");
        ApiClient bob = admin.createUser("bob", "bob-password-12");
        String mine = TestSessions.create(gw, alice, "alice phone");
        assertEquals(404, bob.post("/api/webhooks", Map.of("url", receiver.url(), "sessionId", mine)).status());
        String subId = subscribe(alice, receiver.url(), mine, List.of()).get("id").asText();
        expect(alice.post("/api/sessions/" + mine + "/start", Map.of()), 202);
        Await.until("delivered", PATIENCE, () -> WebhookTesting.allDelivered(alice, subId) && deliveries(alice, subId).size() >= 3, () -> "(see the API)");
        long id = deliveries(alice, subId).getFirst().get("id").asLong();
        assertEquals(200, alice.get("/api/deliveries/" + id).status());
        assertEquals(404, bob.get("/api/deliveries/" + id).status());
        assertEquals(404, bob.get("/api/webhooks/" + subId).status());
        assertEquals("[]", bob.get("/api/deliveries").body());
        assertEquals(200, admin.get("/api/deliveries/" + id).status());
        assertEquals(400, alice.get("/api/deliveries?status=LOST").status());
        assertEquals(400, alice.get("/api/deliveries?from=%2B1000000000-01-01T00:00:00Z").status(), "beyond epoch ms");
        assertEquals(204, alice.delete("/api/webhooks/" + subId).status());
        assertEquals(404, alice.get("/api/webhooks/" + subId).status());
    }

    /**
     * A subscription reaches what its owner may see now: an admin's subscription to every session
     * stops getting other users' events when the admin is demoted (it then reaches the demoted
     * admin's own sessions, as a user's does, so they may point it elsewhere and replay it: nothing
     * of another user's goes out through it), and all of a user's when they are disabled. And a
     * user sees no delivery of their session's events to another user's subscription (its URL and
     * errors are that user's).
     */
    @Test
    void aSubscriptionGetsOnlyWhatItsOwnerMaySeeNow() {
        WebhookReceiver receiver = keep(new WebhookReceiver());
        TestGateway gw = keep(WebhookTesting.start(dataDir, WebhookTesting.fast(true, "5")));
        ApiClient admin = gw.api().loginAdmin();
        ApiClient alice = admin.createUser("alice", "alice-password-1");
        String bobId = admin.createUser("bob", "bob-password-12").get("/api/auth/me").json().get("id").asText();
        String carolId = admin.createUser("carol", "carol-password-1").get("/api/auth/me").json().get("id").asText();
        expect(admin.patch("/api/users/" + bobId, Map.of("role", "ADMIN")), 200);
        expect(admin.patch("/api/users/" + carolId, Map.of("role", "ADMIN")), 200);
        ApiClient bob = gw.api().login("bob", "bob-password-12");
        ApiClient carol = gw.api().login("carol", "carol-password-1");
        String bobs = subscribe(bob, receiver.url(), null, List.of()).get("id").asText();
        String carols = subscribe(carol, receiver.url(), null, List.of()).get("id").asText();
        String control = subscribe(admin, receiver.url(), null, List.of()).get("id").asText();
        String a = TestSessions.create(gw, alice, "alice phone");
        expect(alice.post("/api/sessions/" + a + "/start", Map.of()), 202);
        Await.until("alice's first events to all three", PATIENCE, () -> !deliveries(admin, bobs).isEmpty()
                && !deliveries(admin, carols).isEmpty() && !deliveries(admin, control).isEmpty()
                && WebhookTesting.allDelivered(admin, bobs), () -> deliveries(admin, bobs));
        long bobsDelivery = deliveries(admin, bobs).getFirst().get("id").asLong();

        expect(admin.patch("/api/users/" + bobId, Map.of("role", "USER")), 200);
        expect(admin.patch("/api/users/" + carolId, Map.of("enabled", false)), 200);
        int bobsBefore = deliveries(admin, bobs).size();
        int carolsBefore = deliveries(admin, carols).size();
        int controlBefore = deliveries(admin, control).size();
        expect(alice.post("/api/sessions/" + a + "/stop", Map.of()), 202);
        // One event's destinations are queued together: once the control has the stop's, the others would too.
        Await.until("the stop's event queued for the control", PATIENCE,
                () -> alice.get("/api/sessions/" + a).json().get("status").asText().equals("DISCONNECTED")
                        && deliveries(admin, control).size() > controlBefore, () -> deliveries(admin, control));
        assertEquals(bobsBefore, deliveries(admin, bobs).size(), "nothing new for the demoted admin");
        assertEquals(carolsBefore, deliveries(admin, carols).size(), "nothing new for the disabled admin");

        ApiClient demoted = gw.api().login("bob", "bob-password-12");
        assertEquals(200, demoted.get("/api/webhooks/" + bobs).status(), "still theirs to see");
        int bobsNow = deliveries(admin, bobs).size();
        assertEquals(0, expect(demoted.post("/api/webhooks/" + bobs + "/replay",
                Map.of("from", "2020-01-01T00:00:00.000Z", "to", "2099-01-01T00:00:00.000Z")), 202).json().get("queued").asInt(),
                "none of alice's events replayed to the demoted admin");
        assertEquals(bobsNow, deliveries(admin, bobs).size());
        expect(demoted.post("/api/webhooks/" + bobs + "/retry-dead", Map.of()), 202);
        assertEquals(404, demoted.post("/api/deliveries/" + bobsDelivery + "/retry", Map.of()).status(),
                "alice's event: no longer theirs to see");
        expect(demoted.patch("/api/webhooks/" + bobs, Map.of("url", "https://example.org/elsewhere")), 200);
        expect(demoted.patch("/api/webhooks/" + bobs, Map.of("enabled", false)), 200);

        // Alice's events, but admins' subscriptions: none of those deliveries is hers to see or retry.
        assertEquals("[]", alice.get("/api/deliveries").body());
        assertEquals(404, alice.get("/api/deliveries/" + bobsDelivery).status());
        assertEquals(404, alice.post("/api/deliveries/" + bobsDelivery + "/retry", Map.of()).status());
        assertEquals(204, demoted.delete("/api/webhooks/" + bobs).status());
    }

    @Test
    void aUsersSubscriptionToEverySessionGetsTheirOwnSessionsOnly() {
        WebhookReceiver receiver = keep(new WebhookReceiver());
        TestGateway gw = keep(WebhookTesting.start(dataDir, WebhookTesting.fast(true, "5")));
        ApiClient admin = gw.api().loginAdmin();
        ApiClient alice = admin.createUser("alice", "alice-password-1");
        ApiClient bob = admin.createUser("bob", "bob-password-12");
        String subId = subscribe(alice, receiver.url(), null, List.of()).get("id").asText();
        String hers = TestSessions.create(gw, alice, "alice phone");
        String his = TestSessions.create(gw, bob, "bob phone");
        expect(bob.post("/api/sessions/" + his + "/start", Map.of()), 202);
        expect(alice.post("/api/sessions/" + hers + "/start", Map.of()), 202);
        // An event's deliveries are queued in its commit: once both QR codes are readable, bob's would be there.
        Await.until("both sessions have their QR", PATIENCE, () -> alice.get("/api/sessions/" + hers + "/qr").status() == 200
                && bob.get("/api/sessions/" + his + "/qr").status() == 200, () -> "(see the API)");
        // Stopped, so that no new QR code comes between the count and the replay.
        expect(alice.post("/api/sessions/" + hers + "/stop", Map.of()), 202);
        Await.until("alice's events delivered, the stop's too", PATIENCE, () -> deliveries(alice, subId).size() >= 4
                && deliveries(alice, subId).getLast().path("type").asText().equals("session_status_changed")
                && alice.get("/api/sessions/" + hers).json().get("status").asText().equals("DISCONNECTED")
                && WebhookTesting.allDelivered(alice, subId), () -> deliveries(alice, subId));
        List<String> sessions = deliveries(admin, subId).stream().map(d -> d.get("sessionId").asText()).distinct().toList();
        assertEquals(List.of(hers), sessions, "her sessions' events only");
        int delivered = deliveries(admin, subId).size();
        assertEquals(delivered, expect(alice.post("/api/webhooks/" + subId + "/replay",
                Map.of("from", "2020-01-01T00:00:00.000Z", "to", "2099-01-01T00:00:00.000Z")), 202).json().get("queued").asInt(),
                "a replay takes her sessions' events only");
    }

    /** Deliveries queued while the owner could see a session are not sent once they no longer may. */
    @Test
    void deliveriesQueuedBeforeTheOwnerWasDemotedAreNotSent() {
        WebhookReceiver receiver = keep(new WebhookReceiver());
        receiver.answer(id -> 503);
        TestGateway gw = keep(WebhookTesting.start(dataDir, WebhookTesting.fast(true, "1000")));
        ApiClient admin = gw.api().loginAdmin();
        ApiClient alice = admin.createUser("alice", "alice-password-1");
        String bobId = admin.createUser("bob", "bob-password-12").get("/api/auth/me").json().get("id").asText();
        expect(admin.patch("/api/users/" + bobId, Map.of("role", "ADMIN")), 200);
        ApiClient bob = gw.api().login("bob", "bob-password-12");
        String bobs = subscribe(bob, receiver.url(), null, List.of()).get("id").asText();
        String hers = TestSessions.create(gw, alice, "alice phone");
        expect(alice.post("/api/sessions/" + hers + "/start", Map.of()), 202);
        Await.until("alice's events held for bob, refused by his receiver", PATIENCE, () -> receiver.requests().size() >= 2
                && deliveries(admin, bobs).size() >= 3, () -> deliveries(admin, bobs));

        expect(admin.patch("/api/users/" + bobId, Map.of("role", "USER")), 200);
        int refused = receiver.requests().size();
        // Before, they were tried again until the receiver took them: alice's events to a non-admin.
        Await.until("every held delivery dead, not sent", PATIENCE, () -> deliveries(admin, bobs).stream()
                .allMatch(d -> d.get("status").asText().equals("DEAD")), () -> deliveries(admin, bobs));
        assertTrue(deliveries(admin, bobs).stream().allMatch(d -> d.get("lastError").asText().contains("may no longer get")),
                () -> deliveries(admin, bobs).toString());
        assertEquals(List.of(), receiver.delivered(), "none of alice's events reached the demoted admin's receiver");
        assertTrue(receiver.requests().size() <= refused + 1, "at most an attempt already under way: " + receiver.requests().size());
    }

    @Test
    void aDeletedUsersSubscriptionsGoWithThem() {
        WebhookReceiver receiver = keep(new WebhookReceiver());
        TestGateway gw = keep(WebhookTesting.start(dataDir, WebhookTesting.fast(true, "5")));
        ApiClient admin = gw.api().loginAdmin();
        ApiClient alice = admin.createUser("alice", "alice-password-1");
        String aliceId = alice.get("/api/auth/me").json().get("id").asText();
        String mine = TestSessions.create(gw, alice, "alice phone");
        String subId = subscribe(alice, receiver.url(), mine, List.of()).get("id").asText();
        String adminsSub = subscribe(admin, receiver.url(), null, List.of()).get("id").asText();
        assertEquals(204, admin.delete("/api/users/" + aliceId).status());
        assertEquals(404, admin.get("/api/webhooks/" + subId).status(), "the deleted user's subscription is gone");
        assertEquals(200, admin.get("/api/webhooks/" + adminsSub).status(), "another user's stays");
    }

    @Test
    void aSubscriptionsUrlIsCheckedWhenItIsMade() {
        TestGateway gw = keep(WebhookTesting.start(dataDir, WebhookTesting.fast(true, "5")));
        ApiClient admin = gw.api().loginAdmin();
        for (String bad : List.of("ftp://example.com/hook", "https://user:pw@example.com/hook",
                "https://example.com/hook#part", "https:///hook", "https://example.com:0/hook",
                "https://example.com:99999/hook", "not a url")) {
            ApiClient.Response r = admin.post("/api/webhooks", Map.of("url", bad));
            assertEquals(400, r.status(), bad + ": " + r.body());
            assertEquals("VALIDATION_ERROR", r.json().get("error").get("code").asText(), r.body());
        }
        expect(admin.post("/api/webhooks", Map.of("url", "https://example.com:8443/hook", "enabled", false)), 201);
        String id = subscribe(admin, "https://example.com/hook", null, List.of()).get("id").asText();
        assertEquals(400, admin.patch("/api/webhooks/" + id, Map.of("url", "https://example.com:65536/")).status());
    }

    @Test
    void aPatchWithAnExplicitNullIsRefusedAndChangesNothing() {
        TestGateway gw = keep(WebhookTesting.start(dataDir, WebhookTesting.fast(true, "5")));
        ApiClient admin = gw.api().loginAdmin();
        String id = subscribe(admin, "https://example.com/hook", null, List.of("session_status_changed")).get("id").asText();
        expect(admin.patch("/api/webhooks/" + id, Map.of("enabled", false)), 200);
        // null would have re-enabled it and widened it to every event: neither is a PATCH's "leave it".
        for (String field : List.of("enabled", "events", "url")) {
            ApiClient.Response r = admin.patch("/api/webhooks/" + id, java.util.Collections.singletonMap(field, null));
            assertEquals(400, r.status(), field + ": " + r.body());
            assertEquals("VALIDATION_ERROR", r.json().get("error").get("code").asText(), r.body());
        }
        JsonNode kept = expect(admin.get("/api/webhooks/" + id), 200).json();
        assertEquals(false, kept.get("enabled").asBoolean(), kept.toString());
        assertEquals("[\"session_status_changed\"]", kept.get("events").toString());
        assertEquals("https://example.com/hook", kept.get("url").asText());
    }

    @Test
    void aUserHasABoundedNumberOfSubscriptions() {
        TestGateway gw = keep(WebhookTesting.start(dataDir, WebhookTesting.fast(true, "5")));
        ApiClient admin = gw.api().loginAdmin();
        ApiClient alice = admin.createUser("alice", "alice-password-1");
        String mine = TestSessions.create(gw, alice, "alice phone");
        Map<String, Object> body = Map.of("url", "https://example.com/hook", "sessionId", mine, "enabled", false);
        for (int i = 0; i < WebhookSubscriptions.MAX_PER_USER; i++) {
            expect(alice.post("/api/webhooks", body), 201);
        }
        assertEquals(409, alice.post("/api/webhooks", body).status(), "one more is refused");
        assertEquals(201, admin.post("/api/webhooks", body).status(), "another user's count is their own");
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

}
