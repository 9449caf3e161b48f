package io.wagateway.session;

import java.time.Instant;

/**
 * A message that arrived for a session's account, as stored.
 *
 * @param from       the sender: {@code +<digits>}, or the engine's id for the sender
 * @param fromName   the sender's name, or null
 * @param text       the text or caption, or null
 * @param timestamp  when it was sent, as the engine reported
 * @param receivedAt when the gateway stored it
 */
public record ReceivedMessage(String sessionId, String messageId, String from, String fromName, String chatId,
                              String text, String type, Instant timestamp, Instant receivedAt) {
}
