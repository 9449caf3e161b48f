package io.wagateway.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.wagateway.http.Json;
import io.wagateway.testing.NodeProcess;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The side-by-side bench ({@code ./gateway bench --compare}): the same load against a bare Node
 * socket.io 4.8 server ({@link NodeReferenceServer}) and then this gateway ({@link GatewayServer}),
 * each in its own process, over the contract's path: {@code POST /api/sessions/{id}/messages} at a
 * set rate, three acks per message 50 ms apart, each {@code message_status_updated} fanned out to
 * the session's room. Both are driven by the same Node processes (sender.mjs, load.mjs) and
 * measured from outside ({@code /proc}); the rows and the gateway's ratios are printed as a table.
 */
final class CompareBench {

    static final String USAGE = """
            ./gateway bench --compare [--clients N] [--rooms K] [--rate SENDS_PER_S] [--seconds S] [--warmup S]
                                      [--warmup-rate SENDS_PER_S]
                                      [--transport websocket|polling] [--workers W] [--connections C]
                                      [--only node|gateway] [--jfr FILE] [--bus-seconds S] [--set KEY=VALUE[,KEY=VALUE...]]
              end to end, side by side: a bare Node socket.io 4.8 server, then this gateway
              --clients    sockets to hold (default 500)
              --rooms      sessions the sockets are spread over, one room each (default 10)
              --rate       messages sent per second through POST /api/sessions/{id}/messages (default 500);
                           each gets 3 acks (SENT, DELIVERED, READ, 50 ms apart), each delivered to clients/rooms sockets
              --seconds    how long to send, measured (default 15)
              --warmup     sending before the measurement, not counted (default 60: until the gateway's JIT
                           compilers are about done; the bench prints their share of the measured CPU)
              --warmup-rate messages sent per second during the warm-up (default the --rate, at most 500:
                           a server saturated for the whole warm-up would start the measurement a minute behind);
                           the warm-up's first half rises to it in steps: a sixth at 1/4, 2/4 and 3/4 of it
              --transport  socket.io-client transport (default websocket)
              --workers    Node load generator processes (default 1)
              --connections keep-alive connections the sends go over, at most (default 48); a send holds its
                           connection until answered, and the gateway answers once the message is stored, so
                           at saturation they bound the sends/s it can be offered. Over 56, the gateway's
                           gateway.http.max-connections-per-address is raised to C + 8 unless --set gives it
              --only       run one server only
              --jfr        record the gateway with Java Flight Recorder into FILE (settings=profile,
                           -XX:+DebugNonSafepoints)
              --bus-seconds then the bus-only bench for S seconds as a second figure: the gateway's fan-out
                           alone, the same clients and rooms, 3 x rate events/s published on its event bus
                           (default 10; 0 skips it)
              --set        gateway settings for both figures, e.g. --set gateway.socketio.flush-interval=5ms
            """;
    private static final Duration ACK_DELAY = Duration.ofMillis(50);
    /** Steps below the full rate at the warm-up's start. */
    private static final int RAMP_STEPS = 3;
    private static final int ACKS_PER_MESSAGE = 3;
    /** Linux keeps a closed connection in TIME_WAIT for 60 s. */
    private static final Duration TIME_WAIT_PATIENCE = Duration.ofSeconds(70);
    private static final int THREAD_KINDS_SHOWN = 8;
    /** The group commit's writer threads ({@code GroupCommit}, {@code db-group-commit-N}) as Linux names them: cut to 15 characters. */
    private static final String WRITER_THREADS = "db-group-commit";
    private static final int TIME_WAIT_LEFT = 1000;

    private static final String CONNECTION_CAP = "gateway.http.max-connections-per-address";
    /** {@code gateway.http.max-connections-per-address} in config/application.yaml. */
    private static final int DEFAULT_CONNECTION_CAP = 64;
    /** The bench's own connections to the REST port beside the sender's: set-up, metrics scrapes. */
    private static final int OWN_CONNECTIONS = 8;

