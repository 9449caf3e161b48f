package io.wagateway.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.wagateway.http.Json;
import io.wagateway.testing.NodeProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;

/**
 * One Node load generator process ({@code src/test/node/bench/load.mjs}) and what it reported:
 * READY once its sockets have joined their rooms, RESET_OK after a warm-up, RESULT at the end.
 */
final class LoadWorker implements AutoCloseable {

    /** Longer than load.mjs waits for deliveries that keep coming (5 minutes). */
    static final Duration RESULT_PATIENCE = Duration.ofMinutes(6);

    final int index;
    final NodeProcess process;
    private final CountDownLatch ready = new CountDownLatch(1);
    private final CountDownLatch done = new CountDownLatch(1);
    private final SynchronousQueue<JsonNode> resets = new SynchronousQueue<>();
    volatile JsonNode readyReport;
    volatile JsonNode result;

    LoadWorker(int index, Path config) {
        this.index = index;
        this.process = NodeProcess.start(List.of("bench/load.mjs", config.toString()), Map.of(), this::line);
    }

    private void line(String line) {
        try {
            if (line.startsWith("READY ")) {
                readyReport = Json.MAPPER.readTree(line.substring(6));
                System.out.println("bench: load generator " + index + " ready " + readyReport);
                ready.countDown();
            } else if (line.startsWith("RESET_OK ")) {
                resets.put(Json.MAPPER.readTree(line.substring(9)));
            } else if (line.startsWith("RESULT ")) {
                result = Json.MAPPER.readTree(line.substring(7));
                done.countDown();
            } else {
                System.out.println("[load " + index + "] " + line);
            }
        } catch (IOException e) {
            System.out.println("[load " + index + "] unreadable: " + line);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * @return the CPU it used while measured, as its RESULT says (from its last RESET, or from its
     *     connect when there was none, to the RESULT): read from {@code /proc} after the RESULT, the
     *     process may already have exited (seen when most of its clients had been dropped)
     */
    static long measuredCpuNanos(JsonNode result) {
        return (result.path("cpuMs").asLong() - result.path("cpuConnectMs").asLong()) * 1_000_000L;
    }

    void awaitReady(Duration timeout) throws InterruptedException {
        if (!ready.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("load generator " + index + " did not connect its clients within " + timeout);
        }
        if (readyReport.get("failed").asInt() > 0) {
            throw new IllegalStateException("load generator " + index + ": " + readyReport);
        }
    }

    /**
     * Waits for the warm-up's {@code expected} deliveries (while they keep coming: load.mjs), then zeroes the counters.
     *
     * @return what it saw in the warm-up: {@code received}, latency {@code p99Ms} and {@code maxMs}, {@code disconnects}
     */
    JsonNode reset(long expected) throws Exception {
        process.writeLine("RESET " + Json.MAPPER.writeValueAsString(Map.of("expected", expected)));
        JsonNode answer = resets.poll(RESULT_PATIENCE.toSeconds(), TimeUnit.SECONDS);
        if (answer == null) {
            throw new IllegalStateException("load generator " + index + " did not answer RESET");
        }
        return answer;
    }

    /** Tells it how many deliveries to expect and waits for its RESULT. */
    void finish(long expected, Duration timeout) throws Exception {
        process.writeLine("DONE " + Json.MAPPER.writeValueAsString(Map.of("expected", expected)));
        if (!done.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("load generator " + index + " reported no result within " + timeout);
        }
    }

    @Override
    public void close() {
        process.close();
    }
}
