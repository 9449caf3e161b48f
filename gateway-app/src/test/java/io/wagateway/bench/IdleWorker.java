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
import java.util.concurrent.TimeUnit;

/**
 * One Node process of the idle bench ({@code src/test/node/bench/idle.mjs}): its own file
 * descriptor limit, so several of them hold more sockets than one process could. READY once its
 * sockets have their snapshots, RESULT after CHECK.
 */
final class IdleWorker implements AutoCloseable {

    final int index;
    private final NodeProcess process;
    private final CountDownLatch ready = new CountDownLatch(1);
    private final CountDownLatch done = new CountDownLatch(1);
    volatile JsonNode readyReport;
    volatile JsonNode result;

    IdleWorker(int index, Path config) {
        this.index = index;
        this.process = NodeProcess.start(List.of("bench/idle.mjs", config.toString()), Map.of(), this::line);
    }

    private void line(String line) {
        try {
            if (line.startsWith("READY ")) {
                readyReport = Json.MAPPER.readTree(line.substring(6));
                System.out.println("bench: idle load generator " + index + " ready " + readyReport);
                ready.countDown();
            } else if (line.startsWith("RESULT ")) {
                result = Json.MAPPER.readTree(line.substring(7));
                System.out.println("bench: idle load generator " + index + " result " + result);
                done.countDown();
            } else {
                System.out.println("[idle " + index + "] " + line);
            }
        } catch (IOException e) {
            System.out.println("[idle " + index + "] unreadable: " + line);
        }
    }

    /** Waits for READY; failed handshakes are reported in it, not thrown. */
    void awaitReady(Duration timeout) throws InterruptedException {
        if (!ready.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("idle load generator " + index + " did not open its sockets within " + timeout);
        }
    }

    /** Every socket should receive {@code events} events: waits (the script gives them 30 s) for the RESULT. */
    void check(int events) throws Exception {
        process.writeLine("CHECK " + Json.MAPPER.writeValueAsString(Map.of("events", events)));
        if (!done.await(90, TimeUnit.SECONDS)) {
            throw new IllegalStateException("idle load generator " + index + " reported no result");
        }
    }

    @Override
    public void close() {
        process.close();
    }
}
