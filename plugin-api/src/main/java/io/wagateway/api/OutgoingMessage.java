package io.wagateway.api;

import java.util.Objects;

/**
 * A text message the gateway asks an engine to send.
 *
 * @param messageId the gateway's id for it; report its progress with
 *                  {@link EngineContext#messageStatus(String, MessageStatus, String)}
 * @param to        the recipient, a phone number in E.164 form as the caller gave it (the host checks
 *                  only its shape; the engine decides whether it exists)
 * @param text      the text, never empty, at most the host's configured length
 */
public record OutgoingMessage(String messageId, String to, String text) {

    /** Validates that every field is present. */
    public OutgoingMessage {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(text, "text");
    }
}
