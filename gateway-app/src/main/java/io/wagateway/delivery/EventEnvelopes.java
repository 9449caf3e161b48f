package io.wagateway.delivery;

import io.wagateway.api.GatewayEvent;
import io.wagateway.http.Json;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Renders the envelope every sink publishes, {@code {id, type, timestamp, sessionId, data}}, where
 * {@code data} is the event's Socket.IO payload. The payload mapping belongs to the Socket.IO edge
 * ({@code socket.EventPayloads}); it is handed in here so that sinks and Socket.IO clients always
 * see the same fields and the delivery package does not reach into another feature.
 */
public final class EventEnvelopes {

    private final Function<GatewayEvent, Map<String, Object>> payloads;

    /** @param payloads the event's Socket.IO payload */
    public EventEnvelopes(Function<GatewayEvent, Map<String, Object>> payloads) {
        this.payloads = Objects.requireNonNull(payloads, "payloads");
    }

    /** @return the envelope as compact JSON */
    public String render(GatewayEvent event) {
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("id", event.eventId());
        envelope.put("type", event.type());
        envelope.put("timestamp", Json.timestamp(event.timestamp()));
        envelope.put("sessionId", event.sessionId());
        envelope.put("data", payloads.apply(event));
        return new String(Json.bytes(envelope), StandardCharsets.UTF_8);
    }
}
