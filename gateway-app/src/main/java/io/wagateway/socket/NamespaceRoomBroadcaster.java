package io.wagateway.socket;

import com.corundumstudio.socketio.SocketIONamespace;

/**
 * The stock fan-out: netty-socketio's room operations (one queued packet, encode and flush per
 * member). Writes are handed to each member's channel; nothing here blocks.
 */
final class NamespaceRoomBroadcaster implements RoomBroadcaster {

    private final SocketIONamespace namespace;

    NamespaceRoomBroadcaster(SocketIONamespace namespace) {
        this.namespace = namespace;
    }

    @Override
    public void broadcast(String room, String event, Object payload) {
        if (room.isEmpty()) {
            // "" is netty-socketio's room of every connected socket, authenticated or not.
            throw new IllegalArgumentException("empty room");
        }
        namespace.getRoomOperations(room).sendEvent(event, payload);
    }
}
