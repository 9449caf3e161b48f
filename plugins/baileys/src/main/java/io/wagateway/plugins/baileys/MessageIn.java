package io.wagateway.plugins.baileys;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A message that arrived for a session's account, as the worker's {@code message-in} event reports
 * it. Shaped like the contract's {@code message_received} payload; {@link InboundMessages} hands it
 * to the host as an {@link io.wagateway.api.InboundMessage}. Immutable.
 *
 * @param sessionId the session
 * @param messageId WhatsApp's id of the message
 * @param from      the sender: {@code +<digits>} when the phone number is known, else the sender's LID
 *                  (e.g. {@code 123456789012345@lid})
 * @param fromPhone the sender's phone number, {@code +<digits>}, when known
 * @param fromLid   the sender's LID, when known
 * @param fromName  the sender's WhatsApp name, when given
 * @param chatId    the chat it arrived in: the sender's jid, or a group's
 * @param text      the text or caption, when it has one
 * @param type      what it is: {@code text}, {@code image}, {@code video}, {@code audio}, {@code document},
 *                  {@code sticker}, {@code location}, {@code contact}, {@code reaction}, {@code poll}, or
 *                  the WhatsApp content name without its {@code Message} suffix
 * @param timestamp when it was sent
 */
record InboundMessage(String sessionId, String messageId, String from, Optional<String> fromPhone,
                      Optional<String> fromLid, Optional<String> fromName, String chatId, Optional<String> text,
                      String type, Instant timestamp) {

    /** Validates that the required fields are present and the optional ones are not null. */
    InboundMessage {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(fromPhone, "fromPhone");
        Objects.requireNonNull(fromLid, "fromLid");
        Objects.requireNonNull(fromName, "fromName");
        Objects.requireNonNull(chatId, "chatId");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(timestamp, "timestamp");
    }

    /**
     * Reads a {@code message-in} event: {@code {sessionId, messageId, from, fromPhone?, fromLid?,
     * fromName?, chatId, text?, messageType, timestamp}} (the message's type travels as
     * {@code messageType} because {@code type} names the event).
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
        Optional<String> fromPhone = optional(event, "fromPhone");
        if (fromPhone.isPresent() && !fromPhone.get().matches("\\+[0-9]{5,20}")) {
            throw new IllegalArgumentException("message-in: 'fromPhone' is not +<digits>: " + fromPhone.get());
        }
        return new InboundMessage(required(event, "sessionId"), required(event, "messageId"), required(event, "from"),
                fromPhone, optional(event, "fromLid"), optional(event, "fromName"), required(event, "chatId"),
                optional(event, "text"), required(event, "messageType"), at);
    }

    private static String required(Map<String, Object> event, String field) {
        if (event.get(field) instanceof String s && !s.isEmpty()) {
            return s;
        }
        throw new IllegalArgumentException("message-in: '" + field + "' must be a non-empty string but is " + event.get(field));
    }

    private static Optional<String> optional(Map<String, Object> event, String field) {
        Object value = event.get(field);
        if (value == null) {
            return Optional.empty();
        }
        if (value instanceof String s) {
            return s.isEmpty() ? Optional.empty() : Optional.of(s);
        }
        throw new IllegalArgumentException("message-in: '" + field + "' must be a string but is " + value);
    }
}
