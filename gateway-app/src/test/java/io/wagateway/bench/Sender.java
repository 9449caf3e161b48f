package io.wagateway.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.wagateway.http.Json;
import io.wagateway.testing.NodeProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The bench's REST load: {@code bench/sender.mjs}, one process for every phase of a server's run,
 * on the same keep-alive connections from the first phase to {@link #close}, so the server sees no
 * connection close between the warm-up and the measurement, nor in it. (With a sender per phase,
 * the warm-up's connections closed right before the measurement: the gateway's JVM then threw away
 * the compiled code of its socket reads, 96 uncommon traps in Helidon's {@code NioSocket.get} in
 * one instant, and compiled it again while measured.)
 */
final class Sender implements AutoCloseable {

    /** Keep-alive connections at most, unless told otherwise: the rate in sends/s if lower. */
    static final int DEFAULT_CONNECTIONS = 48;

    private final NodeProcess process;
    private final Path config;
    private final BlockingQueue<JsonNode> results;

    private Sender(NodeProcess process, Path config, BlockingQueue<JsonNode> results) {
        this.process = process;
        this.config = config;
        this.results = results;
    }

    /**
     * @param maxRate        the highest rate of the phases to come (sends/s)
     * @param maxConnections the keep-alive connections to send over, at most
     */
    static Sender start(BenchServer server, List<Bench.Room> rooms, int maxRate, int maxConnections) throws java.io.IOException {
        Path config = Files.createTempFile("bench-send-", ".json");
        Files.write(config, Json.bytes(Map.of("url", server.httpUrl(), "connections", Math.min(maxConnections, maxRate),
                "sessions", rooms.stream().map(r -> Map.of("sessionId", r.sessionId(), "token", r.token())).toList())));
        BlockingQueue<JsonNode> results = new LinkedBlockingQueue<>();
        NodeProcess process = NodeProcess.start(List.of("bench/sender.mjs", config.toString()), Map.of(), line -> {
            if (line.startsWith("RESULT ")) {
                try {
                    results.add(Json.MAPPER.readTree(line.substring(7)));
                } catch (java.io.IOException e) {
                    System.out.println("[sender] unreadable: " + line);
                }
            } else {
                System.out.println("[sender] " + line);
            }
        });
        return new Sender(process, config, results);
    }

    /** Sends {@code rate} messages per second for {@code seconds}, round robin over the rooms, and waits for every answer. */
    CompareBench.SendResult send(String server, int rate, int seconds, int rooms) throws InterruptedException {
        process.writeLine("SEND " + new String(Json.bytes(Map.of("rate", rate, "seconds", seconds)),
                java.nio.charset.StandardCharsets.UTF_8));
        JsonNode r = results.poll(seconds + 120L, TimeUnit.SECONDS);
        if (r == null) {
            throw new IllegalStateException("the sender did not answer within " + (seconds + 120) + " s");
        }
        long[] accepted = new long[rooms];
        for (int k = 0; k < rooms; k++) {
            accepted[k] = r.get("accepted").get(k).asLong();
        }
        CompareBench.SendResult sent = new CompareBench.SendResult(accepted, r.get("failed").asLong(),
                r.hasNonNull("firstError") ? r.get("firstError").asText() : null, r.get("sendMs").asLong(),
                r.get("answerP50Ms").asLong(), r.get("answerP99Ms").asLong());
        if (sent.failed() > 0) {
            System.out.printf("bench: %s: %d sends failed (first: %s)%n", server, sent.failed(), sent.firstError());
        }
        return sent;
    }

    @Override
    public void close() throws Exception {
        process.close();
        Files.deleteIfExists(config);
    }
}
