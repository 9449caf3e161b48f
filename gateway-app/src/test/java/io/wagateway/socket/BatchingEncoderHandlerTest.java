package io.wagateway.socket;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.corundumstudio.socketio.Configuration;
import com.corundumstudio.socketio.protocol.EngineIOVersion;
import com.corundumstudio.socketio.protocol.JacksonJsonSupport;
import com.corundumstudio.socketio.protocol.Packet;
import com.corundumstudio.socketio.protocol.PacketEncoder;
import com.corundumstudio.socketio.protocol.PacketType;
import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import org.junit.jupiter.api.Test;

/**
 * A websocket client's queue, written: consecutive events leave as one buffer of their ready-made
 * frames, every other packet in its own frame in its place, and the write's promise completes with
 * the last piece.
 */
class BatchingEncoderHandlerTest {

    private static final int MAX_FRAME_PAYLOAD = 100;

    private final BatchingEncoderHandler handler;

    BatchingEncoderHandlerTest() throws Exception {
        Configuration configuration = new Configuration();
        configuration.setMaxFramePayloadLength(MAX_FRAME_PAYLOAD);
        handler = new BatchingEncoderHandler(configuration, new PacketEncoder(configuration, new JacksonJsonSupport()));
    }

    /** A channel whose writes of a queue go to {@link BatchingEncoderHandler#writeQueued}, as the handler's own write does. */
    private EmbeddedChannel channel() {
        return new EmbeddedChannel(new ChannelOutboundHandlerAdapter() {
            @Override
            @SuppressWarnings("unchecked")
            public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
                handler.writeQueued(ctx, (Queue<Packet>) msg, promise);
            }
        });
    }

    private static Packet event(String name, Object payload) {
        Packet packet = new Packet(PacketType.MESSAGE, EngineIOVersion.V4);
        packet.setSubType(PacketType.EVENT);
        packet.setNsp("");
        packet.setName(name);
        packet.setData(List.of(payload));
        return packet;
    }

    private static byte[] frames(EncodedEvent... events) {
        ByteBuf all = Unpooled.buffer();
        for (EncodedEvent e : events) {
            e.writeFrameTo(all);
        }
        byte[] bytes = new byte[all.readableBytes()];
        all.readBytes(bytes);
        return bytes;
    }

    private static byte[] bytes(ByteBuf buf) {
        byte[] bytes = new byte[buf.readableBytes()];
        buf.getBytes(buf.readerIndex(), bytes);
        buf.release();
        return bytes;
    }

    private static String text(WebSocketFrame frame) {
        String text = frame.content().toString(StandardCharsets.UTF_8);
        frame.release();
        return text;
    }

    @Test
    void eventsInARowShareOneBufferAndOtherPacketsKeepTheirPlace() {
        EncodedEvent e1 = EncodedEvent.of("message_status_updated", Map.of("messageId", "m-1"));
        EncodedEvent e2 = EncodedEvent.of("message_status_updated", Map.of("messageId", "m-2"));
        EncodedEvent e3 = EncodedEvent.of("message_status_updated", Map.of("messageId", "m-3"));
        EncodedEvent e4 = EncodedEvent.of("message_status_updated", Map.of("messageId", "m-4"));
        String longText = "x".repeat(20_000); // past the frame payload limit: sent in pieces of 8 KiB
        Queue<Packet> queue = new ArrayDeque<>(List.of(e1, e2, event("session_joined", "s1"), e3,
                event("long", longText), e4));
        EmbeddedChannel channel = channel();

        ChannelFuture written = channel.writeAndFlush(queue);

        assertTrue(written.isSuccess(), "the promise completes once the last piece is written");
        assertTrue(queue.isEmpty());
        assertArrayEquals(frames(e1, e2), bytes(channel.readOutbound()));
        TextWebSocketFrame joined = channel.readOutbound();
        assertEquals("42[\"session_joined\",\"s1\"]", text(joined));
        assertArrayEquals(frames(e3), bytes(channel.readOutbound()));
        StringBuilder pieces = new StringBuilder();
        WebSocketFrame piece = channel.readOutbound();
        assertInstanceOf(TextWebSocketFrame.class, piece);
        assertFalse(piece.isFinalFragment());
        pieces.append(text(piece));
        boolean last = false;
        while (!last) {
            piece = channel.readOutbound();
            assertInstanceOf(ContinuationWebSocketFrame.class, piece);
            last = piece.isFinalFragment();
            pieces.append(text(piece));
        }
        assertEquals("42[\"long\",\"" + longText + "\"]", pieces.toString());
        assertArrayEquals(frames(e4), bytes(channel.readOutbound()));
        assertNull(channel.readOutbound(), "nothing more");
        assertFalse(channel.finish());
    }

    @Test
    void aBatchThatCannotGrowFailsTheWriteAndIsReleased() {
        List<ByteBuf> allocated = new ArrayList<>();
        EmbeddedChannel channel = channel();
        // Buffers of at most 64 bytes: the second event's frame does not fit in the batch.
        channel.config().setAllocator(new AbstractByteBufAllocator(false) {
            @Override
            protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
                return record(Unpooled.buffer(Math.min(initialCapacity, 64), 64));
            }

            @Override
            protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
                return record(Unpooled.directBuffer(Math.min(initialCapacity, 64), 64));
            }

            private ByteBuf record(ByteBuf buf) {
                allocated.add(buf);
                return buf;
            }

            @Override
            public boolean isDirectBufferPooled() {
                return false;
            }
        });
        String text = "x".repeat(30);
        Queue<Packet> queue = new ArrayDeque<>(List.of(EncodedEvent.of("e", text), EncodedEvent.of("e", text)));

        ChannelFuture written = channel.writeAndFlush(queue);

        assertFalse(written.isSuccess(), "the write fails");
        assertInstanceOf(IndexOutOfBoundsException.class, written.cause());
        assertNull(channel.readOutbound(), "nothing written");
        assertEquals(1, allocated.size(), "the batch's buffer was made");
        assertEquals(0, allocated.getFirst().refCnt(), "and released");
    }

    @Test
    void anEmptyQueueWritesNothingAndCompletesThePromise() {
        EmbeddedChannel channel = channel();
        ChannelFuture written = channel.writeAndFlush(new ArrayDeque<Packet>());
        assertTrue(written.isSuccess());
        assertNull(channel.readOutbound());
    }
}
