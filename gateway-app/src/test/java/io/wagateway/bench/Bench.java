package io.wagateway.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.wagateway.api.MessageStatus;
import io.wagateway.api.MessageStatusUpdated;
import io.wagateway.event.EventBus;
import io.wagateway.http.Json;
import io.wagateway.testing.ApiClient;
import io.wagateway.testing.TestGateway;
import io.wagateway.testing.TestSessions;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * Socket.IO fan-out benchmark (not a test): {@code ./gateway bench [options]}. Starts a gateway,
 * connects N authenticated socket.io-client sockets (Node, {@code src/test/node/bench/load.mjs})
 * spread over K sessions, publishes {@code message_status_updated} events through the event bus at
 * a set rate, and prints delivery latency percentiles, delivered events/s, connections held and
 * heap per connection. Latency is receive time minus the event's {@code timestamp} (millisecond
 * resolution; gateway and load generator share the machine's clock).
 */
public final class Bench {

    private static final String PASSWORD = "bench-password-0123";
    private static final String USAGE = """
            ./gateway bench [--clients N] [--sessions K] [--rate EVENTS_PER_S] [--seconds S] [--transport websocket|polling] [--workers W]
              --clients    sockets to hold (default 2000)
              --sessions   sessions the sockets are spread over, one room each (default 20)
              --rate       events published per second, round robin over the sessions (default 200);
                           each is delivered to clients/sessions sockets
              --seconds    how long to publish (default 15)
              --transport  socket.io-client transport (default websocket)
              --workers    Node load generator processes (default 1)
            """;

    record Options(int clients, int sessions, int rate, int seconds, String transport, int workers) {

        static Options parse(String[] args) {
            Map<String, String> values = new LinkedHashMap<>(Map.of("clients", "2000", "sessions", "20", "rate", "200",
                    "seconds", "15", "transport", "websocket", "workers", "1"));
            values = BenchArgs.parse(args, values);
            Options o = new Options(Integer.parseInt(values.get("clients")), Integer.parseInt(values.get("sessions")),
                    Integer.parseInt(values.get("rate")), Integer.parseInt(values.get("seconds")),
                    values.get("transport"), Integer.parseInt(values.get("workers")));
            if (o.clients < 1 || o.sessions < 1 || o.sessions > o.clients || o.rate < 1 || o.seconds < 1 || o.workers < 1
                    || !List.of("websocket", "polling").contains(o.transport)) {
                throw new IllegalArgumentException("need clients >= sessions >= 1, rate, seconds, workers >= 1, "
                        + "transport websocket or polling");
            }
            return o;
        }
    }

    /** A session, its owner's token and the id of that owner. */
    record Room(String sessionId, String userId, String token) {
    }

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--compare")) {
            CompareBench.main(java.util.Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (args.length > 0 && args[0].equals("outbox")) {
            OutboxBench.main(java.util.Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (args.length > 0 && args[0].equals("inbound")) {
            InboundBench.main(java.util.Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
            System.out.print(USAGE + "\n" + CompareBench.USAGE + IdleBench.USAGE + OutboxBench.USAGE + InboundBench.USAGE);
            return;
        }
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage() + "\n" + USAGE);
            return;
        }
        bus(o, Map.of());
    }

    /** The bus-only bench: an in-process gateway, events published straight onto its event bus. */
    static void bus(Options o, Map<String, String> settings) throws Exception {
        System.out.printf("bench: %d %s clients over %d sessions, %d events/s for %d s%n",
                o.clients, o.transport, o.sessions, o.rate, o.seconds);
        Map<String, String> all = new LinkedHashMap<>(settings);
        all.put("gateway.socketio.max-sockets-per-user", Integer.toString(o.clients));
        all.put("gateway.socketio.max-rooms-per-socket", "1");
        // Every load generator's socket comes from one address: the per-address handshake limit is off.
        all.put("gateway.socketio.handshakes-per-second", "0");
        try (TestGateway gateway = TestGateway.start(all)) {
            run(o, gateway);
        }
    }

    private static void run(Options o, TestGateway gateway) throws Exception {
        List<Room> rooms = rooms(gateway, o.sessions);
        long heapBefore = heapAfterGc();
        List<Path> files = new ArrayList<>();
        List<LoadWorker> workers = new ArrayList<>();
        try {
            for (int w = 0; w < o.workers; w++) {
                List<Map<String, String>> clients = new ArrayList<>();
                for (int i = w; i < o.clients; i += o.workers) {
                    Room room = rooms.get(i % o.sessions);
                    clients.add(Map.of("token", room.token(), "sessionId", room.sessionId()));
                }
                Path file = Files.createTempFile("bench-load-", ".json");
                files.add(file);
                Files.write(file, Json.bytes(Map.of("url", gateway.socketUrl(), "transport", o.transport,
                        "clients", clients, "connectConcurrency", 50)));
                workers.add(new LoadWorker(w, file));
            }
            for (LoadWorker worker : workers) {
                worker.awaitReady(Duration.ofMinutes(3));
            }
            int held = gateway.gateway().socketServer().authenticatedSockets();
            long heapAfter = heapAfterGc();
            System.out.printf("bench: %d sockets held by the gateway; publishing...%n", held);

            long cpuBefore = processCpuNanos();
            long publishStart = System.currentTimeMillis();
            long[] perRoom = publish(gateway.gateway().events(), rooms, o.rate, Duration.ofSeconds(o.seconds));
            long publishEnd = System.currentTimeMillis();
            long published = java.util.Arrays.stream(perRoom).sum();
            for (LoadWorker worker : workers) {
                long expected = 0;
                for (int i = worker.index; i < o.clients; i += o.workers) {
                    expected += perRoom[i % o.sessions];
                }
                worker.finish(expected, LoadWorker.RESULT_PATIENCE);
            }
            long cpuNanos = processCpuNanos() - cpuBefore;
            report(o, workers, held, heapBefore, heapAfter, published, publishStart, publishEnd, cpuNanos);
        } finally {
            workers.forEach(LoadWorker::close);
            for (Path file : files) {
                Files.deleteIfExists(file);
            }
        }
    }

    private static List<Room> rooms(TestGateway gateway, int count) {
        ApiClient admin = gateway.api().loginAdmin();
        List<Room> rooms = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            ApiClient user = admin.createUser("bench" + k, PASSWORD);
            String sessionId = TestSessions.create(gateway, user, "bench " + k);
            rooms.add(new Room(sessionId, user.get("/api/auth/me").json().get("id").asText(), user.token()));
        }
        return rooms;
    }

