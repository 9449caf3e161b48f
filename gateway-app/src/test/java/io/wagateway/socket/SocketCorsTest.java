package io.wagateway.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wagateway.testing.LogCapture;
import io.wagateway.testing.TestGateway;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a browser sees of the Socket.IO port's CORS, over raw HTTP (what Chromium sends, header by
 * header): preflights that allow {@code Authorization}, and {@code 403} for an Origin outside the
 * allow-list, logged once per Origin per minute.
 */
class SocketCorsTest {

    private static final String ALLOWED = "http://allowed.example";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String HANDSHAKE = "/socket.io/?EIO=4&transport=polling&t=Pq1";

    private static TestGateway gw;
    private static LogCapture refusals;

    @BeforeAll
    static void start() {
        gw = TestGateway.start(Map.of("gateway.cors.origins", ALLOWED));
        refusals = LogCapture.on("io.wagateway.socket.OriginRefusals");
    }

    @AfterAll
    static void stop() {
        refusals.close();
        gw.close();
    }

    @Test
    void aPreflightFromAnAllowedOriginAllowsAuthorizationAndTheMethodsPollingUses() throws Exception {
        for (String method : List.of("GET", "POST")) {
            HttpResponse<String> r = send(request(HANDSHAKE).header("Origin", ALLOWED)
                    .header("Access-Control-Request-Method", method)
                    .header("Access-Control-Request-Headers", "authorization,content-type")
                    .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
            assertTrue(r.statusCode() / 100 == 2, r.statusCode() + " " + r.headers().map());
            assertEquals(ALLOWED, header(r, "Access-Control-Allow-Origin"));
            assertEquals(Set.of("GET", "POST", "OPTIONS"), tokens(header(r, "Access-Control-Allow-Methods")));
            assertTrue(tokens(header(r, "Access-Control-Allow-Headers"))
                    .containsAll(Set.of("AUTHORIZATION", "CONTENT-TYPE")), r.headers().map().toString());
        }
        // The request the browser then sends is an ordinary handshake, answered with CORS headers.
        HttpResponse<String> open = send(request(HANDSHAKE).header("Origin", ALLOWED)
                .header("Authorization", "Bearer anything").GET());
        assertEquals(200, open.statusCode(), open.body());
        assertTrue(open.body().startsWith("0{\"sid\""), open.body());
        assertEquals(ALLOWED, header(open, "Access-Control-Allow-Origin"));
    }

    @Test
    void aPreflightFromAnotherOriginIsRefusedWithoutCorsHeaders() throws Exception {
        HttpResponse<String> r = send(request(HANDSHAKE).header("Origin", "http://preflight.evil.example")
                .header("Access-Control-Request-Method", "GET")
                .header("Access-Control-Request-Headers", "authorization")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
        assertEquals(403, r.statusCode());
        for (String name : List.of("Access-Control-Allow-Origin", "Access-Control-Allow-Methods",
                "Access-Control-Allow-Headers")) {
            assertTrue(r.headers().firstValue(name).isEmpty(), r.headers().map().toString());
        }
    }

    @Test
    void aHandshakeFromAnotherOriginIs403OverPollingAndWebsocketAndLoggedOncePerOrigin() throws Exception {
        String evil = "http://handshake.evil.example";
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> r = send(request(HANDSHAKE).header("Origin", evil).GET());
            assertEquals(403, r.statusCode(), r.body());
            assertTrue(r.headers().firstValue("Access-Control-Allow-Origin").isEmpty());
        }
        CompletionException refused = assertThrows(CompletionException.class, () -> HTTP.newWebSocketBuilder()
                .header("Origin", evil)
                .buildAsync(URI.create("ws://127.0.0.1:" + gw.socketPort() + "/socket.io/?EIO=4&transport=websocket"),
                        new WebSocket.Listener() { })
                .orTimeout(10, TimeUnit.SECONDS).join());
        assertEquals(403, assertInstanceOf(WebSocketHandshakeException.class, refused.getCause())
                .getResponse().statusCode());
        assertEquals(1, linesNaming(evil), snapshot().toString());

        String other = "http://other.evil.example";
        assertEquals(403, send(request(HANDSHAKE).header("Origin", other).GET()).statusCode());
        assertEquals(1, linesNaming(other), snapshot().toString());
        assertEquals(1, linesNaming(evil), snapshot().toString());
    }

    private static long linesNaming(String origin) {
        return snapshot().stream().filter(line -> line.contains("'" + origin + "'")).count();
    }

    private static List<String> snapshot() {
        return refusals.messages();
    }

    private static HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(gw.socketUrl() + path)).timeout(Duration.ofSeconds(10));
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String header(HttpResponse<?> r, String name) {
        return r.headers().firstValue(name).orElseThrow(() -> new AssertionError("no " + name + " in "
                + r.headers().map()));
    }

    private static Set<String> tokens(String list) {
        return Arrays.stream(list.split(",")).map(s -> s.strip().toUpperCase(Locale.ROOT)).collect(Collectors.toSet());
    }
}
