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
 */
public record MessageReceived(String sessionId, String userId, String messageId, String from, String fromName,
                              String chatId, String text, String messageType, Instant timestamp) implements GatewayEvent {

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
    }

    /** @return {@value #TYPE}, the event's name; the message's own type is {@link #messageType()} */
    @Override
    public String type() {
        return TYPE;
    }
}
