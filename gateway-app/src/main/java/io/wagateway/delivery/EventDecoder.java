package io.wagateway.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import io.wagateway.api.GatewayEvent;
import io.wagateway.api.MessageReceived;
import io.wagateway.api.MessageStatus;
import io.wagateway.api.MessageStatusUpdated;
import io.wagateway.api.QrCodeUpdated;
import io.wagateway.api.SessionStatus;
import io.wagateway.api.SessionStatusChanged;
import io.wagateway.api.StatusReason;
import io.wagateway.http.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * Reads a stored envelope back into its {@link GatewayEvent}, for a sink that wants the typed event
 * beside the JSON: the inverse of {@link EventEnvelopes} (whose {@code data} carries every field of
 * the event but the owner's id, which the outbox row keeps).
 */
final class EventDecoder {

    private EventDecoder() {
    }

    /**
     * @param body   the envelope as stored
     * @param userId the session's owner
     * @throws IllegalArgumentException when the envelope is not one the host wrote
     */
    static GatewayEvent decode(String body, String userId) {
        JsonNode envelope;
        try {
            envelope = Json.MAPPER.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException("Stored envelope is not JSON", e);
        }
        String id = text(envelope, "id");
        String type = text(envelope, "type");
        JsonNode d = envelope.get("data");
        String sessionId = text(envelope, "sessionId");
        Instant at = Instant.parse(text(d, "timestamp"));
        return switch (type) {
            case QrCodeUpdated.TYPE -> new QrCodeUpdated(sessionId, userId, text(d, "qrCode"), d.path("attempt").asInt(),
                    Instant.parse(text(d, "expiresAt")), at, id);
            case SessionStatusChanged.TYPE -> new SessionStatusChanged(sessionId, userId,
                    SessionStatus.valueOf(text(d, "status")), optional(d, "reason") == null ? null
                    : StatusReason.valueOf(optional(d, "reason")), optional(d, "phoneNumber"), optional(d, "displayName"), at, id);
            case MessageStatusUpdated.TYPE -> new MessageStatusUpdated(sessionId, userId, text(d, "messageId"),
                    MessageStatus.valueOf(text(d, "status")), optional(d, "deliveredAt") == null ? null
                    : Instant.parse(optional(d, "deliveredAt")), optional(d, "error"), at, id);
            case MessageReceived.TYPE -> new MessageReceived(sessionId, userId, text(d, "messageId"), text(d, "from"),
                    optional(d, "fromName"), text(d, "chatId"), optional(d, "text"), text(d, "type"), at, id);
            default -> throw new IllegalArgumentException("Unknown event type in the outbox: " + type);
        };
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException("Stored envelope lacks '" + field + "'");
        }
        return value.textValue();
    }

    private static String optional(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
