package io.wagateway.socket;

import com.corundumstudio.socketio.SocketIOClient;
import com.corundumstudio.socketio.Transport;
import com.corundumstudio.socketio.handler.ClientHead;
import com.corundumstudio.socketio.protocol.Packet;
import com.corundumstudio.socketio.protocol.PacketType;
import com.corundumstudio.socketio.transport.NamespaceClient;

/**
 * Answers a polling client's pending long-poll when it disconnects. netty-socketio forgets the
 * client on its close packet but leaves the open GET unanswered, so the HTTP connection hangs on
 * both sides (a Node client cannot even exit). A NOOP packet completes that GET, and the encoder
 * closes the connection after it, as after every polling response.
 */
final class PendingPoll {

    private PendingPoll() {
    }

    /** Call from the disconnect listener: the transport channels are still bound then. */
    static void release(SocketIOClient client) {
        ClientHead head = ((NamespaceClient) client).getBaseClient();
        if (head.getCurrentTransport() == Transport.POLLING) {
            head.send(new Packet(PacketType.NOOP, head.getEngineIOVersion()), Transport.POLLING);
        }
    }
}
