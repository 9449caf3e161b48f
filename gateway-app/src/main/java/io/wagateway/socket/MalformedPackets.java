package io.wagateway.socket;

import com.corundumstudio.socketio.messages.PacketsMessage;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandler;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What becomes of a packet netty-socketio cannot decode. The library logs such a packet at SEVERE
 * twice itself, each time with a stack trace and once with the packet's text (which may hold a
 * token), and its default exception listener a third time; a client could fill the log with them
 * before it had even authenticated, and a socket with an accepted token was told nothing while its
 * packet (and, over polling, the rest of the request's packets) was dropped. Here the connection
 * ends, as a socket.io server on Node ends it on a parse error: a socket with an accepted token
 * first gets an {@code error} INVALID_PAYLOAD; {@link Disconnector} logs one throttled line.
 */
final class MalformedPackets {

    /** The library's loggers that record a malformed packet, with its text: off, held so the setting stays. */
    private static final Logger[] LIBRARY_LOGS = {
            Logger.getLogger("com.corundumstudio.socketio.handler.InPacketHandler"),
            Logger.getLogger("com.corundumstudio.socketio.JsonSupportWrapper"),
    };

    private final SocketRegistry registry;
    private final Disconnector disconnector;

    MalformedPackets(SocketRegistry registry, Disconnector disconnector) {
        this.registry = registry;
        this.disconnector = disconnector;
    }

    /** Turns the library's own records of a malformed packet off (after the logging configuration is read). */
    static void silenceLibraryLogs() {
        for (Logger log : LIBRARY_LOGS) {
            log.setLevel(Level.OFF);
        }
    }

    /** @return {@code library}, netty-socketio's packet handler, with a malformed packet ending its connection */
    ChannelHandler around(ChannelInboundHandler library) {
        return new Guard(library);
    }

    private final class Guard extends ChannelInboundHandlerAdapter {

        private final ChannelInboundHandler library;

        Guard(ChannelInboundHandler library) {
            this.library = library;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
            if (!(msg instanceof PacketsMessage message)) {
                ctx.fireChannelRead(msg);
                return;
            }
            try {
                library.channelRead(ctx, msg);
            } catch (Exception e) {
                var client = message.getClient();
                disconnector.malformed(client, registry.get(client.getSessionId()), e.getClass().getSimpleName());
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) throws Exception {
            library.exceptionCaught(ctx, cause);
        }
    }
}
