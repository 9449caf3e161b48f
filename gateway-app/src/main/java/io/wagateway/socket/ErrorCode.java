package io.wagateway.socket;

import io.wagateway.error.DomainException;

/**
 * The {@code code} of an {@code error} event or of a refused handshake's {@code connect_error}
 * data. The first four are the contract's; the last two are additive, for the abuse limits.
 */
public enum ErrorCode {
    /** The session does not exist or is not the caller's. */
    INVALID_SESSION,
    /** The event's payload is not a sessionId string or {@code {sessionId}}. */
    INVALID_PAYLOAD,
    /** No token, a refused token, or the token expired while connected. */
    UNAUTHORIZED,
    /** The gateway failed; the client may retry. */
    INTERNAL_ERROR,
    /** More client events per second than {@code gateway.socketio.events-per-second}; the event was dropped. */
    RATE_LIMITED,
    /** A cap was reached: rooms per socket, or sockets per user (then on {@code connect_error}). */
    LIMIT_EXCEEDED;

    /** The one place where a domain refusal becomes a Socket.IO error code. */
    static ErrorCode of(DomainException e) {
        return switch (e) {
            case DomainException.NotFound x -> INVALID_SESSION;
            case DomainException.Forbidden x -> INVALID_SESSION;
            case DomainException.Invalid x -> INVALID_PAYLOAD;
            case DomainException.Unauthorized x -> UNAUTHORIZED;
            case DomainException.RateLimited x -> RATE_LIMITED;
            case DomainException.Conflict x -> INTERNAL_ERROR;
        };
    }
}
