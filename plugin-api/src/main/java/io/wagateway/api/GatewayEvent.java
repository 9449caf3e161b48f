package io.wagateway.api;

import java.time.Instant;

/**
 * Something that happened to a session, as delivered to Socket.IO clients and to
 * {@link EventSink}s. Events of one session are delivered in the order they happened.
 *
 * <p>The family is closed: a sink can switch over it exhaustively. A minor version of the API may
 * add a member (1.1.0 added {@link MessageReceived}); an exhaustive {@code switch} without a
 * {@code default} then no longer compiles against the new API, and one compiled against the old
 * API throws {@link MatchException} for the new event at run time, which the host records as that
 * sink's failure to deliver it (the sink keeps receiving the other events). A sink that must stay
 * source-compatible across minor versions adds a {@code default} branch.
 */
public sealed interface GatewayEvent permits QrCodeUpdated, SessionStatusChanged, MessageStatusUpdated,
        MessageReceived {

    /** @return the session the event belongs to */
    String sessionId();

    /** @return the id of the user who owns the session */
    String userId();

    /** @return when it happened (UTC) */
    Instant timestamp();

    /** @return the Socket.IO event name, e.g. {@code qr_code_updated} */
    String type();

    /**
     * @return the event's unique, time-ordered id (a UUIDv7 string, {@link EventIds}), given by the
     *         host when the event happens and the same on every delivery and retry of it: the
     *         idempotency key downstream. Since API 1.2.0.
     */
    String eventId();
}
