package io.wagateway.plugins.rabbitmq;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.Delivery;
import io.wagateway.api.RetriableException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The publisher against the machine's real RabbitMQ, with network faults made by a {@link TcpProxy}. */
class ConfirmingPublisherTest {

    private static final Duration PATIENCE = Duration.ofSeconds(10);

    private final TestBroker broker = new TestBroker();
    private final String exchange = broker.newExchangeName();
    private ConfirmingPublisher publisher;
    private TcpProxy proxy;

    @AfterEach
    void tearDown() {
        if (publisher != null) {
            publisher.close();
        }
        if (proxy != null) {
            proxy.close();
        }
        broker.close();
    }

    @Test
    void publishesAPersistentConfirmedMessageToADurableTopicExchange() throws Exception {
        publisher = new ConfirmingPublisher(settings(TestBroker.URI_TEXT, Duration.ofSeconds(5)));
        TestBroker.Consumer consumer = broker.consume(exchange, "s1.*");
        OutboundMessage message = message("s1", "session_status_changed");

        publisher.publishConfirmed(message);

        Delivery delivery = consumer.next(PATIENCE);
        assertEquals("s1.session_status_changed", delivery.getEnvelope().getRoutingKey());
        assertEquals(exchange, delivery.getEnvelope().getExchange());
        assertEquals("{\"n\":1}", new String(delivery.getBody(), UTF_8));
        assertEquals(2, delivery.getProperties().getDeliveryMode(), "persistent");
        assertEquals("application/json", delivery.getProperties().getContentType());
        assertEquals(message.messageId(), delivery.getProperties().getMessageId());
        assertEquals("session_status_changed", delivery.getProperties().getType());
        assertEquals(message.timestamp().truncatedTo(ChronoUnit.SECONDS), delivery.getProperties().getTimestamp().toInstant());
        assertTrue(broker.isDurableTopic(exchange), "declared as a durable topic exchange");
        assertEquals(0, publisher.waitingConfirms());
    }

