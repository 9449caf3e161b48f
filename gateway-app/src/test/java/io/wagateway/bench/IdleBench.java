package io.wagateway.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.wagateway.http.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The idle bench ({@code ./gateway bench --compare --idle}): how many authenticated websocket
 * clients, each joined to a room, one server process holds, and what each costs in memory. Against
 * the Node reference, then the gateway, the same Node processes ({@code bench/idle.mjs}) open the
 * clients at a steady rate, hold them for longer than two ping intervals, then check that every one
 * is still connected and that one message sent to every room (three {@code message_status_updated}
 * each) reached every client. Memory is read from outside: RSS from {@code /proc}, live heap after
 * a full collection ({@code jcmd GC.run} + {@code GC.heap_info} for the JVM, {@code gc()} then
 * {@code heapUsed} for Node) before the clients and at the end of the hold; RSS also once they are
 * all in and at the end of the hold before that collection (none is forced in between).
 */
final class IdleBench {

    static final String USAGE = """
            ./gateway bench --compare --idle [--clients N] [--rooms K] [--hold S] [--rate CONNECTS_PER_S]
                                             [--workers W] [--only node|gateway] [--set KEY=VALUE[,KEY=VALUE...]]
              idle connections, side by side: a bare Node socket.io 4.8 server, then this gateway
              --clients    authenticated websocket clients to hold (default 19000; the fd limit is per process)
              --rooms      sessions the clients are spread over, one room and one user each (default 10)
              --hold       seconds to hold them idle, pings only (default 60: more than two 25 s ping intervals)
              --rate       clients opened per second, over all workers (default 250)
              --workers    Node load generator processes, each with its own fd limit (default 4)
              --only       run one server only
              --set        gateway settings, e.g. --set gateway.socketio.ping-interval=10s
            """;
    /** Message_status_updated events per message: SENT, DELIVERED, READ. */
    private static final int EVENTS_PER_MESSAGE = 3;
    /** Handshakes a worker keeps under way at most, so a server that falls behind is not flooded. */
    private static final int MAX_IN_FLIGHT = 100;

    record Options(int clients, int rooms, int hold, int rate, int workers, String only, Map<String, String> settings) {

        static Options parse(String[] args) {
            Map<String, String> v = new LinkedHashMap<>(Map.of("clients", "19000", "rooms", "10", "hold", "60",
                    "rate", "250", "workers", "4", "only", "", "set", ""));
            v = BenchArgs.parse(args, v);
            Options o = new Options(Integer.parseInt(v.get("clients")), Integer.parseInt(v.get("rooms")),
                    Integer.parseInt(v.get("hold")), Integer.parseInt(v.get("rate")),
                    // No worker without clients: each must have sockets to report on.
                    Math.min(Integer.parseInt(v.get("workers")), Integer.parseInt(v.get("clients"))),
                    v.get("only"), CompareBench.Options.settings(v.get("set")));
            if (o.clients < 1 || o.rooms < 1 || o.rooms > o.clients || o.hold < 0 || o.rate < 1 || o.workers < 1
                    || !List.of("", "node", "gateway").contains(o.only)) {
                throw new IllegalArgumentException("need clients >= rooms >= 1, rate, workers >= 1, hold >= 0, "
                        + "only node or gateway");
            }
            return o;
        }
    }

    private IdleBench() {
    }

