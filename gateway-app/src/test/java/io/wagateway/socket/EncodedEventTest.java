package io.wagateway.socket;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.corundumstudio.socketio.Configuration;
import com.corundumstudio.socketio.protocol.EngineIOVersion;
import com.corundumstudio.socketio.protocol.JacksonJsonSupport;
import com.corundumstudio.socketio.protocol.Packet;
import com.corundumstudio.socketio.protocol.PacketEncoder;
import com.corundumstudio.socketio.protocol.PacketType;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.wagateway.api.GatewayEvent;
import io.wagateway.api.MessageReceived;
import io.wagateway.api.MessageStatus;
import io.wagateway.api.MessageStatusUpdated;
import io.wagateway.api.QrCodeUpdated;
import io.wagateway.api.SessionStatus;
import io.wagateway.api.SessionStatusChanged;
import io.wagateway.api.StatusReason;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The once-encoded event is byte for byte what netty-socketio would send each member, in a valid frame. */
class EncodedEventTest {

    private static final Instant AT = Instant.parse("2026-01-02T03:04:05.678Z");

    private static byte[] stock(GatewayEvent event) throws Exception {
        Configuration config = new Configuration();
        PacketEncoder encoder = new PacketEncoder(config, new JacksonJsonSupport());
        Packet packet = new Packet(PacketType.MESSAGE, EngineIOVersion.V4);
        packet.setSubType(PacketType.EVENT);
        packet.setName(event.type());
        packet.setData(List.of(EventPayloads.of(event)));
        packet.setNsp("");
        ByteBuf out = Unpooled.buffer();
        encoder.encodePacket(packet, out, UnpooledByteBufAllocator.DEFAULT, true);
        return ByteBufUtil.getBytes(out);
    }

    @Test
    void everyGatewayEventIsEncodedAsNettySocketIoEncodesIt() throws Exception {
        List<GatewayEvent> events = List.of(
                new MessageStatusUpdated("s1", "u1", "m1", MessageStatus.DELIVERED, AT, null, AT),
                new MessageStatusUpdated("s1", "u1", "m2", MessageStatus.FAILED, null, "Nope \"quoted\" é ✓", AT),
                new SessionStatusChanged("s1", "u1", SessionStatus.ERROR, StatusReason.ENGINE_FAILED, null, null, AT),
                new QrCodeUpdated("s1", "u1", "data:image/png;base64,AAAA", 2, AT.plusSeconds(20), AT),
                new MessageReceived("s1", "u1", "in1", "+628111", "Ana", "628111@s.whatsapp.net", "Halo\n😀", "text", AT));
        for (GatewayEvent event : events) {
            EncodedEvent encoded = EncodedEvent.of(event.type(), EventPayloads.of(event));
            assertArrayEquals(stock(event), encoded.packet(), event.toString());
        }
    }

    @Test
    void theFrameIsOneUnmaskedTextFrameWithTheRightLengthForm() {
        for (int size : new int[] {10, 125, 126, 65_535, 65_536, 200_000}) {
            EncodedEvent encoded = EncodedEvent.of("e", "x".repeat(size));
            int payload = encoded.packet().length;
            ByteBuf frame = Unpooled.buffer();
            encoded.writeFrameTo(frame);
            assertEquals(0x81, frame.getUnsignedByte(0), "FIN + text, no RSV bits");
            int header;
            if (payload < 126) {
                assertEquals(payload, frame.getUnsignedByte(1));
                header = 2;
            } else if (payload <= 0xFFFF) {
                assertEquals(126, frame.getUnsignedByte(1));
                assertEquals(payload, frame.getUnsignedShort(2));
                header = 4;
            } else {
                assertEquals(127, frame.getUnsignedByte(1));
                assertEquals(payload, frame.getLong(2));
                header = 10;
            }
            assertEquals(header + payload, frame.readableBytes());
            assertEquals(header + payload, encoded.frameLength());
            assertArrayEquals(encoded.packet(), ByteBufUtil.getBytes(frame, header, payload));
            byte[] first = ByteBufUtil.getBytes(frame);
            encoded.writeFrameTo(frame);
            assertArrayEquals(first, ByteBufUtil.getBytes(frame, first.length, first.length),
                    "each member's write appends the same whole frame");
            frame.release();
        }
    }
}