    @Test
    void concurrentPublishesAreEachConfirmed() throws Exception {
        publisher = new ConfirmingPublisher(settings(TestBroker.URI_TEXT, Duration.ofSeconds(5)));
        TestBroker.Consumer consumer = broker.consume(exchange, "#");
        int threads = 8;
        int each = 50;
        java.util.Set<String> sent = java.util.concurrent.ConcurrentHashMap.newKeySet();
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(threads)) {
            java.util.List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String session = "s" + t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        OutboundMessage m = message(session, "message_status_updated");
                        publisher.publishConfirmed(m);
                        sent.add(m.messageId());
                    }
                    return null;
                }));
            }
            for (var f : done) {
                f.get(); // rethrows a publish that was not confirmed
            }
        }

        java.util.Set<String> received = new java.util.HashSet<>();
        while (received.size() < threads * each) {
            received.add(consumer.next(PATIENCE).getProperties().getMessageId());
        }
        assertEquals(sent, received);
        assertEquals(0, publisher.waitingConfirms());
    }

    @Test
    void aNackIsRetriable() throws Exception {
        publisher = new ConfirmingPublisher(settings(TestBroker.URI_TEXT, Duration.ofSeconds(5)));
        // A queue that refuses every message: the broker nacks publishes routed to it.
        broker.consume(exchange, "#", Map.of("x-max-length", 0, "x-overflow", "reject-publish"));

        RetriableException e = assertThrows(RetriableException.class,
                () -> publisher.publishConfirmed(message("s1", "qr_code_updated")));

        assertTrue(e.getMessage().contains("basic.nack"), e.getMessage());
        assertEquals(0, publisher.waitingConfirms());
    }

    @Test
    void aMissingConfirmIsRetriableAtTheDeadline() throws Exception {
        proxy = TcpProxy.start(0, TestBroker.address());
        publisher = new ConfirmingPublisher(settings(TestBroker.uriWithPort(proxy.port()), Duration.ofMillis(300)));
        TestBroker.Consumer consumer = broker.consume(exchange, "#");
        publisher.publishConfirmed(message("s1", "qr_code_updated"));
        consumer.next(PATIENCE);

        proxy.pauseReplies();
        long start = System.nanoTime();
        OutboundMessage unconfirmed = message("s1", "session_status_changed");
        RetriableException e = assertThrows(RetriableException.class, () -> publisher.publishConfirmed(unconfirmed));
        long tookMs = (System.nanoTime() - start) / 1_000_000;

        assertTrue(e.getMessage().contains("did not confirm"), e.getMessage());
        assertTrue(tookMs >= 250 && tookMs < 3000, "gave up at the 300ms deadline, took " + tookMs + "ms");
        assertEquals(0, publisher.waitingConfirms(), "the abandoned confirm is forgotten");
        // The broker had it all along: a retry makes a duplicate, which at-least-once allows.
        assertEquals(unconfirmed.messageId(), consumer.next(PATIENCE).getProperties().getMessageId());

        proxy.resumeReplies();
        OutboundMessage retried = message("s1", "session_status_changed");
        publisher.publishConfirmed(retried);
        assertEquals(retried.messageId(), consumer.next(PATIENCE).getProperties().getMessageId());
    }

    @Test
    void aBrokerThatBlocksPublishingIsRetriableAndFailsFastUntilUnblocked() throws Exception {
        publisher = new ConfirmingPublisher(settings(TestBroker.URI_TEXT, Duration.ofMillis(500)));
        TestBroker.Consumer consumer = broker.consume(exchange, "#");
        publisher.publishConfirmed(message("s1", "qr_code_updated"));
        consumer.next(PATIENCE);

        TestBroker.withMemoryAlarm(() -> {
            // The first publish meets the alarm (no confirm: the broker stops reading); then the
            // broker's connection.blocked arrives and publishes are refused without being written.
            String refusal = "";
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (!refusal.contains("blocks publishing") && System.nanoTime() < deadline) {
                long start = System.nanoTime();
                RetriableException e = assertThrows(RetriableException.class,
                        () -> publisher.publishConfirmed(message("s1", "session_status_changed")));
                assertTrue((System.nanoTime() - start) / 1_000_000 < 2000, "within the deadline: " + e.getMessage());
                refusal = e.getMessage();
            }
            assertTrue(refusal.startsWith("RabbitMQ blocks publishing"), refusal);
        });

        OutboundMessage after = message("s1", "session_status_changed");
        retryUntilPublished(after);
        java.util.Set<String> seen = new java.util.HashSet<>();
        while (!seen.contains(after.messageId())) {
            seen.add(consumer.next(PATIENCE).getProperties().getMessageId());
        }
    }

    @Test
    void aBrokerThatIsDownAtFirstIsRetriableUntilItIsUp() throws Exception {
        int port = freePort();
        publisher = new ConfirmingPublisher(settings(TestBroker.uriWithPort(port), Duration.ofSeconds(5)));

        long start = System.nanoTime();
        RetriableException e = assertThrows(RetriableException.class,
                () -> publisher.publishConfirmed(message("s1", "qr_code_updated")));
        assertTrue(e.getMessage().startsWith("Cannot connect to RabbitMQ at amqp://127.0.0.1:" + port + "/"), e.getMessage());
        assertFalse(e.getMessage().contains("guest"), "no credentials in " + e.getMessage());
        assertTrue((System.nanoTime() - start) / 1_000_000 < 3000, "refused at once");

        proxy = TcpProxy.start(port, TestBroker.address());
        TestBroker.Consumer consumer = broker.consume(exchange, "#");
        OutboundMessage message = message("s1", "qr_code_updated");
        // The next connection attempt waits out recovery-interval (100ms here): retry as the host does.
        retryUntilPublished(message);
        assertEquals(message.messageId(), consumer.next(PATIENCE).getProperties().getMessageId());
    }

    @Test
    void afterAFailedConnectionAttemptPublishesFailAtOnceUntilTheRecoveryInterval() throws Exception {
        int port = freePort();
        publisher = new ConfirmingPublisher(new RabbitMqSettings(new BrokerUri(TestBroker.uriWithPort(port)), exchange,
                Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(30), Duration.ofSeconds(5)));
        assertThrows(RetriableException.class, () -> publisher.publishConfirmed(message("s1", "qr_code_updated")));
        proxy = TcpProxy.start(port, TestBroker.address());

        long start = System.nanoTime();
        RetriableException e = assertThrows(RetriableException.class,
                () -> publisher.publishConfirmed(message("s1", "qr_code_updated")));

        assertTrue(e.getMessage().contains("next attempt within 30000ms"), e.getMessage());
        assertTrue((System.nanoTime() - start) / 1_000_000 < 500, "no new attempt, no waiting");
    }

    @Test
    void reconnectsByItselfAfterTheConnectionIsLost() throws Exception {
        proxy = TcpProxy.start(0, TestBroker.address());
        publisher = new ConfirmingPublisher(settings(TestBroker.uriWithPort(proxy.port()), Duration.ofSeconds(2)));
        TestBroker.Consumer consumer = broker.consume(exchange, "#");
        publisher.publishConfirmed(message("s1", "qr_code_updated"));
        consumer.next(PATIENCE);

        proxy.cutConnections();
        OutboundMessage during = message("s1", "session_status_changed");
        int refused = retryUntilPublished(during);

        assertTrue(refused > 0, "publishing while the connection was down failed (retriable)");
        assertEquals(during.messageId(), consumer.next(PATIENCE).getProperties().getMessageId());
    }

    @Test
    void aChannelTheBrokerClosedIsReplacedAndTheExchangeDeclaredAgain() throws Exception {
        publisher = new ConfirmingPublisher(settings(TestBroker.URI_TEXT, Duration.ofSeconds(5)));
        publisher.publishConfirmed(message("s1", "qr_code_updated"));
        broker.deleteExchange(exchange);

        // Publishing to a missing exchange: the broker closes the channel with 404.
        RetriableException e = assertThrows(RetriableException.class,
                () -> publisher.publishConfirmed(message("s1", "qr_code_updated")));
        assertTrue(e.getMessage().contains("404"), e.getMessage());

        TestBroker.Consumer consumer = broker.consume(exchange, "#");
        OutboundMessage next = message("s1", "session_status_changed");
        publisher.publishConfirmed(next);
        assertEquals(next.messageId(), consumer.next(PATIENCE).getProperties().getMessageId());
    }

    @Test
    void closingEndsTheConnectionAndItsThreads() throws Exception {
        publisher = new ConfirmingPublisher(settings(TestBroker.URI_TEXT, Duration.ofSeconds(5)));
        publisher.publishConfirmed(message("s1", "qr_code_updated"));
        assertTrue(clientThreads() > 0);

        publisher.close();

        assertThrows(RetriableException.class, () -> publisher.publishConfirmed(message("s1", "qr_code_updated")));
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (clientThreads() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(0, clientThreads(), "no rabbitmq-sink thread left");
    }

    /**
     * Publishes as the host delivers: again after each retriable failure, with a short pause.
     *
     * @return how many attempts failed first
     */
    private int retryUntilPublished(OutboundMessage message) throws InterruptedException {
        int refused = 0;
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (true) {
            long attempt = System.nanoTime();
            try {
                publisher.publishConfirmed(message);
                return refused;
            } catch (RetriableException e) {
                refused++;
                assertTrue((System.nanoTime() - attempt) / 1_000_000 < 2500, "each attempt ends within its deadline");
                assertTrue(System.nanoTime() < deadline, "not published within " + PATIENCE + ": " + e.getMessage());
                Thread.sleep(20);
            }
        }
    }

    private static long clientThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("rabbitmq-sink-") && t.isAlive()).count();
    }

    private RabbitMqSettings settings(String uri, Duration confirmTimeout) {
        return new RabbitMqSettings(new BrokerUri(uri), exchange, Duration.ofSeconds(2), confirmTimeout,
                Duration.ofMillis(100), Duration.ofSeconds(5));
    }

    private static OutboundMessage message(String sessionId, String type) {
        return new OutboundMessage(sessionId + "." + type, UUID.randomUUID().toString(), type, Instant.now(),
                "{\"n\":1}".getBytes(UTF_8));
    }

    private static int freePort() throws Exception {
        try (var socket = new java.net.ServerSocket(0, 1, new InetSocketAddress("127.0.0.1", 0).getAddress())) {
            return socket.getLocalPort();
        }
    }
}
