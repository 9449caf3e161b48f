package io.wagateway.socket;

import io.wagateway.api.GatewayEvent;
import io.wagateway.api.MessageReceived;
import io.wagateway.api.MessageStatus;
import io.wagateway.api.MessageStatusUpdated;
import io.wagateway.api.QrCodeUpdated;
import io.wagateway.api.SessionStatusChanged;
import io.wagateway.http.Json;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every payload the gateway emits on Socket.IO, in the frontend guide's shape plus the contract's
 * additive fields. Optional fields are left out rather than sent as null, as in the guide. Values
 * are strings and numbers only, so any JSON mapper writes them the same way.
 */
public final class EventPayloads {

    static final String CONNECTED = "connected";
    static final String SESSION_JOINED = "session_joined";
    static final String ERROR = "error";

    private EventPayloads() {
    }

    /** The payload of a gateway event; its event name is {@link GatewayEvent#type()}. */
    public static Map<String, Object> of(GatewayEvent event) {
        return switch (event) {
            case QrCodeUpdated qr -> qrCodeUpdated(qr);
            case SessionStatusChanged status -> statusChanged(status);
            case MessageStatusUpdated message -> messageStatus(message);
            case MessageReceived received -> messageReceived(received);
        };
    }

    static Map<String, Object> connected(String userId, Instant at) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("message", "Connected to WhatsApp Gateway");
        p.put("userId", userId);
        p.put("timestamp", Json.timestamp(at));
        return p;
    }

    static Map<String, Object> sessionJoined(String sessionId, Instant at) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("sessionId", sessionId);
        p.put("message", "Joined session room successfully");
        p.put("timestamp", Json.timestamp(at));
        return p;
    }

    static Map<String, Object> error(ErrorCode code, String message) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("message", message);
        p.put("code", code.name());
        return p;
    }

    /** The data of a refused handshake: socket.io-client shows it as {@code err.message} and {@code err.data}. */
    static Map<String, Object> connectError(ErrorCode code, String message) {
        return Map.of("message", message, "data", Map.of("code", code.name()));
    }

    private static Map<String, Object> qrCodeUpdated(QrCodeUpdated e) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("sessionId", e.sessionId());
        p.put("qrCode", e.qrCode());
        p.put("status", e.status().name());
        p.put("timestamp", Json.timestamp(e.timestamp()));
        p.put("attempt", e.attempt());
        p.put("expiresAt", Json.timestamp(e.expiresAt()));
        return p;
    }

    private static Map<String, Object> statusChanged(SessionStatusChanged e) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("sessionId", e.sessionId());
        p.put("status", e.status().name());
        putIfPresent(p, "phoneNumber", e.phoneNumber());
        putIfPresent(p, "displayName", e.displayName());
        p.put("timestamp", Json.timestamp(e.timestamp()));
        if (e.reason() != null) {
            p.put("reason", e.reason().name());
        }
        return p;
    }

    private static Map<String, Object> messageStatus(MessageStatusUpdated e) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("sessionId", e.sessionId());
        p.put("messageId", e.messageId());
        p.put("status", e.status().name());
        if (e.deliveredAt() != null) {
            p.put("deliveredAt", Json.timestamp(e.deliveredAt()));
        }
        p.put("timestamp", Json.timestamp(e.timestamp()));
        if (e.status() == MessageStatus.FAILED) {
            putIfPresent(p, "error", e.error());
        }
        return p;
    }

    private static Map<String, Object> messageReceived(MessageReceived e) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("sessionId", e.sessionId());
        p.put("messageId", e.messageId());
        p.put("from", e.from());
        putIfPresent(p, "fromName", e.fromName());
        p.put("chatId", e.chatId());
        putIfPresent(p, "text", e.text());
        p.put("type", e.messageType());
        p.put("timestamp", Json.timestamp(e.timestamp()));
        return p;
    }

    private static void putIfPresent(Map<String, Object> payload, String key, String value) {
        if (value != null) {
            payload.put(key, value);
        }
    }
}
