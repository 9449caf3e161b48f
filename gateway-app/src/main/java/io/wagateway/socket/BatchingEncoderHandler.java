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
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.util.Queue;

/**
 * netty-socketio's encoder, with its websocket side replaced: the packets waiting for a client are
 * written without a flush each (the caller's flush sends them together). The frames of
 * {@link EncodedEvent}s that follow each other in the client's queue are copied into one buffer
 * and written as one message: each frame is built once per room, and the channel's pipeline and
 * outbound buffer see one write per batch, not one per event (per-frame writes cost the event
 * loops more than the copy). Other packets are encoded as netty-socketio does, each in its place.
 * The write's promise follows the last piece, so a close waiting on it (a disconnect packet) still
 * comes after the frames. Polling and the HTTP messages stay netty-socketio's.
 */
@Sharable
final class BatchingEncoderHandler extends EncoderHandler {

    /** netty-socketio's size for the pieces of a frame longer than the payload limit. */
    private static final int FRAGMENT = 8192;
    /** A batch's first buffer: about twenty status events; it grows when more are queued. */
    private static final int BATCH_CAPACITY = 4096;

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
        writeQueued(ctx, out.getClientHead().getPacketsQueue(Transport.WEBSOCKET), promise);
    }

    /** Writes (without a flush) everything in a websocket client's queue, in its order; the promise goes with the last piece. */
    void writeQueued(ChannelHandlerContext ctx, Queue<Packet> queue, ChannelPromise promise) throws IOException {
        Object last = null; // written once the next piece is known, so that the promise goes with the last
        ByteBuf events = null; // the frames of consecutive EncodedEvents
        try {
            for (Packet packet = queue.poll(); packet != null; packet = queue.poll()) {
                if (packet instanceof EncodedEvent event) {
                    if (events == null) {
                        if (last != null) {
                            ctx.write(last);
                            last = null;
                        }
                        events = ctx.alloc().directBuffer(Math.max(BATCH_CAPACITY, event.frameLength()));
                    }
                    event.writeFrameTo(events);
                    continue;
                }
                if (events != null) {
                    ctx.write(events);
                    events = null;
                }
                if (last != null) {
                    ctx.write(last);
                    last = null;
                }
                last = frame(ctx, packet); // writes the leading pieces of a long packet itself: nothing may wait before it
            }
        } catch (IOException | RuntimeException e) {
            // Not handed to the pipeline yet: nobody else will release them.
            ReferenceCountUtil.release(events);
            ReferenceCountUtil.release(last);
            throw e;
        }
        if (events != null) {
            last = events;
        }
        if (last != null) {
            ctx.write(last, promise);
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
