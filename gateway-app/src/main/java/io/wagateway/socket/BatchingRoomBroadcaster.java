package io.wagateway.socket;

import com.corundumstudio.socketio.SocketIOClient;
import com.corundumstudio.socketio.SocketIONamespace;
import com.corundumstudio.socketio.Transport;
import com.corundumstudio.socketio.handler.ClientHead;
import com.corundumstudio.socketio.protocol.EngineIOVersion;
import com.corundumstudio.socketio.transport.NamespaceClient;
import io.netty.channel.Channel;
import java.util.function.Function;

/**
 * The encode-once fan-out: each event is serialized once per room ({@link EncodedEvent}: the
 * packet and its websocket frame), put on every member's own packet queue (so it keeps its place
 * among that client's packets: the late-join snapshot, errors, pings) and written in batches by
 * the {@link WriteBatcher}, one task per event loop and one flush per client per batch instead
 * of one task, one encoding and one flush per member and event. Polling members get the same
 * encoded packet through netty-socketio's own queue ({@link PollingAnswers}). In a
 * {@link #holding} (the events of one database commit) each member gets one write for all of them.
 *
 * <p>Threading: as {@link RoomBroadcaster} says; called in each room's event order, which the
 * per-client queues keep. Nothing here blocks.
 */
final class BatchingRoomBroadcaster implements RoomBroadcaster {

    private final SocketIONamespace namespace;
    private final WriteBatcher batcher;
    private final Function<ClientHead, Channel> websocketChannel;
    private final PollingAnswers polling;

    BatchingRoomBroadcaster(SocketIONamespace namespace, WriteBatcher batcher, Function<ClientHead, Channel> websocketChannel,
                            PollingAnswers polling) {
        this.namespace = namespace;
        this.batcher = batcher;
        this.websocketChannel = websocketChannel;
        this.polling = polling;
    }

    @Override
    public void broadcast(String room, String event, Object payload) {
        if (room.isEmpty()) {
            // "" is netty-socketio's room of every connected socket, authenticated or not.
            throw new IllegalArgumentException("empty room");
        }
        EncodedEvent encoded = null;
        for (SocketIOClient member : namespace.getRoomOperations(room).getClients()) {
            ClientHead client = ((NamespaceClient) member).getBaseClient();
            if (!client.isConnected()) {
                continue;
            }
            if (client.getEngineIOVersion() != EngineIOVersion.V4) {
                member.sendEvent(event, payload); // older engine.io framing: netty-socketio's own encoding
                continue;
            }
            if (encoded == null) {
                encoded = EncodedEvent.of(event, payload);
            }
            Channel websocket = client.getCurrentTransport() == Transport.WEBSOCKET ? websocketChannel.apply(client) : null;
            if (websocket == null) {
                polling.send(client, encoded); // polling, or no access to the channel: netty-socketio's queue
                continue;
            }
            client.getPacketsQueue(Transport.WEBSOCKET).add(encoded);
            batcher.schedule(websocket, client);
        }
    }

    @Override
    public void holding(Runnable publishing) {
        batcher.holding(() -> polling.holding(publishing));
    }
}
