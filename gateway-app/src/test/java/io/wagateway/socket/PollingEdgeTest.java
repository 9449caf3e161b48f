package io.wagateway.socket;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wagateway.testing.LogCapture;
import io.wagateway.testing.TestGateway;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Polling requests netty-socketio mishandles, over raw sockets: each is answered at once (400 in
 * engine.io's shape, or 413), the connection is closed, and a burst of them logs one line.
 */
class PollingEdgeTest {

    private static final int MAX_PAYLOAD = 4096;
    private static final int BURST = 20;
    private static TestGateway gw;
    private static LogCapture logged;

    @BeforeAll
    static void start() {
        gw = TestGateway.start(Map.of("gateway.socketio.max-payload-bytes", Integer.toString(MAX_PAYLOAD)));
        logged = LogCapture.on("");
    }

    @AfterAll
    static void stop() {
        logged.close();
        gw.close();
    }

    @Test
    void malformedAndUnknownSidsAre400SessionIdUnknownAndABurstLogsOneLine() throws IOException {
        logged.clear();
        for (int i = 0; i < BURST; i++) {
            for (String sid : List.of("not-a-uuid", "00000000-0000-0000-0000-000000000001")) {
                String answer = send("GET /socket.io/?EIO=4&transport=polling&sid=" + sid + " HTTP/1.1\r\nHost: x\r\n\r\n");
                assertTrue(answer.startsWith("HTTP/1.1 400"), answer);
                assertTrue(answer.endsWith(PollingGate.SESSION_UNKNOWN), answer);
            }
        }
        String post = send("POST /socket.io/?EIO=4&transport=polling&sid=nope HTTP/1.1\r\nHost: x\r\n"
                + "Content-Type: text/plain\r\nContent-Length: 2\r\n\r\n40");
        assertTrue(post.startsWith("HTTP/1.1 400"), post);
        List<String> lines = logged.records().stream().map(r -> r.getLoggerName() + ": " + r.getMessage()).toList();
        boolean traces = logged.records().stream().anyMatch(r -> r.getThrown() != null);
        // One line a minute for all refusals (the other tests here may have used this minute's).
        assertTrue(lines.size() <= 1, lines.toString());
        assertTrue(lines.stream().allMatch(l -> l.startsWith(PollingGate.class.getName())), lines.toString());
        assertFalse(traces, "no stack trace");
    }

    @Test
    void anotherMethodOnASessionIs400BadHandshakeMethod() throws IOException {
        String answer = send("PUT /socket.io/?EIO=4&transport=polling&sid=" + openSession()
                + " HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
        assertTrue(answer.startsWith("HTTP/1.1 400"), answer);
        assertTrue(answer.endsWith(PollingGate.BAD_METHOD), answer);
    }

    @Test
    void aPostOverThePayloadLimitIs413BeforeItsBodyIsSent() throws IOException {
        String answer = send("POST /socket.io/?EIO=4&transport=polling&sid=" + openSession()
                + " HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: " + (MAX_PAYLOAD + 1) + "\r\n\r\n");
        assertTrue(answer.startsWith("HTTP/1.1 413"), answer);
    }

    @Test
    void aKnownSessionStillPolls() throws IOException {
        String sid = openSession();
        String answer = send("POST /socket.io/?EIO=4&transport=polling&sid=" + sid + " HTTP/1.1\r\nHost: x\r\n"
                + "Content-Type: text/plain\r\nContent-Length: 1\r\n\r\n3");
        assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
    }

    /**
     * netty-socketio debug-logs every poll ("binding channel: …"). The gateway must not turn those
     * records on: the console handler prints whatever reaches it, and a busy polling gateway printed
     * one line per poll and spent about 6% of its CPU formatting them.
     */
    @Test
    void aPollMakesNoDebugRecordOfNettySocketIo() throws IOException {
        List<LogRecord> debug = new CopyOnWriteArrayList<>();
        Handler below = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel().intValue() < Level.INFO.intValue()) {
                    debug.add(record);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        below.setLevel(Level.ALL);
        Logger library = Logger.getLogger("com.corundumstudio");
        library.addHandler(below);
        try {
            String sid = openSession();
            String poll = send("POST /socket.io/?EIO=4&transport=polling&sid=" + sid + " HTTP/1.1\r\nHost: x\r\n"
                    + "Content-Type: text/plain\r\nContent-Length: 1\r\n\r\n3");
            assertTrue(poll.startsWith("HTTP/1.1 200"), poll);
        } finally {
            library.removeHandler(below);
        }
        assertTrue(debug.isEmpty(), () -> debug.stream().map(r -> r.getLoggerName() + ": " + r.getMessage()).toList().toString());
    }

    private static String openSession() throws IOException {
        String answer = send("GET /socket.io/?EIO=4&transport=polling&t=x HTTP/1.1\r\nHost: x\r\n\r\n");
        int at = answer.indexOf("\"sid\":\"");
        assertTrue(at > 0, answer);
        return answer.substring(at + 7, answer.indexOf('"', at + 7));
    }

    /** Sends the request and reads until the server closes the connection, which it must do at once. */
    private static String send(String request) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", gw.socketPort()), 5_000);
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            byte[] buffer = new byte[4096];
            try {
                for (int n; (n = in.read(buffer)) != -1; ) {
                    answer.write(buffer, 0, n);
                }
            } catch (SocketTimeoutException e) {
                throw new AssertionError("no answer, or the connection held open: " + answer, e);
            } catch (SocketException e) {
                // reset after the answer: closed too
            }
            return answer.toString(StandardCharsets.UTF_8);
        }
    }
}
