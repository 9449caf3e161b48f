package io.wagateway.api;

import java.time.Instant;
import java.util.Objects;

/**
 * A message that arrived for a session's account, as an engine reports it with
 * {@link EngineContext#messageReceived(InboundMessage)}. Since API 1.1.0.
 *
 * @param messageId WhatsApp's id of the message; the host keeps one message per id and session
 * @param from      the sender: {@code +<digits>} when the phone number is known, else the engine's
 *                  id for the sender (e.g. a LID, {@code 123456789012345@lid})
 * @param fromName  the sender's WhatsApp name, or null when not given
 * @param chatId    the chat it arrived in, in the engine's form (e.g. {@code 6281234567890@s.whatsapp.net},
 *                  or a group's {@code ...@g.us})
 * @param text      the text or caption, or null when it has none
 * @param messageType what it is: {@code text}, {@code image}, {@code video}, {@code audio}, {@code document},
 *                  {@code sticker}, {@code location}, {@code contact}, {@code reaction}, {@code poll}, or
 *                  another short lower-case name the engine chooses
 * @param timestamp when it was sent, as WhatsApp says
 */
public record InboundMessage(String messageId, String from, String fromName, String chatId, String text, String messageType,
                             Instant timestamp) {

    /** Validates the required fields. */
    public InboundMessage {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(chatId, "chatId");
        Objects.requireNonNull(messageType, "messageType");
        Objects.requireNonNull(timestamp, "timestamp");
    }
}
