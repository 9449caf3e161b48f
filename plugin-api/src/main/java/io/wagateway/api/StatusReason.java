package io.wagateway.api;

/**
 * Why a session is {@link SessionStatus#DISCONNECTED} or in {@link SessionStatus#ERROR}.
 */
public enum StatusReason {
    /** Stopped on request; credentials kept, so the next start needs no scan. */
    STOPPED,
    /** Unlinked (by the gateway or from the phone); credentials deleted, the next start shows a QR. */
    LOGGED_OUT,
    /** No QR code was scanned before the engine gave up. */
    QR_TIMEOUT,
    /** The connection to WhatsApp dropped; the host reconnects. */
    CONNECTION_LOST,
    /** The engine failed (threw, or reported a failure). */
    ENGINE_FAILED,
    /** The session's engine plugin is not loaded. */
    ENGINE_UNAVAILABLE,
    /** The gateway restarted while the session was linking; start it again to get a new QR. */
    GATEWAY_RESTARTED,
    /**
     * The same account was opened elsewhere (another client took over its connection); not
     * reconnected, so the two do not fight over it. Credentials are kept: a start reconnects
     * without a scan. Since API 1.1.0.
     */
    REPLACED,
    /**
     * The session was deleted: the last event of its room and its sinks. Set by the host; an
     * engine reporting it gets an {@code IllegalArgumentException}. Since API 1.4.0.
     */
    DELETED
}
