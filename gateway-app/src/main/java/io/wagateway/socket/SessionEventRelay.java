package io.wagateway.socket;

import io.wagateway.api.GatewayEvent;
import io.wagateway.event.EventBus;
import java.util.function.Consumer;

/**
 * The event bus listener: each gateway event goes to its session's room, on the publisher's
 * thread, so a session's events keep the order in which the session published them; never while
 * a socket enters that room ({@link RoomLocks}).
 */
final class SessionEventRelay implements Consumer<GatewayEvent>, EventBus.Holding {

    private final RoomBroadcaster broadcaster;
    private final RoomLocks rooms;

    SessionEventRelay(RoomBroadcaster broadcaster, RoomLocks rooms) {
        this.broadcaster = broadcaster;
        this.rooms = rooms;
    }

    @Override
    public void accept(GatewayEvent event) {
        Object payload = EventPayloads.of(event);
        rooms.inRoom(event.sessionId(), () -> broadcaster.broadcast(event.sessionId(), event.type(), payload));
    }

    @Override
    public void holding(Runnable publishing) {
        broadcaster.holding(publishing);
    }
}