    /** Publishes round robin over the rooms at {@code rate} per second from one thread (so each room's order holds). */
    private static long[] publish(EventBus bus, List<Room> rooms, int rate, Duration duration) {
        long[] perRoom = new long[rooms.size()];
        long start = System.nanoTime();
        long total = (long) rate * duration.toSeconds();
        long sent = 0;
        while (sent < total) {
            long due = Math.min(total, (System.nanoTime() - start) * rate / 1_000_000_000L);
            for (; sent < due; sent++) {
                int r = (int) (sent % rooms.size());
                Room room = rooms.get(r);
                bus.publish(new MessageStatusUpdated(room.sessionId(), room.userId(), "b-" + r + "-" + perRoom[r]++,
                        MessageStatus.SENT, null, null, Instant.now()));
            }
            LockSupport.parkNanos(200_000);
        }
        return perRoom;
    }

    private static void report(Options o, List<LoadWorker> workers, int held, long heapBefore, long heapAfter,
                               long published, long publishStart, long publishEnd, long cpuNanos) {
        long[] histogram = new long[60_001];
        long received = 0;
        long expected = 0;
        long outOfOrder = 0;
        long disconnects = 0;
        long lastAt = 0;
        long nodeCpuMs = 0;
        for (LoadWorker worker : workers) {
            JsonNode r = worker.result;
            received += r.get("received").asLong();
            expected += r.get("expected").asLong();
            outOfOrder += r.get("outOfOrder").asLong();
            disconnects += r.get("disconnects").asLong();
            lastAt = Math.max(lastAt, r.get("lastAt").asLong());
            nodeCpuMs += r.get("cpuMs").asLong() - r.get("cpuConnectMs").asLong();
            for (JsonNode bucket : r.get("buckets")) {
                histogram[bucket.get(0).asInt()] += bucket.get(1).asLong();
            }
        }
        double window = Math.max(1, lastAt - publishStart) / 1000.0;
        double publishWindow = Math.max(1, publishEnd - publishStart) / 1000.0;
        System.out.println();
        System.out.println("=== Socket.IO fan-out benchmark ===");
        System.out.printf("clients %d (%s), sessions %d (%d sockets per room), %d Node worker(s), %d CPU cores%n",
                o.clients, o.transport, o.sessions, o.clients / o.sessions, o.workers,
                Runtime.getRuntime().availableProcessors());
        System.out.printf("connections held by the gateway   %d%n", held);
        System.out.printf("heap per connection               %.1f KiB (heap after GC %.1f MiB -> %.1f MiB)%n",
                (heapAfter - heapBefore) / 1024.0 / Math.max(1, held), heapBefore / 1048576.0, heapAfter / 1048576.0);
        System.out.printf("events published                  %d (%.0f/s offered, %d/s asked)%n",
                published, published / publishWindow, o.rate);
        System.out.printf("deliveries expected / received    %d / %d (%.3f%%), out of order %d, disconnects %d%n",
                expected, received, 100.0 * received / Math.max(1, expected), outOfOrder, disconnects);
        System.out.printf("delivered events/s                %.0f (offered %.0f/s)%n",
                received / window, expected / publishWindow);
        System.out.printf("latency p50 / p95 / p99 / max     %d / %d / %d / %d ms%n",
                percentile(histogram, received, 0.50), percentile(histogram, received, 0.95),
                percentile(histogram, received, 0.99), percentile(histogram, received, 1.0));
        System.out.printf("gateway JVM CPU while publishing  %.1f s (%.0f%% of one core); load generator CPU %.1f s%n",
                cpuNanos / 1e9, 100.0 * cpuNanos / 1e9 / window, nodeCpuMs / 1000.0);
    }

    private static long percentile(long[] histogram, long total, double p) {
        long wanted = Math.max(1, (long) Math.ceil(total * p));
        long seen = 0;
        for (int ms = 0; ms < histogram.length; ms++) {
            seen += histogram[ms];
            if (seen >= wanted) {
                return ms;
            }
        }
        return -1;
    }

    private static long heapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200); // let the collector settle before reading the heap
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }
}
