package io.wagateway.api;

import java.time.Instant;
import java.util.Objects;

/**
 * A message arrived for a session's account ({@code message_received}); the host stored it before
 * publishing this. Since API 1.1.0.
 *
 * @param sessionId the session whose account received it
 * @param userId    the owner of the session
 * @param messageId WhatsApp's id of the message
 * @param from      the sender: {@code +<digits>} when the phone number is known, else the engine's id for the sender
 * @param fromName  the sender's WhatsApp name, or null
 * @param chatId    the chat it arrived in
 * @param text      the text or caption, or null
 * @param messageType what it is, e.g. {@code text} or {@code image} (see {@link InboundMessage#messageType()});
 *                  {@code type} in the Socket.IO payload ({@link #type()} is the event's name)
 * @param timestamp when it was sent
 * @param eventId   the event's unique, time-ordered id (a UUIDv7 string, see {@link EventIds}), given by
 *                  the host when the event happens; the idempotency key downstream (since API 1.2.0)
 */
public record MessageReceived(String sessionId, String userId, String messageId, String from, String fromName,
                              String chatId, String text, String messageType, Instant timestamp, String eventId) implements GatewayEvent {

    /** Event name on Socket.IO. */
    public static final String TYPE = "message_received";

    /** Validates the required fields. */
    public MessageReceived {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(chatId, "chatId");
        Objects.requireNonNull(messageType, "messageType");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(eventId, "eventId");
    }

    /**
     * The constructor of API 1.0/1.1, kept for compatibility: the event gets a new id from
     * {@link EventIds#next()}.
     *
     * @param sessionId see the record's components
     * @param userId see the record's components
     * @param messageId see the record's components
     * @param from see the record's components
     * @param fromName see the record's components
     * @param chatId see the record's components
     * @param text see the record's components
     * @param messageType see the record's components
     * @param timestamp see the record's components
     */
    public MessageReceived(String sessionId, String userId, String messageId, String from, String fromName,
            String chatId, String text, String messageType, Instant timestamp) {
        this(sessionId, userId, messageId, from, fromName, chatId, text, messageType, timestamp, EventIds.next());
    }

    /** @return {@value #TYPE}, the event's name; the message's own type is {@link #messageType()} */
    @Override
    public String type() {
        return TYPE;
    }
}
