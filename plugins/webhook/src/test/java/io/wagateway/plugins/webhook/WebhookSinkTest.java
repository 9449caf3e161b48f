package io.wagateway.plugins.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
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
                    "path", ex.getRequestURI().toString()));
            if (status.get() == 302) {
                ex.getResponseHeaders().add("Location", "http://127.0.0.1:" + server.getAddress().getPort() + "/elsewhere");
            }
            ex.sendResponseHeaders(status.get(), -1);
            ex.close();
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private WebhookSink sink(boolean allowPrivate) {
        WebhookSink sink = new WebhookSink();
        sink.start(TestSinkContext.validated(sink.configKeys(), Map.of("allow-private-targets", Boolean.toString(allowPrivate),
                "timeout", "2s")));
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
}
