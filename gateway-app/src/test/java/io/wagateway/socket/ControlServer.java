package io.wagateway.socket;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.wagateway.api.GatewayEvent;
import io.wagateway.api.MessageStatus;
import io.wagateway.api.MessageStatusUpdated;
import io.wagateway.api.QrCodeUpdated;
import io.wagateway.api.SessionStatus;
import io.wagateway.api.SessionStatusChanged;
import io.wagateway.api.StatusReason;
import io.wagateway.http.Json;
import io.wagateway.testing.TestGateway;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

/**
 * What the Node scenarios ask of the Java side while they run, over loopback HTTP:
 * <ul>
 *   <li>{@code POST /publish {gateway, sessionId, events:[...]}} or {@code {gateway, sessionId, burst:n}}
 *       publishes through the gateway's event bus, in order, from one thread, and answers when done;</li>
 *   <li>{@code POST /shutdown {gateway}} closes that gateway and answers when it has stopped.</li>
 * </ul>
 * Stands in for an engine until the simulator engine is wired into the host.
 */
final class ControlServer implements AutoCloseable {

    private final HttpServer http;
    private final Map<String, TestGateway> gateways = new ConcurrentHashMap<>();
    private final Map<String, String> owners = new ConcurrentHashMap<>();

    ControlServer() throws IOException {
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        http.createContext("/publish", exchange -> answer(exchange, this::publish));
        http.createContext("/shutdown", exchange -> answer(exchange, this::shutdown));
        http.start();
    }

    String url() {
        return "http://127.0.0.1:" + http.getAddress().getPort();
    }

    void gateway(String name, TestGateway gateway) {
        gateways.put(name, gateway);
    }

    void owner(String sessionId, String userId) {
        owners.put(sessionId, userId);
    }

    private Object publish(JsonNode body) {
        TestGateway gateway = gateway(body);
        String sessionId = body.get("sessionId").asText();
        String userId = owners.get(sessionId);
        int published = 0;
        if (body.has("burst")) {
            Instant now = Instant.now();
            for (int i = 1; i <= body.get("burst").asInt(); i++) {
                gateway.gateway().events().publish(new MessageStatusUpdated(sessionId, userId, "burst-" + i,
                        MessageStatus.SENT, null, null, now));
                published++;
            }
        }
        for (JsonNode e : body.path("events")) {
            gateway.gateway().events().publish(event(sessionId, userId, e));
            published++;
        }
        return Map.of("published", published);
    }

    private Object shutdown(JsonNode body) {
        gateway(body).close();
        return Map.of("stopped", true);
    }

    private TestGateway gateway(JsonNode body) {
        TestGateway gateway = gateways.get(body.get("gateway").asText());
        if (gateway == null) {
            throw new IllegalArgumentException("no gateway " + body.get("gateway"));
        }
        return gateway;
    }

    private static GatewayEvent event(String sessionId, String userId, JsonNode e) {
        Instant timestamp = Instant.parse(e.get("timestamp").asText());
        return switch (e.get("type").asText()) {
            case QrCodeUpdated.TYPE -> new QrCodeUpdated(sessionId, userId, e.get("qrCode").asText(),
                    e.get("attempt").asInt(), Instant.parse(e.get("expiresAt").asText()), timestamp);
            case SessionStatusChanged.TYPE -> new SessionStatusChanged(sessionId, userId,
                    SessionStatus.valueOf(e.get("status").asText()),
                    e.hasNonNull("reason") ? StatusReason.valueOf(e.get("reason").asText()) : null,
                    text(e, "phoneNumber"), text(e, "displayName"), timestamp);
            case MessageStatusUpdated.TYPE -> new MessageStatusUpdated(sessionId, userId, e.get("messageId").asText(),
                    MessageStatus.valueOf(e.get("status").asText()),
                    e.hasNonNull("deliveredAt") ? Instant.parse(e.get("deliveredAt").asText()) : null,
                    text(e, "error"), timestamp);
            default -> throw new IllegalArgumentException("unknown event type " + e.get("type"));
        };
    }

    private static String text(JsonNode e, String field) {
        return e.hasNonNull(field) ? e.get(field).asText() : null;
    }

    private interface Action {
        Object run(JsonNode body);
    }

    private static void answer(HttpExchange exchange, Action action) throws IOException {
        int status = 200;
        byte[] body;
        try {
            body = Json.bytes(action.run(Json.MAPPER.readTree(exchange.getRequestBody())));
        } catch (RuntimeException e) {
            status = 500;
            body = Json.bytes(Map.of("error", String.valueOf(e)));
        }
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        try (var out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        http.stop(0);
    }
}
