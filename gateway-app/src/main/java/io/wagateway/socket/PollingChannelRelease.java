package io.wagateway.socket;

import com.corundumstudio.socketio.handler.ClientHead;
import com.corundumstudio.socketio.handler.ClientsBox;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.function.BiPredicate;

/**
 * Forgets a closed polling connection without forgetting the one that replaced it. Every polling
 * response closes its connection, and the client's next GET arrives on a new one, often on another
 * event loop. netty-socketio's own release (in its polling transport) checks that the closed
 * connection is still the client's and then clears it, in two steps: a GET bound between them was
 * cleared with it, and the client's events queued with no connection to go to until the client
 * gave up on its pings (a connect that never got its answer). Here the clear is one
 * compare-and-set, before netty-socketio's transport sees the close (it then finds the connection
 * forgotten and does nothing).
 */
@Sharable
final class PollingChannelRelease extends ChannelInboundHandlerAdapter {

    static final String NAME = "gatewayPollingRelease";

    private final ClientsBox clients;
    private final BiPredicate<ClientHead, Channel> clearIfCurrent;

    /** @param clearIfCurrent clears the client's polling connection if it is the given one, atomically; true if it did */
    PollingChannelRelease(ClientsBox clients, BiPredicate<ClientHead, Channel> clearIfCurrent) {
        this.clients = clients;
        this.clearIfCurrent = clearIfCurrent;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        Channel channel = ctx.channel();
        ClientHead client = clients.get(channel);
        if (client != null && clearIfCurrent.test(client, channel)) {
            clients.remove(channel);
        }
        super.channelInactive(ctx);
    }
}
