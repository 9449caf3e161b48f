package io.wagateway.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.wagateway.http.Json;
import io.wagateway.testing.NodeProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The reference: a bare socket.io 4.8 server on Node ({@code src/test/node/bench/ref-server.mjs}),
 * in memory, with the same events, payload shapes and ack timing as the gateway under the bench.
 */
final class NodeReferenceServer implements BenchServer {

    private final Path config;
    private final List<Bench.Room> rooms;
    private final List<String> notable = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Integer> listening = new CompletableFuture<>();
    private final NodeProcess process;
    // HTTP/1.1: an h2c upgrade request would be taken for a websocket upgrade by the Node server.
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private NodeReferenceServer(int sessions, Duration ackDelay) throws Exception {
        List<Bench.Room> made = new ArrayList<>();
        for (int k = 0; k < sessions; k++) {
            made.add(new Bench.Room(UUID.randomUUID().toString(), UUID.randomUUID().toString(), "token-" + UUID.randomUUID()));
        }
        rooms = List.copyOf(made);
        config = Files.createTempFile("bench-ref-", ".json");
        Files.write(config, Json.bytes(Map.of("port", 0, "ackDelayMs", ackDelay.toMillis(),
                "sessions", rooms.stream().map(r -> Map.of("sessionId", r.sessionId(), "token", r.token(),
                        "userId", r.userId())).toList())));
        process = NodeProcess.start(List.of("--expose-gc", "bench/ref-server.mjs", config.toString()), Map.of(), this::line);
    }

    static NodeReferenceServer start(int sessions, Duration ackDelay) throws Exception {
        NodeReferenceServer server = new NodeReferenceServer(sessions, ackDelay);
        try {
            server.listening.get(60, TimeUnit.SECONDS);
            return server;
        } catch (Exception e) {
            server.close();
            throw new IllegalStateException("the Node reference server did not start: " + server.notable, e);
        }
    }

    private void line(String line) {
        if (line.startsWith("LISTENING ")) {
            try {
                listening.complete(Json.MAPPER.readTree(line.substring(10)).get("port").asInt());
            } catch (java.io.IOException e) {
                listening.completeExceptionally(e);
            }
        } else if (notable.size() < 200) {
            notable.add(line);
        }
    }

    @Override
    public String name() {
        return "Node socket.io 4.8";
    }

    @Override
    public List<Bench.Room> rooms() {
        return rooms;
    }

    @Override
    public String httpUrl() {
        return "http://127.0.0.1:" + listening.join();
    }

    @Override
    public String socketUrl() {
        return httpUrl();
    }

    @Override
    public long pid() {
        return process.pid();
    }

    @Override
    public long heapUsedAfterGc() throws Exception {
        HttpResponse<String> stats = http.send(HttpRequest.newBuilder(URI.create(httpUrl() + "/stats"))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode body = Json.MAPPER.readTree(stats.body());
        return body.get("heapUsed").asLong();
    }

    @Override
    public List<String> notableOutput() {
        return List.copyOf(notable);
    }

    @Override
    public void close() {
        process.close();
        http.close();
        try {
            Files.deleteIfExists(config);
        } catch (java.io.IOException e) {
            // A temp file; nothing else to do.
        }
    }
}