    static void main(String[] args) throws Exception {
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage() + "\n" + USAGE);
            return;
        }
        BenchArgs.stopChildrenOnExit();
        Path root = BenchArgs.projectRoot();
        System.out.printf("bench --compare --idle: %d websocket clients in %d rooms, opened at %d/s by %d worker(s), "
                + "held %d s%n", o.clients, o.rooms, o.rate, o.workers, o.hold);
        if (!o.settings.isEmpty()) {
            System.out.println("bench --compare --idle: gateway settings " + o.settings);
        }
        List<IdleRow> rows = new ArrayList<>();
        if (!o.only.equals("gateway")) {
            System.out.println("bench: starting the Node reference server");
            try (BenchServer node = NodeReferenceServer.start(o.rooms, Duration.ofMillis(50))) {
                rows.add(measure(o, node));
            }
        }
        if (!o.only.equals("node")) {
            System.out.println("bench: starting the gateway");
            try (BenchServer gateway = GatewayServer.start(root, o.clients, o.rooms, Duration.ofMillis(50), null,
                    o.settings)) {
                rows.add(measure(o, gateway));
            }
        }
        IdleTable.print(o, rows);
    }

    private static IdleRow measure(Options o, BenchServer server) throws Exception {
        List<Bench.Room> rooms = server.rooms();
        long pid = server.pid();
        long heapBefore = server.heapUsedAfterGc();
        long rssBefore = ProcStats.rssBytes(pid);
        System.out.printf("bench: %s: before the clients: heap %.1f MiB after GC, RSS %.1f MiB, %d fds%n",
                server.name(), mib(heapBefore), mib(rssBefore), ProcStats.openFds(pid));
        List<Path> files = new ArrayList<>();
        List<IdleWorker> workers = new ArrayList<>();
        try (RssPeak peak = new RssPeak(pid)) {
            long started = System.nanoTime();
            for (int w = 0; w < o.workers; w++) {
                List<Map<String, String>> clients = new ArrayList<>();
                for (int i = w; i < o.clients; i += o.workers) {
                    Bench.Room room = rooms.get(i % o.rooms);
                    clients.add(Map.of("token", room.token(), "sessionId", room.sessionId()));
                }
                Path file = Files.createTempFile("bench-idle-", ".json");
                files.add(file);
                Files.write(file, Json.bytes(Map.of("url", server.socketUrl(), "clients", clients,
                        "rate", Math.max(1.0, (double) o.rate / o.workers), "maxInFlight", MAX_IN_FLIGHT)));
                workers.add(new IdleWorker(w, file));
            }
            // The ramp's own length plus slack for a server that falls behind.
            Duration connectTimeout = Duration.ofSeconds(120 + 3L * o.clients / o.rate);
            for (IdleWorker worker : workers) {
                worker.awaitReady(connectTimeout);
            }
            double connectSeconds = (System.nanoTime() - started) / 1e9;
            int joined = 0;
            int failed = 0;
            String firstError = null;
            for (IdleWorker worker : workers) {
                joined += worker.readyReport.get("joined").asInt();
                failed += worker.readyReport.get("failed").asInt();
                if (firstError == null && worker.readyReport.hasNonNull("firstError")) {
                    firstError = worker.readyReport.get("firstError").asText();
                }
            }
            JsonNode handshake = workers.getFirst().readyReport;
            System.out.printf("bench: %s: %d of %d clients joined in %.1f s (%.0f/s)%s; the server announced "
                            + "pingInterval %d ms, pingTimeout %d ms%n", server.name(), joined, o.clients, connectSeconds,
                    joined / connectSeconds, failed == 0 ? "" : ", " + failed + " failed, first: " + firstError,
                    handshake.path("pingIntervalMs").asLong(), handshake.path("pingTimeoutMs").asLong());
            // No collection forced between the join and the end of the hold: the server's memory as it keeps it.
            long rssJoined = ProcStats.rssBytes(pid);
            System.out.printf("bench: %s: with the clients: RSS %.1f MiB, %d fds; holding for %d s%n", server.name(),
                    mib(rssJoined), ProcStats.openFds(pid), o.hold);
            Thread.sleep(Duration.ofSeconds(o.hold)); // the hold is the point: pings only
            long rssHeldNoGc = ProcStats.rssBytes(pid);
            long peakRss = peak.peak();
            Snapshot held = Snapshot.of(server);
            System.out.printf("bench: %s: after the hold: RSS %.1f MiB, then after a full GC: heap %.1f MiB, RSS %.1f MiB "
                            + "(peak %.1f MiB while connecting and holding), %d fds; one message to every room%n",
                    server.name(), mib(rssHeldNoGc), mib(held.heap), mib(held.rss), mib(peakRss), held.fds);
            CompareBench.SendResult sent;
            try (Sender sender = Sender.start(server, rooms, o.rooms, Sender.DEFAULT_CONNECTIONS)) {
                sent = sender.send(server.name(), o.rooms, 1, rooms.size());
            }
            long messages = java.util.Arrays.stream(sent.accepted()).sum();
            if (messages != o.rooms) {
                System.out.printf("bench: %s: only %d of %d messages accepted (%s)%n", server.name(), messages, o.rooms,
                        sent.firstError());
            }
            for (IdleWorker worker : workers) {
                worker.check(EVENTS_PER_MESSAGE);
            }
            server.notableOutput().stream().limit(10).forEach(l -> System.out.println("[" + server.name() + "] " + l));
            return IdleRow.of(server.name(), o, workers.stream().map(w -> w.result).toList(), joined, failed,
                    connectSeconds, handshake, heapBefore, rssBefore, rssJoined, rssHeldNoGc, held, peakRss);
        } finally {
            workers.forEach(IdleWorker::close);
            for (Path file : files) {
                Files.deleteIfExists(file);
            }
        }
    }

    /** Live heap after a full collection, then RSS and open file descriptors, of the server process. */
    record Snapshot(long heap, long rss, int fds) {

        static Snapshot of(BenchServer server) throws Exception {
            long heap = server.heapUsedAfterGc();
            return new Snapshot(heap, ProcStats.rssBytes(server.pid()), ProcStats.openFds(server.pid()));
        }
    }

    private static double mib(long bytes) {
        return bytes / 1048576.0;
    }
}
