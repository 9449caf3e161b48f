package io.wagateway.delivery;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.Delivery;
import io.wagateway.api.GatewayEvent;
import io.wagateway.api.MessageStatus;
import io.wagateway.api.MessageStatusUpdated;
import io.wagateway.api.SessionStatus;
import io.wagateway.http.Json;
import io.wagateway.testing.ApiClient;
import io.wagateway.testing.Await;
import io.wagateway.testing.EventRecorder;
import io.wagateway.testing.LogCapture;
import io.wagateway.testing.TestGateway;
import io.wagateway.testing.TestRabbitMq;
import io.wagateway.testing.TestSessions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The rabbitmq sink plugin jar, loaded by a real in-process gateway, publishing a simulator flow to
 * the machine's real RabbitMQ; consumers are durable queues of the test's own bound to the
 * exchange. The second test restarts the broker while events keep coming.
 */
class RabbitMqSinkFlowTest {

    private static final long PATIENCE_MS = 30_000;

    private static TestRabbitMq rabbit;
    private static String exchange;
    private static TestGateway gw;
    private static ApiClient admin;
    private static EventRecorder recorder;
    private static final ConcurrentLinkedQueue<GatewayEvent> published = new ConcurrentLinkedQueue<>();
    private static AutoCloseable busSubscription;
    private static LogCapture logs;

    @BeforeAll
    static void start() {
        rabbit = new TestRabbitMq();
        exchange = rabbit.newExchangeName();
        gw = TestGateway.start(Map.of(
                "gateway.sinks.rabbitmq.uri", TestRabbitMq.URI,
                "gateway.sinks.rabbitmq.exchange", exchange,
                "gateway.sinks.rabbitmq.recovery-interval", "200ms",
                "gateway.sinks.rabbitmq.confirm-timeout", "2s",
                // Quick retries, and enough of them to outlast a broker restart (about 100 x 200ms).
                "gateway.delivery.retry-initial-delay", "50ms",
                "gateway.delivery.retry-max-delay", "200ms",
                "gateway.delivery.max-attempts", "100",
                "gateway.delivery.poll-interval", "50ms"),
                List.of(TestGateway.builtPluginJar("rabbitmq")));
        logs = LogCapture.on("");
        admin = gw.api().loginAdmin();
        recorder = new EventRecorder(gw.gateway().events());
        busSubscription = gw.gateway().events().subscribe(published::add);
    }

    @AfterAll
    static void stop() throws Exception {
        if (busSubscription != null) {
            busSubscription.close();
            recorder.close();
            logs.close();
        }
        if (gw != null) {
            gw.close();
        }
        rabbit.close();
    }

    @Test
    void aBoundConsumerGetsEveryEventOfASimulatorFlowWithItsRoutingKeyInOrder() throws Exception {
        String all = rabbit.bindQueue(exchange, "#");
        String session = TestSessions.create(gw, admin, "rabbit flow");
        String acksOnly = rabbit.bindQueue(exchange, session + ".message_status_updated");
        link(session);
        List<String> messageIds = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            messageIds.add(send(session, "hello " + i));
        }
        for (String messageId : messageIds) {
            awaitStatus(session, messageId, MessageStatus.READ);
        }

        List<GatewayEvent> expected = publishedOf(Set.of(session));
        List<Delivery> got = rabbit.read(all, d -> ids(d, Set.of(session)).containsAll(eventIds(expected)), PATIENCE_MS);

        assertEquals(eventIds(expected), firstOccurrences(got, Set.of(session)), "every event, in order");
        Set<String> types = new LinkedHashSet<>();
        for (Delivery delivery : got) {
            JsonNode envelope = Json.MAPPER.readTree(delivery.getBody());
            if (!envelope.path("sessionId").asText().equals(session)) {
                continue;
            }
            String type = envelope.path("type").asText();
            types.add(type);
            assertEquals(session + "." + type, delivery.getEnvelope().getRoutingKey());
            assertEquals(envelope.path("id").asText(), delivery.getProperties().getMessageId());
            assertEquals(type, delivery.getProperties().getType());
            assertEquals("application/json", delivery.getProperties().getContentType());
            assertEquals(2, delivery.getProperties().getDeliveryMode(), "persistent");
            assertTrue(envelope.path("timestamp").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"),
                    envelope.toString());
            assertEquals(session, envelope.path("data").path("sessionId").asText(), "data is the Socket.IO payload");
        }
        assertEquals(Set.of("session_status_changed", "qr_code_updated", "message_status_updated"), types);
        assertTrue(got.stream().anyMatch(d -> json(d).path("data").path("status").asText().equals("CONNECTED")
                && json(d).path("data").path("phoneNumber").asText().equals("+6281234567890")));

