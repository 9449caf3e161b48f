package io.wagateway.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wagateway.testing.TestGateway;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * One client address may open only so many engine.io sessions a second
 * ({@code gateway.socketio.handshakes-per-second}, a burst of ten times that): the rest are
 * answered {@code 429}. Requests of open sessions are not counted, and another address has its own
 * allowance. Raw HTTP from two loopback addresses.
 */
class HandshakeLimitTest {

    private static final String HANDSHAKE = "/socket.io/?EIO=4&transport=polling";

    @Test
    void anAddressOverItsHandshakeRateIsAnswered429AndAnotherAddressIsNot() throws Exception {
        try (TestGateway gw = TestGateway.start(Map.of("gateway.socketio.handshakes-per-second", "1"))) {
            InetAddress first = InetAddress.getByName("127.0.0.1");
            long start = System.nanoTime();
            int admitted = 0;
            String refused = null;
            for (int i = 0; i < 40 && refused == null; i++) {
                String answer = get(gw, first, HANDSHAKE);
                if (answer.startsWith("HTTP/1.1 200")) {
                    admitted++;
                } else {
                    refused = answer;
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            assertTrue(refused != null && refused.startsWith("HTTP/1.1 429"), "refused at last: " + refused);
            assertTrue(refused.endsWith(HandshakeLimiter.TOO_MANY), refused);
            // The burst, plus what refilled meanwhile at one a second.
            assertTrue(admitted >= 10 && admitted <= 10 + Math.ceil(seconds), admitted + " in " + seconds + " s");

            assertTrue(get(gw, first, HANDSHAKE + "&sid=" + java.util.UUID.randomUUID()).startsWith("HTTP/1.1 400"),
                    "a request of a session is not a handshake: not counted, not refused");
            assertTrue(get(gw, InetAddress.getByName("127.0.0.2"), HANDSHAKE).startsWith("HTTP/1.1 200"),
                    "another address has its own allowance");
        }
    }

    /** One GET from {@code from}, read to the end (the server closes the connection after its answer). */
    private static String get(TestGateway gw, InetAddress from, String path) throws IOException {
        try (Socket s = new Socket()) {
            s.setSoTimeout(10_000);
            s.bind(new InetSocketAddress(from, 0));
            s.connect(new InetSocketAddress("127.0.0.1", gw.socketPort()), 5_000);
            OutputStream out = s.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
