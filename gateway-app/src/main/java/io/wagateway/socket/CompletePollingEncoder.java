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
 * netty-socketio's packet encoder with one fix for polling: a response carries at most
 * {@code limit} packets, and the library takes the next packet off the queue before it checks the
 * limit, so one packet in every full response (one in 50) is silently lost. Here a packet is
 * taken only when it will be written; the rest wait for the client's next poll. An
 * {@link EncodedEvent} (always engine.io v4) is copied as it was encoded, not encoded again.
 */
final class CompletePollingEncoder extends PacketEncoder {

    /** engine.io v4 separates the packets of one polling payload with this record separator. */
    private static final byte SEPARATOR = 0x1e;

    CompletePollingEncoder(Configuration configuration, JsonSupport json) {
        super(configuration, json);
    }

    @Override
    public void encodePackets(Queue<Packet> packets, ByteBuf buffer, ByteBufAllocator allocator, int limit)
            throws IOException {
        for (int written = 0; written < limit; written++) {
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
