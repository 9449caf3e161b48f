package io.wagateway.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.wagateway.api.MessageReceived;
import io.wagateway.api.MessageStatus;
import io.wagateway.api.MessageStatusUpdated;
import io.wagateway.api.QrCodeUpdated;
import io.wagateway.api.SessionStatus;
import io.wagateway.api.SessionStatusChanged;
import io.wagateway.api.StatusReason;
import io.wagateway.http.Json;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The payloads as JSON: the guide's fields, the contract's additive ones, nothing null. */
class EventPayloadsTest {

    private static final Instant AT = Instant.parse("2024-01-15T10:30:00Z");
    private static final String S = "u1-phone-1752508259121";

    private static String json(Object payload) {
        return new String(Json.bytes(payload));
    }

    @Test
    void qrCode() {
        assertEquals("{\"sessionId\":\"" + S + "\",\"qrCode\":\"2@a,b,c\",\"status\":\"QR_REQUIRED\","
                        + "\"timestamp\":\"2024-01-15T10:30:00.000Z\",\"attempt\":3,\"expiresAt\":\"2024-01-15T10:30:20.123Z\"}",
                json(EventPayloads.of(new QrCodeUpdated(S, "u1", "2@a,b,c", 3, AT.plusMillis(20_123), AT))));
    }

    @Test
    void statusWithPhoneOnlyWhenConnectedAndReasonOnlyWhenGiven() {
        assertEquals("{\"sessionId\":\"" + S + "\",\"status\":\"CONNECTED\",\"phoneNumber\":\"+6281234567890\","
                        + "\"displayName\":\"John Doe\",\"timestamp\":\"2024-01-15T10:30:00.000Z\"}",
                json(EventPayloads.of(new SessionStatusChanged(S, "u1", SessionStatus.CONNECTED, null,
                        "+6281234567890", "John Doe", AT))));
        assertEquals("{\"sessionId\":\"" + S + "\",\"status\":\"DISCONNECTED\",\"timestamp\":\"2024-01-15T10:30:00.000Z\","
                        + "\"reason\":\"STOPPED\"}",
                json(EventPayloads.of(new SessionStatusChanged(S, "u1", SessionStatus.DISCONNECTED,
                        StatusReason.STOPPED, null, null, AT))));
    }

    @Test
    void messageStatusWithDeliveredAtOnlyWhenPresentAndErrorOnlyWhenFailed() {
        assertEquals("{\"sessionId\":\"" + S + "\",\"messageId\":\"m1\",\"status\":\"SENT\",\"timestamp\":\"2024-01-15T10:30:00.000Z\"}",
                json(EventPayloads.of(new MessageStatusUpdated(S, "u1", "m1", MessageStatus.SENT, null, null, AT))));
        assertEquals("{\"sessionId\":\"" + S + "\",\"messageId\":\"m1\",\"status\":\"DELIVERED\","
                        + "\"deliveredAt\":\"2024-01-15T10:35:00.000Z\",\"timestamp\":\"2024-01-15T10:35:00.000Z\"}",
                json(EventPayloads.of(new MessageStatusUpdated(S, "u1", "m1", MessageStatus.DELIVERED,
                        AT.plusSeconds(300), null, AT.plusSeconds(300)))));
        assertEquals("{\"sessionId\":\"" + S + "\",\"messageId\":\"m2\",\"status\":\"FAILED\","
                        + "\"timestamp\":\"2024-01-15T10:30:00.000Z\",\"error\":\"Recipient unreachable\"}",
                json(EventPayloads.of(new MessageStatusUpdated(S, "u1", "m2", MessageStatus.FAILED, null,
                        "Recipient unreachable", AT))));
    }

    @Test
    void messageReceivedWithoutUserIdAndWithOptionalFieldsOnlyWhenPresent() {
        assertEquals("{\"sessionId\":\"" + S + "\",\"messageId\":\"3EB0\",\"from\":\"+6289876543210\",\"fromName\":\"Siti\","
                        + "\"chatId\":\"6289876543210@s.whatsapp.net\",\"text\":\"halo\",\"type\":\"text\","
                        + "\"timestamp\":\"2024-01-15T10:30:00.000Z\"}",
                json(EventPayloads.of(new MessageReceived(S, "u1", "3EB0", "+6289876543210", "Siti",
                        "6289876543210@s.whatsapp.net", "halo", "text", AT))));
        assertEquals("{\"sessionId\":\"" + S + "\",\"messageId\":\"3EB1\",\"from\":\"99887766554433@lid\","
                        + "\"chatId\":\"120363025246125888@g.us\",\"type\":\"image\",\"timestamp\":\"2024-01-15T10:30:00.000Z\"}",
                json(EventPayloads.of(new MessageReceived(S, "u1", "3EB1", "99887766554433@lid", null,
                        "120363025246125888@g.us", null, "image", AT))));
    }

    @Test
    void gatewayOwnEvents() {
        assertEquals("{\"message\":\"Connected to WhatsApp Gateway\",\"userId\":\"u1\",\"timestamp\":\"2024-01-15T10:30:00.000Z\"}",
                json(EventPayloads.connected("u1", AT)));
        assertEquals("{\"sessionId\":\"" + S + "\",\"message\":\"Joined session room successfully\","
                        + "\"timestamp\":\"2024-01-15T10:30:00.000Z\"}",
                json(EventPayloads.sessionJoined(S, AT)));
        assertEquals("{\"message\":\"Invalid session ID or access denied\",\"code\":\"INVALID_SESSION\"}",
                json(EventPayloads.error(ErrorCode.INVALID_SESSION, "Invalid session ID or access denied")));
    }
}