    /** The default warm-up rate's cap: what both servers deliver in full on the bench's machine. */
    private static final int MAX_DEFAULT_WARMUP_RATE = 500;

    record Options(int clients, int rooms, int rate, int seconds, int warmup, int warmupRate, String transport, int workers,
                   int connections, String only, Path jfr, int busSeconds, Map<String, String> settings) {

        static Options parse(String[] args) {
            Map<String, String> v = new LinkedHashMap<>(Map.of("clients", "500", "rooms", "10", "rate", "500",
                    "seconds", "15", "warmup", "60", "transport", "websocket", "workers", "1", "only", "", "jfr", ""));
            v.put("bus-seconds", "10");
            v.put("warmup-rate", "");
            v.put("set", "");
            v.put("connections", Integer.toString(Sender.DEFAULT_CONNECTIONS));
            v = BenchArgs.parse(args, v);
            int connections = Integer.parseInt(v.get("connections"));
            Options o = new Options(Integer.parseInt(v.get("clients")), Integer.parseInt(v.get("rooms")),
                    Integer.parseInt(v.get("rate")), Integer.parseInt(v.get("seconds")), Integer.parseInt(v.get("warmup")),
                    v.get("warmup-rate").isEmpty() ? Math.min(Integer.parseInt(v.get("rate")), MAX_DEFAULT_WARMUP_RATE)
                            : Integer.parseInt(v.get("warmup-rate")),
                    v.get("transport"), Integer.parseInt(v.get("workers")), connections, v.get("only"),
                    v.get("jfr").isEmpty() ? null : Path.of(v.get("jfr")), Integer.parseInt(v.get("bus-seconds")),
                    withConnectionCap(settings(v.get("set")), connections));
            if (o.clients < 1 || o.rooms < 1 || o.rooms > o.clients || o.rate < 1 || o.seconds < 1 || o.warmup < 0 || o.warmupRate < 1
                    || o.busSeconds < 0 || o.workers < 1 || o.connections < 1 || !List.of("websocket", "polling").contains(o.transport)
                    || !List.of("", "node", "gateway").contains(o.only)) {
                throw new IllegalArgumentException("need clients >= rooms >= 1, rate, warmup-rate, seconds, workers, connections >= 1, "
                        + "warmup and bus-seconds >= 0, transport websocket or polling, only node or gateway");
            }
            return o;
        }

        /**
         * The gateway answers a client address's connections past its cap (64 by default) with 429:
         * the sender's, and the bench's own requests (set-up, metrics) beside them, must fit.
         */
        static Map<String, String> withConnectionCap(Map<String, String> settings, int connections) {
            int needed = connections + OWN_CONNECTIONS;
            if (needed <= DEFAULT_CONNECTION_CAP || settings.containsKey(CONNECTION_CAP)) {
                return settings;
            }
            Map<String, String> raised = new LinkedHashMap<>(settings);
            raised.put(CONNECTION_CAP, Integer.toString(needed));
            return Map.copyOf(raised);
        }

        static Map<String, String> settings(String list) {
            Map<String, String> settings = new LinkedHashMap<>();
            for (String pair : list.split(",")) {
                if (pair.isBlank()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                if (eq < 1 || !pair.startsWith("gateway.")) {
                    throw new IllegalArgumentException("--set takes gateway.KEY=VALUE pairs, not " + pair);
                }
                settings.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
            }
            return Map.copyOf(settings);
        }
    }

    private CompareBench() {
    }

    static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--idle")) {
            IdleBench.main(java.util.Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage() + "\n" + USAGE);
            return;
        }
        BenchArgs.stopChildrenOnExit();
        Path root = BenchArgs.projectRoot();
        if (!o.settings.isEmpty()) {
            System.out.println("bench --compare: gateway settings " + o.settings);
        }
        System.out.printf("bench --compare: %d %s clients in %d rooms, %d sends/s (%d deliveries/s offered) for %d s "
                        + "after %d s of warm-up rising to %d sends/s, over at most %d connections%n", o.clients, o.transport,
                o.rooms, o.rate, (long) o.rate * ACKS_PER_MESSAGE * o.clients / o.rooms, o.seconds, o.warmup, o.warmupRate,
                o.connections);
        List<CompareRow> rows = new ArrayList<>();
        ProfilePrinter profile = () -> { };
        if (!o.only.equals("gateway")) {
            awaitClosedConnectionsGone();
            System.out.println("bench: starting the Node reference server");
            try (BenchServer node = NodeReferenceServer.start(o.rooms, ACK_DELAY)) {
                rows.add(measure(o, node));
            }
        }
        if (!o.only.equals("node")) {
            awaitClosedConnectionsGone();
            System.out.println("bench: starting the gateway");
            Instant from;
            try (BenchServer gateway = GatewayServer.start(root, o.clients, o.rooms, ACK_DELAY, o.jfr, o.settings)) {
                from = Instant.now();
                rows.add(measure(o, gateway));
            }
            if (o.jfr != null) {
                // Warm-up and measurement, not the set-up (password hashing of the bench's users).
                profile = () -> ProfileSummary.print(o.jfr, from, Instant.now());
                System.out.println("bench: JFR recording of the gateway in " + o.jfr.toAbsolutePath()
                        + " (jfr view hot-methods " + o.jfr + ")");
            }
        }
        if (o.busSeconds > 0 && !o.only.equals("node")) {
            System.out.println("bench: the second figure, the gateway's fan-out alone (the bus-only bench, in process)");
            Bench.bus(new Bench.Options(o.clients, o.rooms, o.rate * ACKS_PER_MESSAGE, o.busSeconds, o.transport, o.workers),
                    o.settings);
        }
        profile.print();
        CompareTable.print(o, rows); // last, so the headline is what the run ends with
    }

    /** Prints the profile once the gateway has written its recording. */
    private interface ProfilePrinter {
        void print() throws java.io.IOException;
    }

    private static CompareRow measure(Options o, BenchServer server) throws Exception {
        List<Bench.Room> rooms = server.rooms();
        long pid = server.pid();
        long heapBefore = server.heapUsedAfterGc();
        long rssBefore = ProcStats.rssBytes(pid);
        List<Path> files = new ArrayList<>();
        List<LoadWorker> workers = new ArrayList<>();
        Sender sender = null;
        SocketBacklog backlog = null;
        MetricsScrape scrape = null;
        try {
            for (int w = 0; w < o.workers; w++) {
                List<Map<String, String>> clients = new ArrayList<>();
                for (int i = w; i < o.clients; i += o.workers) {
                    Bench.Room room = rooms.get(i % o.rooms);
                    clients.add(Map.of("token", room.token(), "sessionId", room.sessionId()));
                }
                Path file = Files.createTempFile("bench-load-", ".json");
                files.add(file);
                Files.write(file, Json.bytes(Map.of("url", server.socketUrl(), "transport", o.transport,
                        "clients", clients, "connectConcurrency", 50, "order", "status")));
                workers.add(new LoadWorker(w, file));
            }
            for (LoadWorker worker : workers) {
                worker.awaitReady(Duration.ofMinutes(3));
            }
            long heapAfter = server.heapUsedAfterGc();
            long rssAfter = ProcStats.rssBytes(pid);
            sender = Sender.start(server, rooms, Math.max(o.rate, o.warmupRate), o.connections);
            // Read once before the warm-up as well: the first read of the gateway's metrics loads
            // classes (seen in a class-load log at the measurement's start), and a class loaded can
            // make the JVM throw away compiled code that assumed it absent: not while measured.
            server.databaseWritesAndCommits();
            scrape = new MetricsScrape(server);
            backlog = new SocketBacklog(URI.create(server.socketUrl()).getPort());
            if (o.warmup > 0) {
                long[] warm = warmUp(o, server.name(), sender, rooms.size());
                List<JsonNode> seen = new ArrayList<>();
                for (LoadWorker worker : workers) {
                    seen.add(worker.reset(expected(o, worker.index, warm)));
                }
                printWarmup(server.name(), seen, backlog.takePeak());
            }
            System.out.printf("bench: %s: measuring for %d s%n", server.name(), o.seconds);
            long[] dbBefore = server.databaseWritesAndCommits();
            long cpuBefore = ProcStats.cpuNanos(pid);
            Map<String, Long> threadsBefore = ProcStats.cpuNanosByThreadKind(pid);
            long start = System.currentTimeMillis();
            SendResult sent = sender.send(server.name(), o.rate, o.seconds, rooms.size());
            long expected = 0;
            for (LoadWorker worker : workers) {
                long mine = expected(o, worker.index, sent.accepted);
                expected += mine;
                worker.finish(mine, LoadWorker.RESULT_PATIENCE);
            }
            long cpu = ProcStats.cpuNanos(pid) - cpuBefore;
            long loadCpu = workers.stream().mapToLong(w -> LoadWorker.measuredCpuNanos(w.result)).sum();
            Map<String, Long> threadsAfter = ProcStats.cpuNanosByThreadKind(pid);
            printDeliveryNotes(server.name(), o, workers, start + sent.sendMs());
            printLoadGenerators(server.name(), workers, loadCpu, System.currentTimeMillis() - start);
            printBacklog(server.name(), "while measured", backlog.takePeak());
            long jit = ProcStats.compilerNanos(threadsAfter) - ProcStats.compilerNanos(threadsBefore);
            List<Map.Entry<String, Long>> used = ProcStats.used(threadsBefore, threadsAfter);
            printThreads(server.name(), used, cpu);
            if (jit > 0) {
                // Still compiling means still warming up: a share of more than a few percent asks for a longer --warmup.
                System.out.printf(Locale.ROOT, "bench: %s: the JIT compiler threads used %.1f%% of its CPU while measured%n",
                        server.name(), 100.0 * jit / Math.max(1, cpu));
            }
            long[] dbAfter = server.databaseWritesAndCommits();
            if (dbBefore != null) {
                long writes = dbAfter[0] - dbBefore[0];
                long commits = dbAfter[1] - dbBefore[1];
                double seconds = (System.currentTimeMillis() - start) / 1000.0;
                long writer = used.stream().filter(e -> e.getKey().equals(WRITER_THREADS)).mapToLong(Map.Entry::getValue).sum();
                System.out.printf(Locale.ROOT, "bench: %s: database: %d writes in %d commits while measured (%.1f writes per commit, %.0f commits/s;"
                                + " the writer thread's CPU %.1f µs per write)%n", server.name(), writes, commits,
                        commits == 0 ? 0.0 : (double) writes / commits, commits / seconds, writes == 0 ? 0.0 : writer / 1000.0 / writes);
            }
            long rssEnd = ProcStats.rssBytes(pid);
            server.notableOutput().stream().limit(10).forEach(l -> System.out.println("[" + server.name() + "] " + l));
            return CompareRow.of(server.name(), o, workers.stream().map(w -> w.result).toList(), expected, start,
                    sent, cpu, heapAfter - heapBefore, rssAfter - rssBefore, rssEnd);
        } finally {
            // The sender's connections close only now, after the measurement's readings.
            if (sender != null) {
                sender.close();
            }
            if (backlog != null) {
                backlog.close();
            }
            if (scrape != null) {
                scrape.close();
            }
            workers.forEach(LoadWorker::close);
            for (Path file : files) {
                Files.deleteIfExists(file);
            }
        }
    }

    /**
     * What the table's lost and latency columns do not say: clients that got nothing while measured
     * (their whole share is lost), why clients disconnected (the warm-up included), and how long
     * after the last send the last delivery came (latency counts from each ack, so a message that
     * waited for its engine shows only there).
     */
    private static void printDeliveryNotes(String server, Options o, List<LoadWorker> workers, long lastSend) {
        long silent = workers.stream().mapToLong(w -> w.result.path("silent").asLong()).sum();
        if (silent > 0) {
            System.out.printf("bench: %s: %d of %d clients got no event while measured (%d of them none since they joined)%n",
                    server, silent, o.clients, workers.stream().mapToLong(w -> w.result.path("silentSinceJoined").asLong()).sum());
        }
        Map<String, Long> reasons = new java.util.TreeMap<>();
        workers.forEach(w -> w.result.path("disconnectReasons").properties()
                .forEach(e -> reasons.merge(e.getKey(), e.getValue().asLong(), Long::sum)));
        if (!reasons.isEmpty()) {
            System.out.printf("bench: %s: clients disconnected since they joined (warm-up included), by socket.io-client's reason: %s%n",
                    server, reasons);
        }
        long lastDelivery = workers.stream().mapToLong(w -> w.result.get("lastAt").asLong()).max().orElse(0);
        System.out.printf(Locale.ROOT, "bench: %s: the last delivery came %.1f s after the last send%n", server,
                (lastDelivery - lastSend) / 1000.0);
    }

    /**
     * The warm-up: its first half rises in steps ({@link #RAMP_STEPS} of a sixth of it each, at a
     * quarter, a half and three quarters of the rate), then the rate. At the full rate from the first
     * second, the gateway's JIT compilers (a core of their own for most of the first minute) and its
     * still interpreted code took so much of the two cores that the load generator fell tens of
     * seconds behind its clients' events, in its socket buffers, and the server dropped clients at
     * their ping timeout (see {@link #printWarmup}).
     *
     * @return the messages accepted per room
     */
    private static long[] warmUp(Options o, String server, Sender sender, int rooms) throws InterruptedException {
        record Phase(int rate, int seconds) {
        }
        int step = o.warmup / 6;
        List<Phase> phases = new ArrayList<>();
        for (int k = 1; k <= RAMP_STEPS && step > 0; k++) {
            phases.add(new Phase(Math.max(1, o.warmupRate * k / (RAMP_STEPS + 1)), step));
        }
        phases.add(new Phase(o.warmupRate, o.warmup - step * phases.size()));
        System.out.printf("bench: %s: warming up for %d s (%s sends/s)%n", server, o.warmup, String.join(", ",
                phases.stream().map(p -> p.seconds() + " s at " + p.rate()).toList()));
        long[] accepted = new long[rooms];
        for (Phase phase : phases) {
            long[] sent = sender.send(server, phase.rate(), phase.seconds(), rooms).accepted();
            for (int k = 0; k < rooms; k++) {
                accepted[k] += sent[k];
            }
        }
        return accepted;
    }

    /**
     * The warm-up is not counted, but a client it leaves far behind is dropped at its ping timeout
     * and loses its whole share of the measurement: how far behind the deliveries got, and where
     * they waited.
     */
    private static void printWarmup(String server, List<JsonNode> seen, ProcStats.TcpQueues peak) {
        System.out.printf("bench: %s: in the warm-up: latency p99 %d ms, max %d ms (the worst load generator's), %d clients disconnected%n",
                server, seen.stream().mapToLong(r -> r.path("p99Ms").asLong()).max().orElse(0),
                seen.stream().mapToLong(r -> r.path("maxMs").asLong()).max().orElse(0),
                seen.stream().mapToLong(r -> r.path("disconnects").asLong()).sum());
        printBacklog(server, "in the warm-up", peak);
    }

    /**
     * Bytes in the kernel's socket buffers, at their peak: megabytes unread on the clients' side
     * mean the load generators, not the server, were behind (on loopback the server's side then
     * fills too, as the clients' receive windows close).
     */
    private static void printBacklog(String server, String phase, ProcStats.TcpQueues peak) {
        System.out.printf(Locale.ROOT, "bench: %s: socket buffers %s, at their peak: the clients had %.1f MB received and not yet read"
                        + " (%.0f KB the most on one), the server %.1f MB sent and not yet acknowledged (%.0f KB)%n",
                server, phase, peak.clientUnread() / 1e6, peak.clientMax() / 1e3, peak.serverUnsent() / 1e6, peak.serverMax() / 1e3);
    }

    /**
     * The load generators' own CPU per delivery: how long they take to read what one commit (or
     * one ack, for Node) brings them at once, which is part of every latency they measure.
     */
    private static void printLoadGenerators(String server, List<LoadWorker> workers, long cpuNanos, long windowMs) {
        long received = workers.stream().mapToLong(w -> w.result.path("received").asLong()).sum();
        System.out.printf(Locale.ROOT, "bench: %s: the load generators used %.2f cores while measured, %.2f µs per delivery received%n",
                server, cpuNanos / 1e6 / Math.max(1, windowMs), cpuNanos / 1000.0 / Math.max(1, received));
    }

    /**
     * Where the server's CPU went while measured, by kind of thread (the largest few): which part
     * of the gateway a change made cheaper shows here, where the run-to-run spread of the totals
     * would hide it. Virtual threads count on their carriers ({@code ForkJoinPool-#-worker-#}).
     */
    private static void printThreads(String server, List<Map.Entry<String, Long>> used, long cpu) {
        StringBuilder line = new StringBuilder();
        for (Map.Entry<String, Long> kind : used.stream().limit(THREAD_KINDS_SHOWN).toList()) {
            line.append(line.isEmpty() ? "" : ", ").append(String.format(Locale.ROOT, "%s %.1f%%", kind.getKey(),
                    100.0 * kind.getValue() / Math.max(1, cpu)));
        }
        System.out.printf("bench: %s: its CPU by thread while measured: %s%n", server, line);
    }

    /**
     * Waits (at most {@link #TIME_WAIT_PATIENCE}) until the connections the previous run (or bench)
     * closed have left TIME_WAIT. A polling run opens a connection per poll, thousands a second: the next run
     * would otherwise start with tens of thousands of loopback ports still held, and its load
     * generator's every connect() would search past them (seen: the gateway, second, at 114,000
     * deliveries/s at polling saturation, where runs of its own gave 137,000 to 198,000).
     */
    private static void awaitClosedConnectionsGone() throws InterruptedException {
        long deadline = System.nanoTime() + TIME_WAIT_PATIENCE.toNanos();
        int left = ProcStats.timeWaitSockets();
        if (left <= TIME_WAIT_LEFT) {
            return;
        }
        System.out.printf("bench: waiting for %d closed connections to leave TIME_WAIT%n", left);
        while (left > TIME_WAIT_LEFT && System.nanoTime() < deadline) {
            Thread.sleep(1000); // the kernel gives no event for it: polled
            left = ProcStats.timeWaitSockets();
        }
        System.out.printf("bench: %d left in TIME_WAIT%n", left);
    }

    /** Deliveries a load generator should see: 3 acks for each accepted message of each of its sockets' rooms. */
    private static long expected(Options o, int worker, long[] acceptedPerRoom) {
        long expected = 0;
        for (int i = worker; i < o.clients; i += o.workers) {
            expected += ACKS_PER_MESSAGE * acceptedPerRoom[i % o.rooms];
        }
        return expected;
    }

    /** What sender.mjs reported. */
    record SendResult(long[] accepted, long failed, String firstError, long sendMs, long answerP50Ms, long answerP99Ms) {
    }

}
