package io.wagateway.socket;

import io.wagateway.api.GatewayEvent;
import java.util.function.Consumer;

/**
 * The event bus listener: each gateway event goes to its session's room, on the publisher's
 * thread, so a session's events keep the order in which the session published them.
 */
final class SessionEventRelay implements Consumer<GatewayEvent> {

    private final RoomBroadcaster broadcaster;

    SessionEventRelay(RoomBroadcaster broadcaster) {
        this.broadcaster = broadcaster;
    }

    @Override
    public void accept(GatewayEvent event) {
        broadcaster.broadcast(event.sessionId(), event.type(), EventPayloads.of(event));
    }
}