        List<GatewayEvent> acks = expected.stream().filter(e -> e instanceof MessageStatusUpdated).toList();
        assertEquals(6, acks.size(), "SENT, DELIVERED, READ of two messages");
        List<Delivery> acksGot = rabbit.read(acksOnly, d -> d.size() >= acks.size(), PATIENCE_MS);
        assertEquals(eventIds(acks), firstOccurrences(acksGot, Set.of(session)), "a binding by type gets only those");

        ApiClient.Response plugins = admin.get("/api/plugins");
        assertEquals(200, plugins.status());
        assertTrue(plugins.body().contains("rabbitmq"), plugins.body());
        assertFalse(plugins.body().contains(TestRabbitMq.URI), "the URI is never shown");
        assertNoSecretLogged();
    }

    @Test
    void aBrokerRestartMidStreamLosesNothing() throws Exception {
        String queue = rabbit.bindQueue(exchange, "#");
        List<String> sessions = List.of(TestSessions.create(gw, admin, "restart one"),
                TestSessions.create(gw, admin, "restart two"));
        for (String session : sessions) {
            link(session);
        }
        Set<String> ours = Set.copyOf(sessions);
        AtomicBoolean sending = new AtomicBoolean(true);
        AtomicInteger sent = new AtomicInteger();
        List<String[]> messages = java.util.Collections.synchronizedList(new ArrayList<>());
        Thread sender = Thread.ofPlatform().name("test-sender").start(() -> {
            while (sending.get()) {
                String session = sessions.get(sent.getAndIncrement() % sessions.size());
                messages.add(new String[] {session, send(session, "during restart " + sent.get())});
                try {
                    Thread.sleep(25); // a steady stream, not a flood
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        try {
            awaitPublished(ours, 12);
            TestRabbitMq.restartBroker(() -> {
                int atStop = publishedOf(ours).size();
                // Events keep happening while the broker is down.
                awaitPublished(ours, atStop + 15);
            });
            int atStart = publishedOf(ours).size();
            awaitPublished(ours, atStart + 15);
        } finally {
            sending.set(false);
            sender.join(10_000);
        }
        for (String[] message : List.copyOf(messages)) {
            awaitStatus(message[0], message[1], MessageStatus.READ);
        }

        List<GatewayEvent> expected = publishedOf(ours);
        List<Delivery> got = rabbit.read(queue, d -> ids(d, ours).containsAll(eventIds(expected)), PATIENCE_MS);

        Set<String> missing = new LinkedHashSet<>(eventIds(expected));
        missing.removeAll(ids(got, ours));
        assertTrue(missing.isEmpty(), missing.size() + " of " + expected.size() + " events never arrived: " + missing);
        for (String session : sessions) {
            assertEquals(eventIds(publishedOf(Set.of(session))), firstOccurrences(got, Set.of(session)),
                    "in order for session " + session);
        }
        // The outbox's side: every delivery to the sink ended DELIVERED, some only after retries.
        for (String session : sessions) {
            int events = publishedOf(Set.of(session)).size();
            Await.until("deliveries of " + session + " recorded", () -> rabbitDeliveries(session).stream()
                    .filter(d -> d.path("status").asText().equals("DELIVERED")).count() == events,
                    () -> rabbitDeliveries(session));
        }
        assertTrue(sessions.stream().flatMap(session -> rabbitDeliveries(session).stream())
                .anyMatch(d -> d.path("attempts").asInt() > 1), "events made while the broker was down were retried");
        List<String> logged = logs.messages();
        assertTrue(logged.stream().anyMatch(m -> m.startsWith("Connection to RabbitMQ at amqp://127.0.0.1:5672/ lost")),
                "the sink saw the broker go: " + logged);
        assertTrue(logged.stream().anyMatch(m -> m.startsWith("Reconnected to RabbitMQ")), "and come back: " + logged);
        List<String> clientWarnings = logs.records().stream()
                .filter(r -> r.getLoggerName() != null && r.getLoggerName().startsWith("com.rabbitmq")
                        && r.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue())
                .map(r -> r.getLoggerName() + ": " + r.getMessage()).toList();
        assertEquals(List.of(), clientWarnings, "the outage is the sink's two lines, not amqp-client's stack traces");
        System.out.println("Broker restart: " + expected.size() + " events, " + got.size() + " messages read ("
                + (got.size() - expected.size()) + " repeats)");
        assertNoSecretLogged();
    }

    /** @return the outbox's deliveries of the session to the rabbitmq sink, as /api/deliveries lists them */
    private static List<JsonNode> rabbitDeliveries(String session) {
        ApiClient.Response r = admin.get("/api/deliveries?sink=rabbitmq&limit=1000&sessionId=" + session);
        assertEquals(200, r.status(), r.body());
        List<JsonNode> deliveries = new ArrayList<>();
        r.json().forEach(deliveries::add);
        return deliveries;
    }

    private static void link(String session) {
        assertEquals(202, admin.post("/api/sessions/" + session + "/start", null).status());
        recorder.qr(session);
        assertEquals(200, admin.post("/api/sessions/" + session + "/actions/scan",
                Map.of("phoneNumber", "+6281234567890", "displayName", "Rabbit")).status());
        recorder.status(session, SessionStatus.CONNECTED);
    }

    private static String send(String session, String text) {
        ApiClient.Response r = admin.post("/api/sessions/" + session + "/messages", Map.of("to", "+6289876543210", "text", text));
        assertEquals(202, r.status(), r.body());
        return r.json().get("messageId").asText();
    }

    private static void awaitStatus(String session, String messageId, MessageStatus status) {
        Await.until(messageId + " " + status, () -> published.stream().anyMatch(e -> e instanceof MessageStatusUpdated m
                && m.sessionId().equals(session) && m.messageId().equals(messageId) && m.status() == status));
    }

    private static void awaitPublished(Set<String> sessions, int count) {
        Await.until(count + " events", Duration.ofSeconds(20), () -> publishedOf(sessions).size() >= count,
                () -> publishedOf(sessions).size());
    }

    private static List<GatewayEvent> publishedOf(Set<String> sessions) {
        return published.stream().filter(e -> sessions.contains(e.sessionId())).toList();
    }

    private static List<String> eventIds(List<GatewayEvent> events) {
        return events.stream().map(GatewayEvent::eventId).toList();
    }

    /** @return the message ids of the sessions' messages, first occurrence of each, in arrival order */
    private static List<String> firstOccurrences(List<Delivery> deliveries, Set<String> sessions) {
        return List.copyOf(ids(deliveries, sessions));
    }

    private static LinkedHashSet<String> ids(List<Delivery> deliveries, Set<String> sessions) {
        LinkedHashSet<String> ids = new LinkedHashSet<>();
        for (Delivery delivery : deliveries) {
            if (sessions.contains(json(delivery).path("sessionId").asText())) {
                ids.add(delivery.getProperties().getMessageId());
            }
        }
        return ids;
    }

    private static JsonNode json(Delivery delivery) {
        try {
            return Json.MAPPER.readTree(new String(delivery.getBody(), UTF_8));
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + new String(delivery.getBody(), UTF_8), e);
        }
    }

    private static void assertNoSecretLogged() {
        String userInfo = java.net.URI.create(TestRabbitMq.URI).getRawUserInfo();
        for (var record : logs.records()) {
            String text = record.getMessage() + " " + (record.getThrown() == null ? "" : record.getThrown().toString());
            assertFalse(text.contains(userInfo + "@"), "credentials logged: " + text);
        }
    }
}
