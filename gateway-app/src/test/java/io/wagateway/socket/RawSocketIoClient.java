package io.wagateway.socket;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * An engine.io 4 websocket client by hand, for what socket.io-client never sends: connects,
 * authenticates with {@code token} (none when null), answers pings or not, sends raw packets.
 */
final class RawSocketIoClient implements WebSocket.Listener {

    final CompletableFuture<String> sid = new CompletableFuture<>();
    final CompletableFuture<Void> closed = new CompletableFuture<>();
    /** Completed by the socket.io DISCONNECT packet or the connection's end. */
    final CompletableFuture<Boolean> toldToGo = new CompletableFuture<>();
    /** Every packet received (the first 200 characters), then {@code closed <status>} or {@code error …}. */
    final List<String> packets = new CopyOnWriteArrayList<>();
    final CompletableFuture<Integer> pongs = new CompletableFuture<>();
    private final String token;
    private final boolean answer;
    private volatile WebSocket ws;
    private int answered;

    private RawSocketIoClient(String token, boolean answer) {
        this.token = token;
        this.answer = answer;
    }

    static RawSocketIoClient connect(int port, String token, boolean answerPings) throws Exception {
        RawSocketIoClient client = new RawSocketIoClient(token, answerPings);
        client.ws = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/socket.io/?EIO=4&transport=websocket"), client)
                .get(5, TimeUnit.SECONDS);
        return client;
    }

    /** Sends {@code packet} as one text frame. */
    void send(String packet) throws Exception {
        ws.sendText(packet, true).get(5, TimeUnit.SECONDS);
    }

    /** Waits for a packet received so far or later that matches. */
    boolean awaitPacket(Predicate<String> match, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (packets) {
            while (packets.stream().noneMatch(match)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(packets, left);
            }
            return true;
        }
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        ws = webSocket;
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
        String packet = data.toString();
        received(packet.length() > 200 ? packet.substring(0, 200) + "…" : packet);
        if (packet.equals("41")) { // socket.io DISCONNECT, sent before netty-socketio closes the connection
            toldToGo.complete(true);
        }
        if (packet.startsWith("0{\"sid\":\"")) { // engine.io OPEN
            sid.complete(packet.substring(9, packet.indexOf('"', 9)));
            if (token != null) {
                ws.sendText("40{\"token\":\"" + token + "\"}", true);
            }
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
        received("closed " + status);
        closed.complete(null);
        toldToGo.complete(true);
        return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
        received("error " + error);
        closed.complete(null);
        toldToGo.complete(true);
    }

    private void received(String packet) {
        synchronized (packets) {
            packets.add(packet);
            packets.notifyAll();
        }
    }
}
