package io.wagateway.api;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The API's records refuse a missing required field, naming it, and accept the optional ones as null. */
class RecordsTest {

    private static final Instant T = Instant.parse("2026-12-01T10:00:00Z");
    private static final String S = "u1-name-1752508259121";

    /** One case per required field: the field's name and a constructor call with only that field null. */
    static Stream<Arguments> requiredFields() {
        return Stream.of(
                required("QrCodeUpdated", "sessionId", () -> new QrCodeUpdated(null, "u1", "2@q", 1, T, T)),
                required("QrCodeUpdated", "userId", () -> new QrCodeUpdated(S, null, "2@q", 1, T, T)),
                required("QrCodeUpdated", "qrCode", () -> new QrCodeUpdated(S, "u1", null, 1, T, T)),
                required("QrCodeUpdated", "expiresAt", () -> new QrCodeUpdated(S, "u1", "2@q", 1, null, T)),
                required("QrCodeUpdated", "timestamp", () -> new QrCodeUpdated(S, "u1", "2@q", 1, T, null)),
                required("SessionStatusChanged", "sessionId",
                        () -> new SessionStatusChanged(null, "u1", SessionStatus.CONNECTED, null, null, null, T)),
                required("SessionStatusChanged", "userId",
                        () -> new SessionStatusChanged(S, null, SessionStatus.CONNECTED, null, null, null, T)),
                required("SessionStatusChanged", "status",
                        () -> new SessionStatusChanged(S, "u1", null, null, null, null, T)),
                required("SessionStatusChanged", "timestamp",
                        () -> new SessionStatusChanged(S, "u1", SessionStatus.CONNECTED, null, null, null, null)),
                required("MessageStatusUpdated", "sessionId",
                        () -> new MessageStatusUpdated(null, "u1", "m1", MessageStatus.SENT, null, null, T)),
                required("MessageStatusUpdated", "userId",
                        () -> new MessageStatusUpdated(S, null, "m1", MessageStatus.SENT, null, null, T)),
                required("MessageStatusUpdated", "messageId",
                        () -> new MessageStatusUpdated(S, "u1", null, MessageStatus.SENT, null, null, T)),
                required("MessageStatusUpdated", "status",
                        () -> new MessageStatusUpdated(S, "u1", "m1", null, null, null, T)),
                required("MessageStatusUpdated", "timestamp",
                        () -> new MessageStatusUpdated(S, "u1", "m1", MessageStatus.SENT, null, null, null)),
                required("MessageReceived", "sessionId", () -> new MessageReceived(null, "u1", "m1", "+62811", null, "c", null, "text", T)),
                required("MessageReceived", "userId", () -> new MessageReceived(S, null, "m1", "+62811", null, "c", null, "text", T)),
                required("MessageReceived", "messageId", () -> new MessageReceived(S, "u1", null, "+62811", null, "c", null, "text", T)),
                required("MessageReceived", "from", () -> new MessageReceived(S, "u1", "m1", null, null, "c", null, "text", T)),
                required("MessageReceived", "chatId", () -> new MessageReceived(S, "u1", "m1", "+62811", null, null, null, "text", T)),
                required("MessageReceived", "messageType", () -> new MessageReceived(S, "u1", "m1", "+62811", null, "c", null, null, T)),
                required("MessageReceived", "timestamp", () -> new MessageReceived(S, "u1", "m1", "+62811", null, "c", null, "text", null)),
                required("InboundMessage", "messageId", () -> new InboundMessage(null, "+62811", null, "c", null, "text", T)),
                required("InboundMessage", "from", () -> new InboundMessage("m1", null, null, "c", null, "text", T)),
                required("InboundMessage", "chatId", () -> new InboundMessage("m1", "+62811", null, null, null, "text", T)),
                required("InboundMessage", "messageType", () -> new InboundMessage("m1", "+62811", null, "c", null, null, T)),
                required("InboundMessage", "timestamp", () -> new InboundMessage("m1", "+62811", null, "c", null, "text", null)),
                required("OutgoingMessage", "messageId", () -> new OutgoingMessage(null, "+62811", "hi")),
                required("OutgoingMessage", "to", () -> new OutgoingMessage("m1", null, "hi")),
                required("OutgoingMessage", "text", () -> new OutgoingMessage("m1", "+62811", null)),
                required("ConfigKey", "name", () -> new ConfigKey(null, ConfigKey.Type.LONG, "1", "doc")),
                required("ConfigKey", "type", () -> new ConfigKey("k", null, "1", "doc")),
                required("ConfigKey", "doc", () -> new ConfigKey("k", ConfigKey.Type.LONG, "1", null)),
                required("ActionException", "kind", () -> new ActionException(null, "message")));
    }

    private static Arguments required(String type, String field, Supplier<?> construct) {
        return Arguments.of(type, field, (Executable) construct::get);
    }

    @ParameterizedTest(name = "{0}.{1} is required")
    @MethodSource("requiredFields")
    void requiredFieldIsRefusedByName(String type, String field, Executable construct) {
        NullPointerException e = assertThrows(NullPointerException.class, construct);
        assertEquals(field, e.getMessage());
    }

    @Test
    void optionalFieldsMayBeNull() {
        assertDoesNotThrow(() -> new SessionStatusChanged(S, "u1", SessionStatus.CONNECTING, null, null, null, T));
        assertDoesNotThrow(() -> new MessageStatusUpdated(S, "u1", "m1", MessageStatus.SENT, null, null, T));
        assertDoesNotThrow(() -> new MessageReceived(S, "u1", "m1", "+62811", null, "c", null, "image", T));
        assertDoesNotThrow(() -> new InboundMessage("m1", "+62811", null, "c", null, "image", T));
        assertFalse(new ConfigKey("k", ConfigKey.Type.STRING, "", "doc").required(), "an empty default is a default");
        assertTrue(new ConfigKey("k", ConfigKey.Type.STRING, null, "doc").required());
    }

    @Test
    void eventsNameTheirSocketIoEvent() {
        List<GatewayEvent> events = List.of(
                new QrCodeUpdated(S, "u1", "2@q", 1, T, T),
                new SessionStatusChanged(S, "u1", SessionStatus.CONNECTED, null, "+62811", "Budi", T),
                new MessageStatusUpdated(S, "u1", "m1", MessageStatus.DELIVERED, T, null, T),
                new MessageReceived(S, "u1", "m2", "+62811", "Budi", "62811@s.whatsapp.net", "halo", "text", T));
        // An exhaustive switch over the sealed family: a new event type breaks this until it is named here.
        List<String> types = events.stream().map(event -> switch (event) {
            case QrCodeUpdated qr -> QrCodeUpdated.TYPE;
            case SessionStatusChanged status -> SessionStatusChanged.TYPE;
            case MessageStatusUpdated message -> MessageStatusUpdated.TYPE;
            case MessageReceived received -> MessageReceived.TYPE;
        }).toList();
        assertEquals(List.of("qr_code_updated", "session_status_changed", "message_status_updated", "message_received"),
                types);
        assertEquals(types, events.stream().map(GatewayEvent::type).toList());
        assertEquals(SessionStatus.QR_REQUIRED, ((QrCodeUpdated) events.getFirst()).status());
    }

    @Test
    void actionExceptionKeepsItsKindAndMessage() {
        ActionException e = new ActionException(ActionException.Kind.INVALID_PARAMS, "phoneNumber is missing");
        assertEquals(ActionException.Kind.INVALID_PARAMS, e.kind());
        assertEquals("phoneNumber is missing", e.getMessage());
    }
}
