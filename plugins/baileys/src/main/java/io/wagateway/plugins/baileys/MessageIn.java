package io.wagateway.plugins.baileys;

import io.wagateway.api.InboundMessage;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * Reads the worker's {@code message-in} event into the plugin API's {@link InboundMessage}, which
 * the session hands to the host with {@link io.wagateway.api.EngineContext#messageReceived}.
 */
final class MessageIn {

    private MessageIn() {
    }

    /**
     * Reads a {@code message-in} event: {@code {sessionId, messageId, from, fromPhone?, fromLid?,
     * fromName?, chatId, text?, messageType, timestamp}} (the message's type travels as
     * {@code messageType} because {@code type} names the event; {@code sessionId} routed it here).
     * {@code from} is the phone number when the worker knows it, else the LID, and is what the host
     * gets ({@code fromPhone} is checked to be {@code +<digits>}; {@code fromLid} has no place in the
     * plugin API's message). Empty optional fields count as absent.
     *
     * @param event the parsed line
     * @return the message
     * @throws IllegalArgumentException naming the first field that is missing or malformed
     */
    static InboundMessage parse(Map<String, Object> event) {
        String timestamp = required(event, "timestamp");
        Instant at;
        try {
            at = Instant.parse(timestamp);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("message-in: 'timestamp' is not an ISO-8601 instant: " + timestamp, e);
        }
        String fromPhone = optional(event, "fromPhone");
        if (fromPhone != null && !fromPhone.matches("\\+[0-9]{5,20}")) {
            throw new IllegalArgumentException("message-in: 'fromPhone' is not +<digits>: " + fromPhone);
        }
        return new InboundMessage(required(event, "messageId"), required(event, "from"), optional(event, "fromName"),
                required(event, "chatId"), optional(event, "text"), required(event, "messageType"), at);
    }

    private static String required(Map<String, Object> event, String field) {
        if (event.get(field) instanceof String s && !s.isEmpty()) {
            return s;
        }
        throw new IllegalArgumentException("message-in: '" + field + "' must be a non-empty string but is " + event.get(field));
    }

    /** @return the field's text, or null when it is absent or empty */
    private static String optional(Map<String, Object> event, String field) {
        Object value = event.get(field);
        if (value == null) {
            return null;
        }
        if (value instanceof String s) {
            return s.isEmpty() ? null : s;
        }
        throw new IllegalArgumentException("message-in: '" + field + "' must be a string but is " + value);
    }
}
