package io.wagateway.socket;

import com.corundumstudio.socketio.protocol.EngineIOVersion;
import com.corundumstudio.socketio.protocol.Packet;
import com.corundumstudio.socketio.protocol.PacketType;
import io.netty.buffer.ByteBuf;
import io.wagateway.http.Json;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One event to the default namespace, encoded once for every member of a room: the engine.io v4
 * packet text ({@code 42["name",{...}]}, what a polling response carries) and the complete
 * websocket text frame around it (server frames are not masked, so every member gets the same
 * bytes). It travels through netty-socketio's per-client packet queue like any packet, so it keeps
 * its place among the packets sent to one client.
 *
 * <p>The frame is a plain byte array: each member's write copies it, together with the other
 * events queued for that member, into one buffer ({@link #writeFrameTo}), and a queue dropped with
 * a disconnected client leaks nothing (the GC frees it).
 */
final class EncodedEvent extends Packet {

    /** FIN + text opcode: one complete text message (RFC 6455 §5.2); RSV1 clear, so never "compressed". */
    private static final int FIN_TEXT = 0x81;

    private final transient byte[] packet;
    private final transient byte[] frame;

    private EncodedEvent(String event, Object payload, byte[] packet) {
        super(PacketType.MESSAGE, EngineIOVersion.V4);
        setSubType(PacketType.EVENT);
        setName(event);
        setNsp("");
        setData(List.of(payload));
        this.packet = packet;
        this.frame = websocketFrame(packet);
    }

    /** @param payload a JSON-mappable payload (see {@link EventPayloads}) */
    static EncodedEvent of(String event, Object payload) {
        byte[] json = Json.bytes(List.of(event, payload));
        byte[] packet = new byte[json.length + 2];
        packet[0] = '4'; // engine.io MESSAGE
        packet[1] = '2'; // socket.io EVENT, default namespace, no ack id
        System.arraycopy(json, 0, packet, 2, json.length);
        return new EncodedEvent(event, payload, packet);
    }

    /** @return the engine.io packet, as written into a polling response */
    byte[] packet() {
        return packet;
    }

    /** Appends the whole websocket frame to {@code out}, for one member's channel. */
    void writeFrameTo(ByteBuf out) {
        out.writeBytes(frame);
    }

    /** @return the length of the whole websocket frame, header included */
    int frameLength() {
        return frame.length;
    }

    private static byte[] websocketFrame(byte[] payload) {
        int n = payload.length;
        int header = n < 126 ? 2 : n <= 0xFFFF ? 4 : 10;
        ByteBuffer frame = ByteBuffer.allocate(header + n);
        frame.put((byte) FIN_TEXT);
        if (n < 126) {
            frame.put((byte) n);
        } else if (n <= 0xFFFF) {
            frame.put((byte) 126).putShort((short) n);
        } else {
            frame.put((byte) 127).putLong(n);
        }
        return frame.put(payload).array();
    }

    @Override
    public String toString() {
        return "EncodedEvent " + new String(packet, StandardCharsets.UTF_8);
    }
}
