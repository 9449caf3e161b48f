package io.wagateway.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.corundumstudio.socketio.HandshakeData;
import com.corundumstudio.socketio.Transport;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What an accepted socket keeps of its handshake (netty-socketio keeps it for the connection's life). */
class HandshakeLeftoversTest {

    private static final String URL = "/socket.io/?EIO=4&transport=websocket";

    @Test
    void aWebsocketClientKeepsOnlyItsOriginAndAddresses() {
        HandshakeData handshake = handshake("http://localhost:3000");

        HandshakeLeftovers.forget(handshake, Transport.WEBSOCKET);

        assertNull(handshake.getAuthToken());
        assertEquals(List.of(Map.entry("origin", "http://localhost:3000")), handshake.getHttpHeaders().entries()
                .stream().map(e -> Map.entry(e.getKey().toLowerCase(java.util.Locale.ROOT), e.getValue())).toList());
        assertTrue(handshake.getUrlParams().isEmpty());
        assertEquals(new InetSocketAddress("127.0.0.1", 40000), handshake.getAddress());
    }

    @Test
    void aWebsocketClientWithoutOriginKeepsNoHeaders() {
        HandshakeData handshake = handshake(null);

        HandshakeLeftovers.forget(handshake, Transport.WEBSOCKET);

        assertTrue(handshake.getHttpHeaders().isEmpty());
    }

    @Test
    void aPollingClientKeepsItsHeadersForTheCorsOfItsAnswers() {
        HandshakeData handshake = handshake("http://localhost:3000");

        HandshakeLeftovers.forget(handshake, Transport.POLLING);

        assertNull(handshake.getAuthToken(), "the token is dropped whatever the transport");
        assertEquals("http://localhost:3000", handshake.getHttpHeaders().get("Origin"));
        assertEquals("websocket", handshake.getHttpHeaders().get("Upgrade"));
        assertEquals(List.of("4"), handshake.getUrlParams().get("EIO"));
    }

    /** Built as netty-socketio's AuthorizeHandler and InPacketHandler build it. */
    private static HandshakeData handshake(String origin) {
        HttpHeaders headers = new DefaultHttpHeaders();
        headers.set("Host", "127.0.0.1:8000");
        headers.set("Upgrade", "websocket");
        headers.set("Connection", "Upgrade");
        headers.set("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==");
        headers.set("Sec-WebSocket-Version", "13");
        if (origin != null) {
            headers.set("Origin", origin);
        }
        HandshakeData handshake = new HandshakeData(headers, new QueryStringDecoder(URL).parameters(),
                new InetSocketAddress("127.0.0.1", 40000), new InetSocketAddress("127.0.0.1", 8000), URL, false);
        handshake.setAuthToken(Map.of("token", "eyJhbGciOiJIUzI1NiJ9.e30.sig"));
        return handshake;
    }
}
