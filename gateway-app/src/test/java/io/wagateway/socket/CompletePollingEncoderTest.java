package io.wagateway.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.corundumstudio.socketio.Configuration;
import com.corundumstudio.socketio.protocol.JacksonJsonSupport;
import com.corundumstudio.socketio.protocol.Packet;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** A polling response: every packet it takes is in it, bounded by size, not by netty-socketio's 50 packets. */
class CompletePollingEncoderTest {

    private final CompletePollingEncoder encoder = new CompletePollingEncoder(new Configuration(), new JacksonJsonSupport());

    @Test
    void aResponseCarriesMoreThanFiftyPacketsInTheirOrder() throws Exception {
        Queue<Packet> queue = new ArrayDeque<>();
        IntStream.range(0, 200).forEach(i -> queue.add(EncodedEvent.of("e", i)));
        ByteBuf payload = Unpooled.buffer();
        // netty-socketio passes 50 for every polling response.
        encoder.encodePackets(queue, payload, ByteBufAllocator.DEFAULT, 50);
        assertTrue(queue.isEmpty(), queue.size() + " packets left for the next poll");
        List<String> packets = Arrays.asList(payload.toString(StandardCharsets.UTF_8).split("\u001e"));
        assertEquals(IntStream.range(0, 200).mapToObj(i -> "42[\"e\"," + i + "]").toList(), packets);
    }

    @Test
    void aResponseStopsAtItsSizeLimitAndTheRestWaitsWhole() throws Exception {
        Queue<Packet> queue = new ArrayDeque<>();
        String big = "x".repeat(40 * 1024);
        IntStream.range(0, 10).forEach(i -> queue.add(EncodedEvent.of("e" + i, big)));
        ByteBuf first = Unpooled.buffer();
        encoder.encodePackets(queue, first, ByteBufAllocator.DEFAULT, 50);
        int taken = 10 - queue.size();
        assertTrue(taken > 1 && taken < 10, taken + " of 10 packets of 40 KiB in one response");
        assertTrue(first.readableBytes() < CompletePollingEncoder.MAX_PAYLOAD_BYTES + 41 * 1024,
                "at most one packet past the limit: " + first.readableBytes());
        ByteBuf second = Unpooled.buffer();
        encoder.encodePackets(queue, second, ByteBufAllocator.DEFAULT, 50);
        assertTrue(queue.isEmpty());
        String[] next = second.toString(StandardCharsets.UTF_8).split("\u001e");
        assertEquals(10 - taken, next.length);
        assertTrue(next[0].startsWith("42[\"e" + taken + "\""), "the next poll starts with the first packet left");
    }
}
