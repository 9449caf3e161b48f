package io.wagateway.socket;

/**
 * Delivers one event to every socket in a room. The one seam between the gateway's events and
 * the wire: a faster fan-out (encode once, write the same frame to every member) or a policy for
 * slow clients replaces the implementation without touching callers.
 *
 * <p>Threading: called on the publisher's thread, in each room's event order; must not block and
 * must keep that order per room.
 */
public interface RoomBroadcaster {

    /**
     * @param room    the room (a sessionId)
     * @param event   the Socket.IO event name
     * @param payload a JSON-mappable payload (maps, lists, strings, numbers)
     */
    void broadcast(String room, String event, Object payload);

    /**
     * Runs {@code publishing}, which broadcasts on this thread, and sends what it broadcast when it
     * returns (or throws) rather than as it goes, so that a burst of events shares one write per
     * member. The default sends as it goes.
     */
    default void holding(Runnable publishing) {
        publishing.run();
    }
}
