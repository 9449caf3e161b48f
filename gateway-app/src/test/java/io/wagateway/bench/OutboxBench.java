package io.wagateway.bench;

import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import io.wagateway.api.SessionStatus;
import io.wagateway.api.SessionStatusChanged;
import io.wagateway.event.EventBus;
import io.wagateway.http.Json;
import io.wagateway.session.Session;
import io.wagateway.session.SessionStore;
import io.wagateway.testing.ApiClient;
import io.wagateway.testing.TestDatabases;
import io.wagateway.testing.TestGateway;
import io.wagateway.testing.TestSessions;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Outbox benchmark (not a test): {@code ./gateway bench outbox [options]}. Starts a gateway with
 * the webhook plugin on the embedded database and/or a fresh MariaDB database, subscribes a local
 * webhook receiver (Helidon's web server, answering 204) to every event, and has one producer per
 * session commit status changes the way the session actor does (the session row and the event's
 * outbox rows in one transaction, then published on the bus). Prints committed and delivered
 * events/s and the added latency (receipt minus the event's timestamp, ms) after the run drained.
 */
final class OutboxBench {

    static final String USAGE = """
            ./gateway bench outbox [--db h2|mariadb|both] [--sessions K] [--rate EVENTS_PER_S] [--seconds S]
              --db         database(s) to measure (default both; MariaDB at GATEWAY_TEST_MARIADB_URL or 127.0.0.1:3306)
              --sessions   sessions, one producer each (default 20)
              --rate       events committed per second in total, 0 = as fast as the producers can (default 0)
              --seconds    how long to produce, measured (default 15)
              --warmup     producing before that, not counted, until delivered (default 10; the JIT is still busy)
              --batch      gateway.delivery.batch-size (default: the configured one, 200)
              --concurrency gateway.webhooks.max-concurrency (default: the configured one, 8)
              --set        further gateway settings, e.g. --set gateway.delivery.claimers=1,gateway.db.writers=4
            """;

    private OutboxBench() {
    }

    static void main(String[] args) throws Exception {
        Map<String, String> o = new LinkedHashMap<>(Map.of("db", "both", "sessions", "20", "rate", "0", "seconds", "15", "batch", "", "concurrency", "", "set", ""));
        o.put("warmup", "10");
        try {
            o = BenchArgs.parse(args, o);
        } catch (IllegalArgumentException e) {
            System.err.println("bench outbox: " + e.getMessage() + "\n" + USAGE);
            return;
        }
        int sessions = Integer.parseInt(o.get("sessions"));
        int rate = Integer.parseInt(o.get("rate"));
        int seconds = Integer.parseInt(o.get("seconds"));
        int warmup = Integer.parseInt(o.get("warmup"));
        List<String> dbs = o.get("db").equals("both") ? List.of("h2", "mariadb") : List.of(o.get("db"));
        Map<String, String> tuning = new HashMap<>();
        if (!o.get("batch").isEmpty()) {
            tuning.put("gateway.delivery.batch-size", o.get("batch"));
        }
        if (!o.get("concurrency").isEmpty()) {
            tuning.put("gateway.webhooks.max-concurrency", o.get("concurrency"));
        }
        for (String pair : o.get("set").split(",")) {
            if (!pair.isBlank()) {
                String[] kv = pair.split("=", 2);
                if (kv.length != 2) {
                    System.err.println("bench outbox: --set takes KEY=VALUE pairs, not " + pair + "\n" + USAGE);
                    return;
                }
                tuning.put(kv[0].strip(), kv[1].strip());
            }
        }
        for (String db : dbs) {
            run(db, sessions, rate, seconds, warmup, tuning);
        }
    }

    private static void run(String db, int sessions, int rate, int seconds, int warmup, Map<String, String> tuning)
            throws Exception {
        TestDatabases.Target target = db.equals("mariadb") ? TestDatabases.mariadb() : TestDatabases.embedded();
        Path dataDir = TestDatabases.tempDir();
        Receiver receiver = new Receiver();
        try {
            Path plugins = Files.createDirectories(dataDir.resolve("plugins"));
            Path jar = Path.of(System.getProperty("gateway.test.webhook-jar"));
            Files.copy(jar, plugins.resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            Map<String, String> settings = new HashMap<>(db.equals("mariadb") ? TestDatabases.overrides(target) : Map.of());
            settings.put("gateway.plugins.dir", plugins.toString());
            settings.put("gateway.webhooks.allow-private-targets", "true");
            settings.put("gateway.db.pool-size", "32");
            settings.putAll(tuning);
            try (TestGateway gw = TestGateway.startOn(dataDir, settings)) {
                ApiClient admin = gw.api().loginAdmin();
                while (!admin.get("/api/plugins").body().contains("\"webhook\"")) {
                    Thread.sleep(50);
                }
                List<Session> rows = new ArrayList<>();
                SessionStore plain = new SessionStore(gw.gateway().database().client());
                for (int i = 0; i < sessions; i++) {
                    rows.add(plain.find(TestSessions.create(gw, admin, "bench " + i)).orElseThrow());
                }
                ApiClient.Response sub = admin.post("/api/webhooks", Map.of("url", receiver.url()));
                if (sub.status() != 201) {
                    throw new IllegalStateException("subscribe: " + sub.body());
                }
                System.out.printf("bench outbox [%s]: %d sessions, %s for %d s, webhook to %s %s%n", target, sessions,
                        rate == 0 ? "as fast as possible" : rate + " events/s", seconds, receiver.url(), tuning);
                // As the gateway's own session store writes: through its group commit.
                SessionStore store = new SessionStore(gw.gateway().database().client(), gw.gateway().delivery().outbox(),
                        gw.gateway().writer());
                EventBus bus = gw.gateway().events();
                if (warmup > 0) {
                    long warm = phase(store, bus, rows, rate, sessions, warmup, receiver).committed();
                    System.out.printf("bench outbox [%s]: warm-up: %d events in %d s, delivered, not counted%n", target, warm, warmup);
                    receiver.reset();
                }
                Phase p = phase(store, bus, rows, rate, sessions, seconds, receiver);
                long[] lat = receiver.latencies();
                System.out.printf("bench outbox [%s]: committed %d events in %.1f s = %.0f events/s (state change + outbox rows, through the gateway group commit)%n",
                        target, p.committed(), p.produceSeconds(), p.committed() / p.produceSeconds());
                System.out.printf("bench outbox [%s]: delivered %d/%d (%d requests) by %.1f s = %.0f events/s sustained to the webhook%n",
                        target, receiver.unique(), p.committed(), receiver.requests.get(), p.deliverSeconds(),
                        receiver.unique() / p.deliverSeconds());
                System.out.printf("bench outbox [%s]: added latency (commit to receipt) ms p50 %d  p95 %d  p99 %d  max %d; out of order %d; gateway process CPU %.1f s (%.2f cores)%n",
                        target, pct(lat, 50), pct(lat, 95), pct(lat, 99), lat.length == 0 ? 0 : lat[lat.length - 1],
                        receiver.outOfOrder.get(), p.cpuNanos() / 1e9, p.cpuNanos() / 1e9 / p.deliverSeconds());
            }
        } finally {
            receiver.close();
            TestGateway.deleteTree(dataDir);
            target.close();
        }
    }

    /** What one phase produced: its commits, how long producing and delivering took, the process CPU. */
    private record Phase(long committed, double produceSeconds, double deliverSeconds, long cpuNanos) {
    }

    /** Produces for {@code seconds}, then waits until the receiver got every event (at most 2 minutes). */
    private static Phase phase(SessionStore store, EventBus bus, List<Session> rows, int rate, int sessions, int seconds,
                               Receiver receiver) throws InterruptedException {
        long cpuBefore = cpuNanos();
        long start = System.nanoTime();
        long end = start + seconds * 1_000_000_000L;
        AtomicLong committed = new AtomicLong();
        List<Thread> producers = new ArrayList<>();
        for (Session s : rows) {
            Session current = store.find(s.sessionId()).orElseThrow();
            producers.add(Thread.ofPlatform().start(() -> produce(store, bus, current, rate, sessions, start, end, committed)));
        }
        for (Thread t : producers) {
            t.join();
        }
        double produceSeconds = (System.nanoTime() - start) / 1e9;
        long total = committed.get();
        long drainDeadline = System.nanoTime() + 120_000_000_000L;
        while (receiver.unique() < total && System.nanoTime() < drainDeadline) {
            Thread.sleep(20);
        }
        return new Phase(total, produceSeconds, (receiver.lastAt.get() - start) / 1e9, cpuNanos() - cpuBefore);
    }

    private static void produce(SessionStore store, EventBus bus, Session s, int rate, int sessions, long start, long end,
                                AtomicLong committed) {
        Session current = s;
        long n = 0;
        double interval = rate == 0 ? 0 : 1e9 * sessions / rate;
        while (System.nanoTime() < end) {
            if (interval > 0) {
                long due = start + (long) (n * interval);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
            }
            Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            SessionStatus status = n % 2 == 0 ? SessionStatus.CONNECTING : SessionStatus.DISCONNECTED;
            Session next = current.withStatus(status, null, null, null, now);
            SessionStatusChanged event = new SessionStatusChanged(s.sessionId(), s.userId(), status, null, null, null, now);
            store.updateStatus(next, event);
            bus.publish(event);
            current = next;
            n++;
            committed.incrementAndGet();
        }
    }

    private static long pct(long[] sorted, int p) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /**
     * The webhook receiver, on Helidon's web server (a virtual thread per connection): counts first
     * receipts, their latency and per-session order, answers 204. It shares the 2 cores with the
     * gateway, so the less it costs, the more of the figure is the gateway's (the JDK's HTTP server
     * cost about twice as much CPU per request here).
     */
    private static final class Receiver implements AutoCloseable {
        private final WebServer server;
        private final Map<String, Boolean> seen = new ConcurrentHashMap<>();
        private final Map<String, String> lastIdOfSession = new ConcurrentHashMap<>();
        private final List<Long> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
        private final AtomicLong requests = new AtomicLong();
        private final AtomicLong outOfOrder = new AtomicLong();
        private final AtomicLong lastAt = new AtomicLong(System.nanoTime());

        /** Forgets the warm-up's receipts; per-session order goes on from the last id seen. */
        void reset() {
            seen.clear();
            latencies.clear();
            requests.set(0);
            lastAt.set(System.nanoTime());
        }

        Receiver() {
            server = WebServer.builder().host("127.0.0.1").port(0)
                    .routing(r -> r.post("/hooks", (req, res) -> {
                        byte[] body = req.content().inputStream().readAllBytes();
                        receive(body);
                        res.status(Status.NO_CONTENT_204).send();
                    }))
                    .build().start();
        }

        private void receive(byte[] body) throws java.io.IOException {
            long receivedMs = System.currentTimeMillis();
            requests.incrementAndGet();
            var envelope = Json.MAPPER.readTree(body);
            String id = envelope.get("id").asText();
            if (seen.putIfAbsent(id, Boolean.TRUE) == null) {
                latencies.add(receivedMs - Instant.parse(envelope.get("timestamp").asText()).toEpochMilli());
                String session = envelope.get("sessionId").asText();
                String previous = lastIdOfSession.put(session, id);
                if (previous != null && previous.compareTo(id) > 0) {
                    outOfOrder.incrementAndGet();
                }
                lastAt.set(System.nanoTime());
            }
        }

        String url() {
            return "http://127.0.0.1:" + server.port() + "/hooks";
        }

        long unique() {
            return seen.size();
        }

        long[] latencies() {
            long[] a;
            synchronized (latencies) {
                a = latencies.stream().mapToLong(Long::longValue).toArray();
            }
            Arrays.sort(a);
            return a;
        }

        @Override
        public void close() {
            server.stop();
        }
    }
}
