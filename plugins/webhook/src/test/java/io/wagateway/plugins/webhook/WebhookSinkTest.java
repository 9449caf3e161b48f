package io.wagateway.plugins.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.wagateway.api.DeliveryTarget;
import io.wagateway.api.PluginException;
import io.wagateway.api.RetriableException;
import io.wagateway.api.SessionStatus;
import io.wagateway.api.SessionStatusChanged;
import io.wagateway.api.SinkDelivery;
import io.wagateway.api.TargetGoneException;
import io.wagateway.testkit.TestSinkContext;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The sink against a real HTTP server on loopback: headers, body, and what each answer means. */
class WebhookSinkTest {

    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private HttpServer server;
    private final AtomicInteger status = new AtomicInteger(204);
    private final List<Map<String, String>> received = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startServer() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        server.createContext("/", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            var h = ex.getRequestHeaders();
            received.add(Map.of("id", h.getFirst("webhook-id"), "timestamp", h.getFirst("webhook-timestamp"),
                    "signature", h.getFirst("webhook-signature"), "type", h.getFirst("content-type"), "body", body,
                    "path", ex.getRequestURI().toString(), "port", Integer.toString(ex.getRemoteAddress().getPort())));
            if (status.get() == 302) {
                ex.getResponseHeaders().add("Location", "http://127.0.0.1:" + server.getAddress().getPort() + "/elsewhere");
            }
            if (status.get() == 200) {
                // An answer with a body (chunked, as the JDK server sends it for length 0): read whole, connection kept.
                ex.sendResponseHeaders(200, 0);
                ex.getResponseBody().write("{\"ok\":true}".getBytes(StandardCharsets.UTF_8));
            } else {
                ex.sendResponseHeaders(status.get(), -1);
            }
            ex.close();
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private WebhookSink sink(boolean allowPrivate) {
        return sink(allowPrivate, "2s");
    }

    private WebhookSink sink(boolean allowPrivate, String timeout) {
        WebhookSink sink = new WebhookSink();
        sink.start(TestSinkContext.validated(sink.configKeys(), Map.of("allow-private-targets", Boolean.toString(allowPrivate),
                "timeout", timeout)));
        return sink;
    }

    private SinkDelivery delivery(String url) {
        SessionStatusChanged e = new SessionStatusChanged("s1", "u1", SessionStatus.CONNECTED, null, "+62", "A",
                Instant.parse("2026-12-01T10:00:00Z"));
        String body = "{\"id\":\"" + e.eventId() + "\",\"type\":\"session_status_changed\"}";
        return new SinkDelivery(e.eventId(), e.type(), e.sessionId(), e.timestamp(), e, body, 1,
                Optional.of(new DeliveryTarget("sub-1", url, SECRET)));
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    @Test
    void postsTheSignedBodyAndA2xxIsDelivered() {
        SinkDelivery d = delivery(url("/hooks?token=abc"));
        sink(true).deliver(d);
        Map<String, String> got = received.getFirst();
        assertEquals(d.eventId(), got.get("id"));
        assertEquals(d.body(), got.get("body"));
        assertEquals("application/json", got.get("type"));
        assertEquals("/hooks?token=abc", got.get("path"));
        assertEquals(Signatures.sign(SECRET, d.eventId(), Long.parseLong(got.get("timestamp")), d.body()), got.get("signature"));
        assertTrue(Math.abs(Long.parseLong(got.get("timestamp")) - Instant.now().getEpochSecond()) < 5);
    }

    @Test
    void aReceiverConnectionIsKeptForTheNextDelivery() {
        WebhookSink sink = sink(true);
        sink.deliver(delivery(url("/a")));
        status.set(200);
        sink.deliver(delivery(url("/b")));
        sink.deliver(delivery(url("/c")));
        assertEquals(1, received.stream().map(r -> r.get("port")).distinct().count(), received.toString());
        sink.stop();
        sink.start(TestSinkContext.validated(sink.configKeys(), Map.of("allow-private-targets", "true")));
        sink.deliver(delivery(url("/d")));
        assertEquals(2, received.stream().map(r -> r.get("port")).distinct().count(), "stop closed the kept connection");
    }

    @Test
    void otherAnswersAreRetriedA410IsGoneAndRedirectsAreNotFollowed() {
        WebhookSink sink = sink(true);
        status.set(503);
        RetriableException busy = assertThrows(RetriableException.class, () -> sink.deliver(delivery(url("/h?token=s3cr3t"))));
        assertEquals("HTTP 503 from http://127.0.0.1:" + server.getAddress().getPort(), busy.getMessage());
        status.set(302);
        RetriableException moved = assertThrows(RetriableException.class, () -> sink.deliver(delivery(url("/h"))));
        assertTrue(moved.getMessage().contains("not followed"), moved.getMessage());
        assertEquals(2, received.size(), "the redirect's Location was not requested");
        status.set(410);
        assertThrows(TargetGoneException.class, () -> sink.deliver(delivery(url("/h"))));
    }

    @Test
    void anUnreachableReceiverIsRetriableAndAPrivateOneIsRefusedBeforeConnecting() {
        int port = server.getAddress().getPort();
        server.stop(0);
        RetriableException down = assertThrows(RetriableException.class, () -> sink(true).deliver(delivery(url("/h"))));
        assertFalse(down.getMessage().contains("token"), down.getMessage());
        PluginException refused = assertThrows(PluginException.class,
                () -> sink(false).deliver(delivery("http://localhost:" + port + "/h")));
        assertFalse(refused instanceof RetriableException);
        assertTrue(refused.getMessage().contains("loopback"), refused.getMessage());
    }

    @Test
    void theTimeoutIsADeadlineForTheWholeAnswerNotForEachRead() throws Exception {
        try (DripReceiver drip = new DripReceiver()) {
            WebhookSink sink = sink(true, "1s");
            // Each read gets a byte within 200 ms; only a deadline for the whole request ends it.
            RetriableException slow = assertTimeoutPreemptively(Duration.ofSeconds(5),
                    () -> assertThrows(RetriableException.class, () -> sink.deliver(delivery(drip.url()))));
            assertTrue(slow.getMessage().contains("No complete answer within 1s"), slow.getMessage());
            assertFalse(slow.getMessage().contains("s3cr3t"), slow.getMessage());
            assertTrue(drip.closedByClient.await(5, TimeUnit.SECONDS), "the receiver saw its connection closed");
            assertNoThreadReadsAnAnswer();
            sink.stop();
        }
    }

    @Test
    void anInterruptedDeliveryClosesItsConnectionAtOnce() throws Exception {
        try (DripReceiver drip = new DripReceiver()) {
            WebhookSink sink = sink(true, "60s");
            AtomicReference<RuntimeException> failure = new AtomicReference<>();
            // The host runs deliver on a platform thread and interrupts it when it gives the call up.
            Thread call = Thread.ofPlatform().name("abandoned-deliver").start(() -> {
                try {
                    sink.deliver(delivery(drip.url()));
                } catch (RuntimeException e) {
                    failure.set(e);
                }
            });
            assertTrue(drip.requested.await(5, TimeUnit.SECONDS));
            call.interrupt();
            call.join(5_000);
            assertFalse(call.isAlive(), "the interrupted delivery still blocks: " + Arrays.toString(call.getStackTrace()));
            assertTrue(failure.get() instanceof RetriableException, String.valueOf(failure.get()));
            assertTrue(drip.closedByClient.await(5, TimeUnit.SECONDS), "the receiver saw its connection closed");
            assertNoThreadReadsAnAnswer();
            sink.stop();
        }
    }

    @Test
    void stopClosesTheConnectionsOfDeliveriesStillInFlight() throws Exception {
        try (DripReceiver drip = new DripReceiver()) {
            WebhookSink sink = sink(true, "60s");
            AtomicReference<RuntimeException> failure = new AtomicReference<>();
            Thread call = Thread.ofPlatform().name("given-up-deliver").start(() -> {
                try {
                    sink.deliver(delivery(drip.url()));
                } catch (RuntimeException e) {
                    failure.set(e);
                }
            });
            assertTrue(drip.requested.await(5, TimeUnit.SECONDS));
            sink.stop();
            call.join(5_000);
            assertFalse(call.isAlive(), "the delivery outlived stop(): " + Arrays.toString(call.getStackTrace()));
            assertTrue(failure.get() instanceof RetriableException, String.valueOf(failure.get()));
            assertTrue(drip.closedByClient.await(5, TimeUnit.SECONDS), "the receiver saw its connection closed");
        }
    }

    /** No thread is left inside the plugin reading an answer (JUnit's abandoned timeout threads included). */
    private static void assertNoThreadReadsAnAnswer() throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        List<String> reading;
        do {
            reading = Thread.getAllStackTraces().entrySet().stream()
                    .filter(e -> Arrays.stream(e.getValue()).anyMatch(f -> f.getClassName().equals(Answer.class.getName())))
                    .map(e -> e.getKey().getName())
                    .toList();
            if (reading.isEmpty()) {
                return;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < end);
        assertTrue(reading.isEmpty(), "threads still reading an answer: " + reading);
    }
}
