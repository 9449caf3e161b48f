package io.wagateway.api;

import java.time.Instant;

/**
 * Something that happened to a session, as delivered to Socket.IO clients and to
 * {@link EventSink}s. Events of one session are delivered in the order they happened.
 *
 * <p>The family is closed: a sink can switch over it exhaustively.
 */
public sealed interface GatewayEvent permits QrCodeUpdated, SessionStatusChanged, MessageStatusUpdated {

    /** @return the session the event belongs to */
    String sessionId();

    /** @return the id of the user who owns the session */
    String userId();

    /** @return when it happened (UTC) */
    Instant timestamp();

    /** @return the Socket.IO event name, e.g. {@code qr_code_updated} */
    String type();
}
