package io.wagateway.socket;

import com.corundumstudio.socketio.Configuration;
import com.corundumstudio.socketio.protocol.EngineIOVersion;
import com.corundumstudio.socketio.protocol.JsonSupport;
import com.corundumstudio.socketio.protocol.Packet;
import com.corundumstudio.socketio.protocol.PacketEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.util.Queue;

/**
 * netty-socketio's packet encoder with two fixes for polling. The library takes the next packet off
 * the queue before it checks its limit, so one packet in every full response was silently lost:
 * here a packet is taken only when it will be written; the rest wait for the client's next poll.
 * And the library's limit is 50 packets per response, whatever their size: a client that gets
 * more than 50 events per poll round trip (150 a second in a busy room, with a round trip of a
 * few hundred milliseconds) fell further behind with every poll, so here a response is bounded by
 * its size instead ({@link #MAX_PAYLOAD_BYTES}, as engine.io sends whatever is buffered). An
 * {@link EncodedEvent} (always engine.io v4) is copied as it was encoded, not encoded again.
 */
final class CompletePollingEncoder extends PacketEncoder {

    /** engine.io v4 separates the packets of one polling payload with this record separator. */
    private static final byte SEPARATOR = 0x1e;
    /** No packet is added to a response once it holds this much (a response holds at least one packet). */
    static final int MAX_PAYLOAD_BYTES = 256 * 1024;

    CompletePollingEncoder(Configuration configuration, JsonSupport json) {
        super(configuration, json);
    }

    @Override
    public void encodePackets(Queue<Packet> packets, ByteBuf buffer, ByteBufAllocator allocator, int ignoredLimit)
            throws IOException {
        int start = buffer.writerIndex();
        for (int written = 0; buffer.writerIndex() - start < MAX_PAYLOAD_BYTES; written++) {
            Packet packet = packets.poll();
            if (packet == null) {
                return;
            }
            boolean separated = packet.getEngineIOVersion() == EngineIOVersion.V4
                    || packet.getEngineIOVersion() == EngineIOVersion.V3;
            if (written > 0 && separated) {
                buffer.writeByte(SEPARATOR);
            }
            // The gateway emits JSON only; packets never carry binary attachments.
            encodePacket(packet, buffer, allocator, false);
        }
    }

    @Override
    public void encodePacket(Packet packet, ByteBuf buffer, ByteBufAllocator allocator, boolean binary) throws IOException {
        if (packet instanceof EncodedEvent encoded) {
            buffer.writeBytes(encoded.packet());
        } else {
            super.encodePacket(packet, buffer, allocator, binary);
        }
    }
}
