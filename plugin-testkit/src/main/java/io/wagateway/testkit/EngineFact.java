package io.wagateway.testkit;

import io.wagateway.api.EngineContext;
import io.wagateway.api.InboundMessage;
import io.wagateway.api.MessageStatus;
import io.wagateway.api.StatusReason;
import java.time.Instant;

/**
 * One fact an engine reported through its {@link EngineContext}, as {@link RecordingEngineContext}
 * recorded it, stamped with the moment it arrived. The family is closed, so a test can switch over it;
 * it grows with the plugin API ({@link Received} came with API 1.1.0), so a switch without
 * {@code default} needs a new branch then.
 */
public sealed interface EngineFact {

    /** @return when the context received the fact */
    Instant at();

    /**
     * {@link EngineContext#qrCode(String, int, Instant)}.
     *
     * @param code      the raw QR string
     * @param attempt   its number within the linking attempt, from 1
     * @param expiresAt when it stops being valid
     * @param at        when it was reported
     */
    record Qr(String code, int attempt, Instant expiresAt, Instant at) implements EngineFact {
    }

    /**
     * {@link EngineContext#connected(String, String)}.
     *
     * @param phoneNumber the account's phone number
     * @param displayName the account's display name
     * @param at          when it was reported
     */
    record Connected(String phoneNumber, String displayName, Instant at) implements EngineFact {
    }

    /**
     * {@link EngineContext#disconnected(StatusReason)}.
     *
     * @param reason why the connection ended
     * @param at     when it was reported
     */
    record Disconnected(StatusReason reason, Instant at) implements EngineFact {
    }

    /**
     * {@link EngineContext#failed(String, Throwable)}.
     *
     * @param message what went wrong
     * @param cause   the cause, or null
     * @param at      when it was reported
     */
    record Failed(String message, Throwable cause, Instant at) implements EngineFact {
    }

    /**
     * {@link EngineContext#messageStatus(String, MessageStatus, String)}.
     *
     * @param messageId the outgoing message
     * @param status    its new status
     * @param error     why it failed, or null
     * @param at        when it was reported
     */
    record Status(String messageId, MessageStatus status, String error, Instant at) implements EngineFact {
    }

    /**
     * {@link EngineContext#messageReceived(InboundMessage)}.
     *
     * @param message the message that arrived
     * @param at      when it was reported
     */
    record Received(InboundMessage message, Instant at) implements EngineFact {
    }
}
