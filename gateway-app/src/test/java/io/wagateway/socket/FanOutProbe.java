package io.wagateway.socket;

import com.fasterxml.jackson.databind.JsonNode;
import io.wagateway.http.Json;
import io.wagateway.testing.NodeProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * {@code src/test/node/fanout-probe.mjs}: real socket.io-client sockets in session rooms, driven
 * line by line (join, pause, report) for {@link RoomFanOutTest}.
 */
final class FanOutProbe implements AutoCloseable {

    /** One socket: its name, owner's token, room, transport, and whether it connects only on {@link #join}. */
    record Client(String name, String token, String sessionId, String transport, boolean lazy) {
    }

    private final Path config;
    private final NodeProcess process;
    private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();

    FanOutProbe(String url, List<Client> clients) {
        try {
            config = Files.createTempFile("fanout-probe-", ".json");
            Files.write(config, Json.bytes(Map.of("url", url, "clients", clients)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        process = NodeProcess.start(List.of("fanout-probe.mjs", config.toString()), Map.of(), line -> {
            if (line.matches("^(READY|JOINED|REJOINED|PAUSED|REPORT)\\b.*")) {
                answers.add(line);
            } else {
                System.out.println("[fanout-probe] " + line);
            }
        });
        await("READY");
    }

    void join(String name) {
        process.writeLine("JOIN " + name);
        await("JOINED " + name);
    }

    /** Sends {@code join_session} again on a joined client's socket; returns "session_joined" or "error CODE". */
    String rejoin(String name) {
        process.writeLine("REJOIN " + name);
        return await("REJOINED " + name + " ").substring(("REJOINED " + name + " ").length());
    }

    void pause(String name) {
        process.writeLine("PAUSE " + name);
        await("PAUSED " + name);
    }

    /** Waits until each named client has its expected count of events (at most 30 s), then reports all. */
    JsonNode report(Map<String, Long> expected) {
        try {
            process.writeLine("REPORT " + Json.MAPPER.writeValueAsString(expected));
            return Json.MAPPER.readTree(await("REPORT").substring("REPORT ".length()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String await(String prefix) {
        try {
            String line = answers.poll(60, TimeUnit.SECONDS);
            if (line == null || !line.startsWith(prefix)) {
                throw new AssertionError("fanout-probe: expected " + prefix + ", got " + line);
            }
            return line;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    @Override
    public void close() throws IOException {
        process.close();
        Files.deleteIfExists(config);
    }
}
