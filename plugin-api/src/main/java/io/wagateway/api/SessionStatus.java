package io.wagateway.api;

/**
 * The status of a gateway session (one WhatsApp account linked to the gateway).
 *
 * <p>Allowed transitions are enforced by the host; an engine only reports facts through
 * {@link EngineContext}.
 */
public enum SessionStatus {
    /** Initial state, or stopped; carries a {@link StatusReason} once it has been started before. */
    DISCONNECTED,
    /** The engine is starting or reconnecting. */
    CONNECTING,
    /** The engine waits for a QR code to be scanned; {@link QrCodeUpdated} events follow. */
    QR_REQUIRED,
    /** The account is linked and online; messages can be sent. */
    CONNECTED,
    /** The engine failed; carries a {@link StatusReason}. The host may retry with backoff. */
    ERROR
}
