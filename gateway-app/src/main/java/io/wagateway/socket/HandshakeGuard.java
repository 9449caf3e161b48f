package io.wagateway.socket;

import com.corundumstudio.socketio.handler.ClientHead;
import com.corundumstudio.socketio.messages.PacketsMessage;
import com.corundumstudio.socketio.protocol.Packet;
import com.corundumstudio.socketio.protocol.PacketType;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.CharsetUtil;
import java.time.Clock;
import java.util.UUID;

/**
 * Sits just before netty-socketio's packet handler and closes the two gaps of its v4 auth:
 * <ul>
 *   <li>a CONNECT without an {@code auth} object is never shown to the auth listener and would be
 *       accepted: it is refused here with the same {@code connect_error} ("Missing token",
 *       {@code code: UNAUTHORIZED}) a bad token gets;</li>
 *   <li>the auth listener runs before the CONNECT acknowledgement is queued, so {@code connected}
 *       is sent here, once, right after the packet handler has accepted the token and queued the
 *       acknowledgement: the client sees {@code connect} and then {@code connected}.</li>
 * </ul>
 * Packets of accepted sockets pass straight through.
 */
@Sharable
final class HandshakeGuard extends ChannelInboundHandlerAdapter {

    static final String NAME = "gatewayHandshakeGuard";

    private final SocketRegistry registry;
    private final Disconnector disconnector;
    private final Clock clock;

    HandshakeGuard(SocketRegistry registry, Disconnector disconnector, Clock clock) {
        this.registry = registry;
        this.disconnector = disconnector;
        this.clock = clock;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (!(msg instanceof PacketsMessage message)) {
            ctx.fireChannelRead(msg);
            return;
        }
        ClientHead client = message.getClient();
        UUID socketId = client.getSessionId();
        if (registry.get(socketId) != null) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (connectsWithoutAuth(message.getContent())) {
            refuseMissingAuth(client);
            return; // dropped: the packet handler never sees this CONNECT
        }
        ctx.fireChannelRead(msg);
        SocketState accepted = registry.get(socketId);
        if (accepted != null && accepted.firstGreeting()) {
            accepted.client().sendEvent(EventPayloads.CONNECTED,
                    EventPayloads.connected(accepted.principal().userId(), clock.instant()));
        }
    }

    private void refuseMissingAuth(ClientHead client) {
        Packet error = new Packet(PacketType.MESSAGE, client.getEngineIOVersion());
        error.setSubType(PacketType.ERROR);
        error.setNsp("");
        error.setData(TokenAuthenticator.missingAuth());
        client.send(error);
        disconnector.refused(client);
    }

    /**
     * Whether the packets hold a CONNECT to the main namespace whose data is not a JSON object:
     * {@code 40} alone, {@code 40null}, {@code 40[]}, {@code 40"x"} (engine.io MESSAGE + socket.io
     * CONNECT). netty-socketio shows only an object to the auth listener, so anything else would be
     * accepted without a token. Polling bodies carry several packets separated by 0x1e. Only sockets
     * not yet accepted get here, so this reads a handful of small packets.
     */
    static boolean connectsWithoutAuth(ByteBuf content) {
        String packets = content.toString(content.readerIndex(), content.readableBytes(), CharsetUtil.UTF_8);
        for (String packet : packets.split("\u001e", -1)) {
            if (!packet.startsWith("40")) {
                continue;
            }
            String data = packet.substring(2);
            if (data.startsWith("/,")) {
                data = data.substring(2);
            } else if (data.startsWith("/")) {
                continue; // another namespace: netty-socketio refuses it on its own
            }
            if (!data.strip().startsWith("{")) {
                return true;
            }
        }
        return false;
    }
}
