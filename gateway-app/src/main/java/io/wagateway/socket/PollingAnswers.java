package io.wagateway.socket;

import com.corundumstudio.socketio.Transport;
import com.corundumstudio.socketio.handler.ClientHead;
import com.corundumstudio.socketio.handler.EncoderHandler;
import com.corundumstudio.socketio.messages.OutPacketMessage;
import com.corundumstudio.socketio.protocol.Packet;
import io.netty.channel.Channel;
import java.util.function.Function;

/**
 * Sends events to polling clients, answering a waiting poll once per burst of events rather than
 * with the first of them. netty-socketio answers a client's waiting GET as soon as one packet is
 * queued; the events queued after it wait for the client's next GET, a round trip later. During a
 * {@link #holding} each packet goes on the client's polling queue at once (its place among the
 * client's other packets is kept), and the waiting GET is answered when the holding ends, with all
 * of them. Outside a holding, or without access to the client's polling channel, it is
 * netty-socketio's own send.
 *
 * <p>Thread-safe: a holding is the calling thread's; the answer is written as netty-socketio's send
 * writes it, and its encoder answers a GET at most once.
 */
final class PollingAnswers {

    private final Function<ClientHead, Channel> pollingChannel;
    private final BurstHold<ClientHead> held = new BurstHold<>(this::answer);

    /** @param pollingChannel a client's waiting GET's channel, or null; null when it cannot be read */
    PollingAnswers(Function<ClientHead, Channel> pollingChannel) {
        this.pollingChannel = pollingChannel;
    }

    /** Sends {@code packet} to the client on its current transport, a polling one's answer held when in a holding. */
    void send(ClientHead client, Packet packet) {
        if (!held.active() || pollingChannel == null || client.getCurrentTransport() != Transport.POLLING) {
            client.send(packet);
            return;
        }
        client.getPacketsQueue(Transport.POLLING).add(packet);
        held.hold(client);
    }

    /** Runs {@code publishing}, then answers the waiting GETs of the polling clients it sent to (also if it threw). */
    void holding(Runnable publishing) {
        held.run(publishing);
    }

    /** As netty-socketio's send does after queueing: a GET waiting and not yet answered gets what is queued. */
    private void answer(ClientHead client) {
        Channel channel = pollingChannel.apply(client);
        if (channel != null && channel.attr(EncoderHandler.WRITE_ONCE).get() == null) {
            channel.writeAndFlush(new OutPacketMessage(client, Transport.POLLING));
        }
    }
}
