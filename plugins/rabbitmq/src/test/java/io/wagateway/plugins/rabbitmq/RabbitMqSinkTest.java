package io.wagateway.plugins.rabbitmq;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.Delivery;
import io.wagateway.api.GatewayEvent;
import io.wagateway.api.MessageStatus;
import io.wagateway.api.MessageStatusUpdated;
import io.wagateway.api.PluginException;
import io.wagateway.api.RetriableException;
import io.wagateway.api.SinkDelivery;
import io.wagateway.testkit.TestSinkContext;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The sink as the host drives it (configuration, start, deliver, stop) against the real broker. */
class RabbitMqSinkTest {

    private static final Duration PATIENCE = Duration.ofSeconds(10);
    private static final Instant T = Instant.parse("2026-12-06T08:00:00.123Z");

    private final TestBroker broker = new TestBroker();
    private final String exchange = broker.newExchangeName();
    private final RabbitMqSink sink = new RabbitMqSink();

    @AfterEach
    void tearDown() {
        sink.stop();
        broker.close();
    }

    @Test
    void publishesTheEnvelopeWithItsRoutingKeyAndIdsOnceConfirmed() throws Exception {
        start(TestBroker.URI_TEXT, Map.of());
        TestBroker.Consumer consumer = broker.consume(exchange, "sess-1.message_status_updated");
        SinkDelivery delivery = delivery("sess-1", "01939a4e-1c2b-7d3e-8f40-123456789abc");

        sink.deliver(delivery);

        Delivery got = consumer.next(PATIENCE);
        assertEquals("sess-1.message_status_updated", got.getEnvelope().getRoutingKey());
        assertEquals(delivery.body(), new String(got.getBody(), UTF_8), "the host's envelope, byte for byte");
        assertEquals(delivery.eventId(), got.getProperties().getMessageId());
        assertEquals("message_status_updated", got.getProperties().getType());
        assertEquals("application/json", got.getProperties().getContentType());
        assertEquals(2, got.getProperties().getDeliveryMode());
        assertTrue(broker.isDurableTopic(exchange));
    }

    @Test
    void aNackFromTheBrokerIsRetriable() throws Exception {
        start(TestBroker.URI_TEXT, Map.of());
        broker.consume(exchange, "#", Map.of("x-max-length", 0, "x-overflow", "reject-publish"));

        assertThrows(RetriableException.class, () -> sink.deliver(delivery("sess-1", "id-nacked")));
    }

    @Test
    void aBrokerThatIsDownNeitherFailsTheStartNorLosesTheEvent() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        long start = System.nanoTime();
        start(TestBroker.uriWithPort(port), Map.of("connect-timeout", "1s"));
        assertTrue((System.nanoTime() - start) / 1_000_000 < 3000, "start is bounded by connect-timeout");

        RetriableException e = assertThrows(RetriableException.class, () -> sink.deliver(delivery("sess-1", "id-1")));
        assertFalse(e.getMessage().contains("guest"), e.getMessage());

        try (TcpProxy proxy = TcpProxy.start(port, TestBroker.address())) {
            TestBroker.Consumer consumer = broker.consume(exchange, "#");
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (true) {
                try {
                    sink.deliver(delivery("sess-1", "id-1"));
                    break;
                } catch (RetriableException retry) {
                    // Until recovery-interval (100ms) has passed since the failed attempt; the host retries.
                    assertTrue(System.nanoTime() < deadline, retry.getMessage());
                    Thread.sleep(20);
                }
            }
            assertEquals("id-1", consumer.next(PATIENCE).getProperties().getMessageId());
            sink.stop();
        }
    }

    @Test
    void aStoppedSinkRefusesDeliveriesAsRetriable() {
        start(TestBroker.URI_TEXT, Map.of());
        sink.stop();

        assertThrows(RetriableException.class, () -> sink.deliver(delivery("sess-1", "id-1")));
    }

    @Test
    void aRoutingKeyLongerThanAmqpAllowsIsNotRetried() {
        start(TestBroker.URI_TEXT, Map.of());

        PluginException e = assertThrows(PluginException.class, () -> sink.deliver(delivery("s".repeat(300), "id-long")));
        assertFalse(e instanceof RetriableException);
    }

    private void start(String uri, Map<String, String> extra) {
        Map<String, String> values = new HashMap<>(Map.of("uri", uri, "exchange", exchange,
                "recovery-interval", "100ms", "confirm-timeout", "2s"));
        values.putAll(extra);
        sink.start(TestSinkContext.validated(sink.configKeys(), values));
    }

    private static SinkDelivery delivery(String sessionId, String eventId) {
        GatewayEvent event = new MessageStatusUpdated(sessionId, "user-1", "msg-1", MessageStatus.DELIVERED, T, null, T,
                eventId);
        String body = "{\"id\":\"" + eventId + "\",\"type\":\"message_status_updated\",\"timestamp\":\"2026-12-06T08:00:00.123Z\","
                + "\"sessionId\":\"" + sessionId + "\",\"data\":{\"status\":\"DELIVERED\",\"text\":\"héllo\"}}";
        return new SinkDelivery(eventId, event.type(), sessionId, T, event, body, 1, Optional.empty());
    }
}
