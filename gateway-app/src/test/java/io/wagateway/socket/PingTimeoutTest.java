package io.wagateway.socket;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wagateway.testing.LogCapture;
import io.wagateway.testing.TestGateway;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A client that stops answering pings is dropped, and the gateway's log says so (netty-socketio only debug-logs it). */
class PingTimeoutTest {

    @Test
    void aClientThatAnswersNoPingIsDroppedWithALogLineAndOneThatAnswersStays() throws Exception {
        try (TestGateway gw = TestGateway.start(Map.of("gateway.socketio.ping-interval", "300ms",
                "gateway.socketio.ping-timeout", "300ms"));
             LogCapture log = LogCapture.on(PingTimeouts.class.getName())) {
            String token = gw.api().loginAdmin().token();
            long before = gw.gateway().socketServer().pingTimeoutsDropped();
            RawClient silent = RawClient.connect(gw.socketPort(), token, false);
            RawClient answering = RawClient.connect(gw.socketPort(), token, true);
            String sid = silent.sid.get(5, TimeUnit.SECONDS);
            answering.sid.get(5, TimeUnit.SECONDS);

            // 300 ms + 300 ms after the handshake, give or take netty-socketio's timer.
            assertTrue(log.awaitMessage(m -> m.contains("Dropped the Socket.IO client " + sid) && m.contains("ping-interval"),
                    Duration.ofSeconds(20)), "logged: " + log.messages() + "; the client got " + silent.packets);
            assertTrue(gw.gateway().socketServer().pingTimeoutsDropped() > before);
            assertTrue(silent.toldToGo.get(10, TimeUnit.SECONDS), "the client got " + silent.packets);
            // Several intervals later, the client that answers every ping is still there.
            assertTrue(answering.pongs.get(10, TimeUnit.SECONDS) >= 3);
            assertFalse(answering.closed.isDone(), "a client that answers pings is kept");
        }
    }

    /** An engine.io 4 websocket client by hand: authenticates, then answers pings or not. */
    private static final class RawClient implements WebSocket.Listener {
        final CompletableFuture<String> sid = new CompletableFuture<>();
        final CompletableFuture<Void> closed = new CompletableFuture<>();
        /** Completed by the socket.io DISCONNECT packet or the connection's end. */
        final CompletableFuture<Boolean> toldToGo = new CompletableFuture<>();
        final java.util.List<String> packets = new java.util.concurrent.CopyOnWriteArrayList<>();
        final CompletableFuture<Integer> pongs = new CompletableFuture<>();
        private final String token;
        private final boolean answer;
        private int answered;

        private RawClient(String token, boolean answer) {
            this.token = token;
            this.answer = answer;
        }

        static RawClient connect(int port, String token, boolean answer) throws Exception {
            RawClient client = new RawClient(token, answer);
            HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(URI.create("ws://127.0.0.1:" + port + "/socket.io/?EIO=4&transport=websocket"), client)
                    .get(5, TimeUnit.SECONDS);
            return client;
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            String packet = data.toString();
            packets.add(packet.length() > 40 ? packet.substring(0, 40) + "…" : packet);
            if (packet.equals("41")) { // socket.io DISCONNECT, sent before netty-socketio closes the connection
                toldToGo.complete(true);
            }
            if (packet.startsWith("0{\"sid\":\"")) { // engine.io OPEN
                sid.complete(packet.substring(9, packet.indexOf('"', 9)));
                ws.sendText("40{\"token\":\"" + token + "\"}", true);
            } else if (packet.equals("2") && answer) { // engine.io PING
                ws.sendText("3", true);
                if (++answered == 3) {
                    pongs.complete(answered);
                }
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
            packets.add("closed " + status);
            closed.complete(null);
            toldToGo.complete(true);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            packets.add("error " + error);
            closed.complete(null);
            toldToGo.complete(true);
        }
    }
}
