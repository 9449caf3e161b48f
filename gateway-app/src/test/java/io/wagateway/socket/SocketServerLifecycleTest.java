package io.wagateway.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wagateway.config.ConfigException;
import io.wagateway.testing.TestGateway;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Binding, closing and binding again: the endpoint's own port handling. */
class SocketServerLifecycleTest {

    @Test
    void aBusyPortIsAConfigurationErrorNamingTheKey() throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            ConfigException e = assertThrows(ConfigException.class, () -> TestGateway.start(
                    Map.of("gateway.socketio.port", Integer.toString(busy.getLocalPort()))).close());
            assertEquals("gateway.socketio.port", e.key());
        }
    }

    @Test
    void restartsOnTheSamePortRightAfterClientsWereConnected() throws Exception {
        int port;
        try (TestGateway first = TestGateway.start(Map.of())) {
            // Port 0 bound (the fixture's default): the system's pick, which the second start asks for again.
            port = first.socketPort();
            assertNotEquals(0, port);
            String token = first.api().loginAdmin().token();
            CompletableFuture<String> open = new CompletableFuture<>();
            CompletableFuture<Void> greeted = new CompletableFuture<>();
            CompletableFuture<Void> toldToGo = new CompletableFuture<>();
            HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(URI.create("ws://127.0.0.1:" + port + "/socket.io/?EIO=4&transport=websocket"),
                            new WebSocket.Listener() {
                                @Override
                                public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                                    String packet = data.toString();
                                    if (packet.startsWith("0{")) { // engine.io OPEN: connect to the main namespace
                                        open.complete(packet);
                                        ws.sendText("40{\"token\":\"" + token + "\"}", true);
                                    } else if (packet.startsWith("42[\"connected\"")) {
                                        greeted.complete(null);
                                    } else if (packet.equals("41")) { // DISCONNECT, as the gateway stops: leave as a client would
                                        toldToGo.complete(null);
                                        ws.sendClose(WebSocket.NORMAL_CLOSURE, "");
                                    }
                                    ws.request(1);
                                    return null;
                                }
                            })
                    .get(5, TimeUnit.SECONDS);
            assertTrue(open.get(5, TimeUnit.SECONDS).startsWith("0{\"sid\""));
            greeted.get(5, TimeUnit.SECONDS); // an authenticated client is connected when the gateway stops
            first.close();
            assertTrue(toldToGo.isDone(), "the client was told to disconnect");
        }
        // Server-side closes leave the port in TIME_WAIT; without address reuse this bind fails.
        try (TestGateway second = TestGateway.start(Map.of("gateway.socketio.port", Integer.toString(port)))) {
            assertEquals(port, second.gateway().socketPort());
        }
    }
}
