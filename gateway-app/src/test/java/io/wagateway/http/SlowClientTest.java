package io.wagateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wagateway.testing.TestGateway;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Slow and silent clients on the REST port, over raw sockets to a real server with small bounds:
 * each is closed (or answered {@code 408}) within its bound, and the server keeps answering.
 */
class SlowClientTest {

    private static final Duration BOUND = Duration.ofSeconds(1);
    /** What the server may take beyond a bound: Helidon's idle check period, the guard's tick, a busy machine. */
    private static final Duration SLACK = Duration.ofSeconds(3);

    private static TestGateway gw;
    private static ScheduledExecutorService trickle;

    @BeforeAll
    static void start() {
        gw = TestGateway.start(Map.of(
                "gateway.http.idle-timeout", "1s",
                "gateway.http.header-timeout", "1s",
                "gateway.http.body-timeout", "1s"));
        trickle = Executors.newSingleThreadScheduledExecutor();
    }

    @AfterAll
    static void stop() {
        trickle.shutdownNow();
        gw.close();
    }

    @Test
    void aSilentConnectionIsClosedAfterTheIdleTimeout() throws IOException {
        try (Socket socket = connect()) {
            long started = System.nanoTime();
            assertClosed(socket, started);
        }
    }

    @Test
    void headersSentALineAtATimeAreCutOffAtTheHeaderTimeout() throws IOException {
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            out.write("GET /observe/health HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
            long started = System.nanoTime();
            var lines = trickle.scheduleAtFixedRate(() -> write(out, "X-Slow: 1\r\n"), 200, 200, TimeUnit.MILLISECONDS);
            try {
                assertClosed(socket, started);
            } finally {
                lines.cancel(false);
            }
        }
    }

    @Test
    void aBodySentAByteAtATimeIsA408AtTheBodyTimeout() throws IOException {
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 200\r\n\r\n{").getBytes(StandardCharsets.US_ASCII));
            long started = System.nanoTime();
            var bytes = trickle.scheduleAtFixedRate(() -> write(out, " "), 100, 100, TimeUnit.MILLISECONDS);
            try {
                String answer = readUntilClosed(socket);
                Duration took = Duration.ofNanos(System.nanoTime() - started);
                assertTrue(answer.startsWith("HTTP/1.1 408"), answer);
                assertTrue(answer.contains("\"REQUEST_TIMEOUT\""), answer);
                assertTrue(answer.toLowerCase().contains("connection: close"), answer);
                assertTrue(took.compareTo(BOUND.plus(SLACK)) < 0, "answered after " + took);
            } finally {
                bytes.cancel(false);
            }
        }
    }

    @Test
    void aBodyThatStopsHalfwayIsCutOffAfterTheBodyTimeout() throws IOException {
        try (Socket socket = connect()) {
            socket.getOutputStream().write(("POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 200\r\n\r\n{\"username\":").getBytes(StandardCharsets.US_ASCII));
            assertClosed(socket, System.nanoTime());
        }
    }

    @Test
    void aBodyToAnEndpointThatDoesNotReadItIsCutOffToo() throws IOException {
        try (Socket socket = connect()) {
            socket.getOutputStream().write(("POST /api/no-such-thing HTTP/1.1\r\nHost: x\r\n"
                    + "Content-Length: 200\r\n\r\n{").getBytes(StandardCharsets.US_ASCII));
            long started = System.nanoTime();
            String answer = readUntilClosed(socket);
            assertTrue(answer.isEmpty() || answer.startsWith("HTTP/1.1 404"), answer);
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            assertTrue(took.compareTo(BOUND.plus(SLACK)) < 0, "closed after " + took);
        }
    }

