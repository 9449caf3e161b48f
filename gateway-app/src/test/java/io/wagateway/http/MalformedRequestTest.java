package io.wagateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wagateway.testing.TestGateway;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Bytes a hostile or broken client may send, over a raw socket to the real server: each gets the
 * contract's JSON {@code 400} (never a {@code 500}), and the server keeps answering.
 */
class MalformedRequestTest {

    private static TestGateway gw;

    @BeforeAll
    static void start() {
        gw = TestGateway.start(Map.of());
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    @Test
    void jsonNestedDeeperThanTheLimitIsA400OnTheUnauthenticatedLogin() throws IOException {
        String body = "{\"username\":" + "[".repeat(1500) + "]".repeat(1500) + "}";
        Answer a = send(post("/api/auth/login", body));
        assertEquals(400, a.status(), a.text());
        assertTrue(a.text().contains("\"VALIDATION_ERROR\""), a.text());
        assertTrue(a.text().contains("nesting deeper than"), a.text());
    }

    @Test
    void aNumberOfThousandsOfDigitsIsA400() throws IOException {
        Answer a = send(post("/api/auth/login", "{\"username\":" + "9".repeat(5000) + "}"));
        assertEquals(400, a.status(), a.text());
        assertTrue(a.text().contains("\"VALIDATION_ERROR\""), a.text());
    }

    @Test
    void aBodyShorterThanItsContentLengthIsA400() throws IOException {
        byte[] request = ("POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Content-Length: 100\r\n\r\n{\"username\":").getBytes(StandardCharsets.US_ASCII);
        Answer a = send(request);
        assertEquals(400, a.status(), a.text());
        assertTrue(a.text().contains("ended early"), a.text());
    }

    @Test
    void aBadChunkSizeIsA400() throws IOException {
        byte[] request = ("POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\n\r\nZZ\r\nabc\r\n0\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        Answer a = send(request);
        assertEquals(400, a.status(), a.text());
        assertTrue(a.text().contains("\"VALIDATION_ERROR\""), a.text());
    }

    @Test
    void aNulInTheMethodIsA400InTheContractShape() throws IOException {
        Answer a = send("PO\0ST /api/auth/login HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        assertEquals(400, a.status(), a.text());
        assertTrue(a.text().contains("{\"error\":{"), a.text());
    }

    @Test
    void aTlsHelloOnThePlainPortIsA400() throws IOException {
        // A ClientHello's record and handshake headers, then its random; the space after them ends
        // what the server reads as the method, and the line end ends the request line.
        byte[] random = new byte[32];
        new Random(7).nextBytes(random);
        ByteArrayOutputStream hello = new ByteArrayOutputStream();
        hello.writeBytes(HexFormat.of().parseHex("16030100f5010000f10303"));
        hello.writeBytes(" / HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
        hello.writeBytes(random);
        hello.writeBytes("\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        Answer a = send(hello.toByteArray());
        assertEquals(400, a.status(), a.text());
    }

    @Test
    void whatTheServerRefusesToParseIsA400ValidationErrorNeverA5xx() throws IOException {
        // An over-long request line (414), headers over the limit (431), HTTP/1.0 (505): the client's doing.
        for (String request : List.of(
                "GET /api/sessions/" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                "GET /api/auth/me HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(64_000) + "\r\nConnection: close\r\n\r\n",
                "GET /api/auth/me HTTP/1.0\r\nHost: x\r\n\r\n")) {
            Answer a = send(request.getBytes(StandardCharsets.US_ASCII));
            String line = a.text().split("\r\n", 2)[0];
            assertEquals(400, a.status(), line + " … " + a.text().substring(Math.max(0, a.text().length() - 200)));
            assertTrue(a.text().contains("\"code\":\"VALIDATION_ERROR\""), a.text().substring(Math.max(0, a.text().length() - 200)));
        }
    }

    @Test
    void theServerStillAnswersAfterwards() throws IOException {
        send("PO\0ST / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        assertEquals(200, gw.api().get("/observe/health").status());
    }

    private record Answer(int status, String text) {
    }

    private static byte[] post(String path, String json) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        String head = "POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
                + body.length + "\r\nConnection: close\r\n\r\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(head.getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(body);
        return out.toByteArray();
    }

    /** Writes the bytes, half-closes, and reads the whole answer (the server closes after an error). */
    private static Answer send(byte[] request) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", gw.gateway().httpPort()), 5_000);
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request);
            socket.getOutputStream().flush();
            socket.shutdownOutput();
            InputStream in = socket.getInputStream();
            String text = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            String[] statusLine = text.split("\r\n", 2)[0].split(" ");
            int status = statusLine.length > 1 ? Integer.parseInt(statusLine[1]) : -1;
            return new Answer(status, text);
        }
    }
}
