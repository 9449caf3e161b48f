package io.wagateway.socket;

import com.corundumstudio.socketio.Configuration;
import com.corundumstudio.socketio.Transport;
import com.corundumstudio.socketio.handler.EncoderHandler;
import com.corundumstudio.socketio.messages.OutPacketMessage;
import com.corundumstudio.socketio.protocol.Packet;
import com.corundumstudio.socketio.protocol.PacketEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.io.IOException;
import java.util.Queue;

/**
 * netty-socketio's encoder, with its websocket side replaced: the packets waiting for a client are
 * written without a flush each (the caller's flush sends them together), and an
 * {@link EncodedEvent} is written as its ready-made frame (a retained duplicate) instead of being
 * encoded again. Other packets are encoded as netty-socketio does. The write's promise follows
 * the last frame, so a close waiting on it (a disconnect packet) still comes after the frames.
 * Polling and the HTTP messages stay netty-socketio's.
 */
@Sharable
final class BatchingEncoderHandler extends EncoderHandler {

    /** netty-socketio's size for the pieces of a frame longer than the payload limit. */
    private static final int FRAGMENT = 8192;

    private final PacketEncoder encoder;
    private final int maxFramePayload;

    BatchingEncoderHandler(Configuration configuration, PacketEncoder encoder) throws IOException {
        super(configuration, encoder);
        this.encoder = encoder;
        this.maxFramePayload = configuration.getMaxFramePayloadLength();
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (!(msg instanceof OutPacketMessage out) || out.getTransport() != Transport.WEBSOCKET) {
            super.write(ctx, msg, promise);
            return;
        }
        Queue<Packet> queue = out.getClientHead().getPacketsQueue(Transport.WEBSOCKET);
        Object previous = null;
        for (Packet packet = queue.poll(); packet != null; packet = queue.poll()) {
            if (previous != null) {
                ctx.write(previous);
            }
            previous = packet instanceof EncodedEvent event ? event.frame() : frame(ctx, packet);
        }
        if (previous != null) {
            ctx.write(previous, promise);
        } else {
            promise.trySuccess();
        }
    }

    /** netty-socketio's encoding of one packet into a text frame (continuations past the payload limit). */
    private Object frame(ChannelHandlerContext ctx, Packet packet) throws IOException {
        ByteBuf out = encoder.allocateBuffer(ctx.alloc());
        encoder.encodePacket(packet, out, ctx.alloc(), true);
        if (!out.isReadable()) {
            out.release();
            return null;
        }
        if (out.readableBytes() <= maxFramePayload) {
            return new TextWebSocketFrame(out);
        }
        ctx.write(new TextWebSocketFrame(false, 0, out.readRetainedSlice(FRAGMENT)));
        while (out.readableBytes() > FRAGMENT) {
            ctx.write(new ContinuationWebSocketFrame(false, 0, out.readRetainedSlice(FRAGMENT)));
        }
        ContinuationWebSocketFrame last = new ContinuationWebSocketFrame(true, 0, out.readRetainedSlice(out.readableBytes()));
        out.release();
        return last;
    }
}
