package io.wagateway.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wagateway.testing.Await;
import io.wagateway.testing.LogCapture;
import io.wagateway.testing.TestGateway;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

/**
 * A packet netty-socketio cannot decode, and a connection that fails: never a SEVERE record or a
 * stack trace (a client could otherwise fill the log at will), never the packet's text (it may hold
 * a token) in the log; the connection ends, a socket with an accepted token told why first.
 */
class MalformedPacketTest {

    private static final String BROKEN_CONNECT = "40{\"token\":\"secret-looking";
    private static final String BROKEN_EVENT = "42[\"join_session\",{";

    @Test
    void malformedPacketsBeforeAnAcceptedTokenCloseTheConnectionWithOneLogLine() throws Exception {
        try (TestGateway gw = TestGateway.start(Map.of()); LogCapture log = LogCapture.on("")) {
            for (int i = 0; i < 5; i++) {
                RawSocketIoClient client = RawSocketIoClient.connect(gw.socketPort(), null, true);
                client.sid.get(5, TimeUnit.SECONDS);
                client.send(BROKEN_CONNECT);
                // Told to go at once, not after the 10 s a socket has to authenticate.
                assertTrue(client.toldToGo.get(5, TimeUnit.SECONDS), "told to go: " + client.packets);
            }
            assertQuiet(log.records());
            assertEquals(1, log.messages().stream().filter(m -> m.contains("not valid Socket.IO")).count(),
                    "one line for the five, the rest counted: " + log.messages());
        }
    }

    @Test
    void aSocketWithAnAcceptedTokenGetsInvalidPayloadAndIsDisconnected() throws Exception {
        try (TestGateway gw = TestGateway.start(Map.of()); LogCapture log = LogCapture.on("")) {
            String token = gw.api().loginAdmin().token();
            RawSocketIoClient client = RawSocketIoClient.connect(gw.socketPort(), token, true);
            assertTrue(client.awaitPacket(p -> p.startsWith("42[\"connected\""), Duration.ofSeconds(10)), "connected: " + client.packets);
            client.send(BROKEN_EVENT);
            assertTrue(client.awaitPacket(p -> p.startsWith("42[\"error\"") && p.contains("\"code\":\"INVALID_PAYLOAD\""),
                    Duration.ofSeconds(10)), "told why: " + client.packets);
            assertTrue(client.toldToGo.get(10, TimeUnit.SECONDS));
            assertTrue(log.awaitMessage(m -> m.contains("not valid Socket.IO"), Duration.ofSeconds(5)), "logged: " + log.messages());
            assertQuiet(log.records());
        }
    }

    @Test
    void aPollingClientWithAnAcceptedTokenGetsInvalidPayloadAndIsDisconnected() throws Exception {
        try (TestGateway gw = TestGateway.start(Map.of()); LogCapture log = LogCapture.on("")) {
            String token = gw.api().loginAdmin().token();
            Polling polling = Polling.open(gw.socketPort());
            polling.post("40{\"token\":\"" + token + "\"}");
            assertTrue(polling.pollUntil("42[\"connected\"").contains("42[\"connected\""));
            polling.post(BROKEN_EVENT);
            String answers = polling.pollUntil("41");
            assertTrue(answers.contains("42[\"error\"") && answers.contains("\"code\":\"INVALID_PAYLOAD\""), answers);
            assertTrue(answers.contains("\u001e41") || answers.startsWith("41"), "then a DISCONNECT: " + answers);
            assertQuiet(log.records());
        }
    }

    @Test
    void aFrameOverThePayloadLimitClosesTheConnectionWithoutAnErrorRecord() throws Exception {
        try (TestGateway gw = TestGateway.start(Map.of("gateway.socketio.max-payload-bytes", "1024"));
             LogCapture log = LogCapture.on("")) {
            String token = gw.api().loginAdmin().token();
            RawSocketIoClient client = RawSocketIoClient.connect(gw.socketPort(), token, true);
            assertTrue(client.awaitPacket(p -> p.startsWith("42[\"connected\""), Duration.ofSeconds(10)), "connected: " + client.packets);
            client.send("42[\"join_session\",\"" + "x".repeat(4096) + "\"]");
            assertTrue(log.awaitMessage(m -> m.contains("Closed a Socket.IO connection"), Duration.ofSeconds(10)),
                    "logged: " + log.messages());
            // Seen from the server: the JDK's client may not notice a close that outran the close frame.
            Await.until("the socket is gone", () -> gw.gateway().socketServer().authenticatedSockets() == 0,
                    () -> gw.gateway().socketServer().authenticatedSockets());
            assertQuiet(log.records());
        }
    }

    /** No record at SEVERE, none with a stack trace, none with a malformed packet's text. */
    private static void assertQuiet(List<LogRecord> records) {
        List<String> loud = records.stream()
                .filter(r -> r.getLevel().intValue() >= Level.SEVERE.intValue() || r.getThrown() != null
                        || String.valueOf(r.getMessage()).contains("secret-looking")
                        || String.valueOf(r.getMessage()).contains("join_session\",{"))
                .map(r -> r.getLevel() + " " + r.getLoggerName() + ": " + r.getMessage() + " " + r.getThrown())
                .toList();
        assertEquals(List.of(), loud);
    }

    /**
     * An engine.io 4 polling client by hand (socket.io-client never sends a malformed packet). Each
     * request on a connection of its own: netty-socketio may close one after its answer, and a POST
     * sent on it meanwhile would fail.
     */
    private record Polling(String url) {

        static Polling open(int port) throws Exception {
            String base = "http://127.0.0.1:" + port + "/socket.io/?EIO=4&transport=polling";
            String open = send(HttpRequest.newBuilder(URI.create(base)).build()).body();
            assertTrue(open.startsWith("0{\"sid\":\""), open);
            return new Polling(base + "&sid=" + open.substring(9, open.indexOf('"', 9)));
        }

        void post(String packet) throws Exception {
            HttpResponse<String> answer = send(HttpRequest.newBuilder(URI.create(url))
                    .POST(HttpRequest.BodyPublishers.ofString(packet)).build());
            assertEquals(200, answer.statusCode(), answer.body());
        }

        /** Polls until an answer holds {@code packet}; every answer so far, joined by the record separator. */
        String pollUntil(String packet) throws Exception {
            StringBuilder answers = new StringBuilder();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline) {
                String body = send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build()).body();
                answers.append(answers.isEmpty() ? "" : "\u001e").append(body);
                if (List.of(body.split("\u001e")).stream().anyMatch(p -> p.startsWith(packet))) {
                    return answers.toString();
                }
            }
            return answers.toString();
        }

        private static HttpResponse<String> send(HttpRequest request) throws Exception {
            try (HttpClient http = HttpClient.newHttpClient()) {
                return http.send(request, HttpResponse.BodyHandlers.ofString());
            }
        }
    }
}