    @Test
    void promptRequestsOnOneConnectionStillWork() throws IOException {
        try (Socket socket = connect()) {
            for (int i = 0; i < 3; i++) {
                socket.getOutputStream().write("GET /api/none HTTP/1.1\r\nHost: x\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                String head = readHead(socket);
                assertTrue(head.startsWith("HTTP/1.1 404"), head);
            }
        }
        assertEquals(200, gw.api().get("/observe/health").status());
    }

    /** The per-address cap: its own gateway, so that the short timeouts above cannot close the held connections. */
    @Test
    void connectionsOverTheCapPerAddressAreRefusedWhileAnotherAddressGetsIn() throws IOException {
        try (TestGateway capped = TestGateway.start(Map.of("gateway.http.max-connections-per-address", "3"))) {
            List<Socket> held = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    Socket socket = connect(capped, "127.0.0.1");
                    held.add(socket);
                    // A full request and its answer: the server has counted this connection.
                    socket.getOutputStream().write("GET /api/none HTTP/1.1\r\nHost: x\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
                    assertTrue(readHead(socket).startsWith("HTTP/1.1 404"));
                }
                try (Socket over = connect(capped, "127.0.0.1")) {
                    String answer = readUntilClosed(over);
                    assertTrue(answer.startsWith("HTTP/1.1 429"), answer);
                    assertTrue(answer.contains("\"TOO_MANY_REQUESTS\""), answer);
                }
                try (Socket other = connect(capped, "127.0.0.2")) {
                    other.getOutputStream().write("GET /api/none HTTP/1.1\r\nHost: x\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
                    assertTrue(readHead(other).startsWith("HTTP/1.1 404"));
                }
            } finally {
                for (Socket socket : held) {
                    socket.close();
                }
            }
            // Closed connections give their places back.
            assertEquals(404, new ApiProbe(capped).status());
        }
    }

    /** Retries briefly: the server notices the closed connections when their threads end. */
    private record ApiProbe(TestGateway gateway) {
        int status() throws IOException {
            long deadline = System.nanoTime() + SLACK.toNanos();
            String answer = "";
            while (System.nanoTime() < deadline) {
                try (Socket socket = connect(gateway, "127.0.0.1")) {
                    socket.getOutputStream().write("GET /api/none HTTP/1.1\r\nHost: x\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
                    answer = readHead(socket);
                    if (answer.startsWith("HTTP/1.1 404")) {
                        return 404;
                    }
                }
            }
            return Integer.parseInt(answer.split(" ")[1]);
        }
    }

    private static void write(OutputStream out, String text) {
        try {
            out.write(text.getBytes(StandardCharsets.US_ASCII));
            out.flush();
        } catch (IOException e) {
            // the server closed the connection: what the test waits for
        }
    }

    private static Socket connect() throws IOException {
        return connect(gw, "127.0.0.1");
    }

    private static Socket connect(TestGateway gateway, String from) throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(from, 0));
        socket.connect(new InetSocketAddress("127.0.0.1", gateway.gateway().httpPort()), 5_000);
        socket.setSoTimeout((int) BOUND.plus(SLACK).multipliedBy(2).toMillis());
        return socket;
    }

    /** Blocks until the server closes the connection (end of stream or reset), within the bound plus slack. */
    private static void assertClosed(Socket socket, long startedNanos) throws IOException {
        String answer = readUntilClosed(socket);
        Duration took = Duration.ofNanos(System.nanoTime() - startedNanos);
        assertTrue(took.compareTo(BOUND.plus(SLACK)) < 0, "closed after " + took + "; answer: " + answer);
    }

    private static String readUntilClosed(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        StringBuilder text = new StringBuilder();
        byte[] buffer = new byte[4096];
        try {
            for (int n; (n = in.read(buffer)) != -1; ) {
                text.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server kept the connection open; read so far: " + text, e);
        } catch (SocketException e) {
            // reset by the server: closed too
        }
        return text.toString();
    }

    /** Reads one response with a Content-Length body, leaving the connection open. */
    private static String readHead(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b == -1) {
                break;
            }
            head.append((char) b);
        }
        String text = head.toString();
        int at = text.toLowerCase().indexOf("content-length:");
        if (at >= 0) {
            int length = Integer.parseInt(text.substring(at + 15, text.indexOf("\r\n", at)).strip());
            in.readNBytes(length);
        }
        return text;
    }
}
