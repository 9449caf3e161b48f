package io.wagateway.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.corundumstudio.socketio.Configuration;
import com.corundumstudio.socketio.HandshakeData;
import com.corundumstudio.socketio.Transport;
import com.corundumstudio.socketio.handler.ClientHead;
import com.corundumstudio.socketio.handler.ClientsBox;
import com.corundumstudio.socketio.protocol.EngineIOVersion;
import com.corundumstudio.socketio.protocol.Packet;
import com.corundumstudio.socketio.protocol.PacketType;
import com.corundumstudio.socketio.store.MemoryStoreFactory;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.DefaultEventLoopGroup;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalServerChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.util.ReferenceCountUtil;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The {@link WriteBatcher} on a real event loop: what one {@link WriteBatcher#holding} queues
 * reaches each client in one write and one flush, though the event loop was free to drain after
 * the first packet; without it the second packet gets a write of its own.
 */
class WriteBatcherTest {

    private final DefaultEventLoopGroup loops = new DefaultEventLoopGroup(1);
    private final WriteBatcher batcher = new WriteBatcher(1 << 20, Duration.ZERO);
    private final Counting counted = new Counting();
    private final Channel server;
    private final Channel channel;
    private final ClientHead client = new ClientHead(UUID.randomUUID(), null, null, new MemoryStoreFactory(),
            new HandshakeData(new DefaultHttpHeaders(), Map.of(), null, "/socket.io/", false), new ClientsBox(),
            Transport.WEBSOCKET, null, new Configuration(), Map.of());

    WriteBatcherTest() throws InterruptedException {
        LocalAddress address = new LocalAddress("write-batcher-" + UUID.randomUUID());
        server = new ServerBootstrap().group(loops).channel(LocalServerChannel.class)
                .childHandler(new ChannelInboundHandlerAdapter()).bind(address).sync().channel();
        channel = new Bootstrap().group(loops).channel(LocalChannel.class).handler(counted).connect(address).sync().channel();
    }

    @AfterEach
    void close() throws InterruptedException {
        channel.close().sync();
        server.close().sync();
        loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    @Test
    void whatOneHoldingQueuesLeavesInOneWriteAndOneFlush() throws Exception {
        batcher.holding(() -> {
            queueEvent();
            awaitLoop(); // a drain the first packet started would have run by now
            queueEvent();
        });
        awaitLoop();
        assertEquals(1, counted.writes.get(), "writes");
        assertEquals(1, counted.flushes.get(), "flushes");
        assertEquals(0, client.getPacketsQueue(Transport.WEBSOCKET).size(), "both packets written");
    }

    @Test
    void withoutAHoldingTheSecondPacketGetsAWriteOfItsOwn() throws Exception {
        queueEvent();
        awaitLoop();
        queueEvent();
        awaitLoop();
        assertEquals(2, counted.writes.get(), "writes");
        assertEquals(2, counted.flushes.get(), "flushes");
    }

    @Test
    void aHoldingThatThrowsStillSendsWhatItQueued() throws Exception {
        assertThrows(IllegalStateException.class, () -> batcher.holding(() -> {
            queueEvent();
            throw new IllegalStateException("a listener failed");
        }));
        awaitLoop();
        assertEquals(1, counted.writes.get(), "writes");
        assertEquals(0, client.getPacketsQueue(Transport.WEBSOCKET).size(), "the packet written");
    }

    @Test
    void aHoldingInsideAHoldingEndsWithTheOuterOne() throws Exception {
        batcher.holding(() -> {
            batcher.holding(this::queueEvent);
            awaitLoop();
            queueEvent();
        });
        awaitLoop();
        assertEquals(1, counted.writes.get(), "writes");
    }

    /** As the {@link BatchingRoomBroadcaster} does for a member. */
    private void queueEvent() {
        Packet packet = new Packet(PacketType.MESSAGE, EngineIOVersion.V4);
        packet.setSubType(PacketType.EVENT);
        packet.setName("message_status_updated");
        client.getPacketsQueue(Transport.WEBSOCKET).add(packet);
        batcher.schedule(channel, client);
    }

    /** Returns once the event loop has run every task queued before this call (it runs them in order). */
    private void awaitLoop() {
        try {
            channel.eventLoop().submit(() -> { }).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Takes the channel's writes (drains the client's queue, as the encoder would) and counts them and the flushes. */
    private final class Counting extends ChannelOutboundHandlerAdapter {
        final AtomicInteger writes = new AtomicInteger();
        final AtomicInteger flushes = new AtomicInteger();

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            writes.incrementAndGet();
            client.getPacketsQueue(Transport.WEBSOCKET).clear();
            ReferenceCountUtil.release(msg);
            promise.setSuccess();
        }

        @Override
        public void flush(ChannelHandlerContext ctx) {
            flushes.incrementAndGet();
        }
    }
}
