package io.wagateway.bench;

import io.wagateway.api.MessageReceived;
import io.wagateway.api.SessionStatus;
import io.wagateway.testing.ApiClient;
import io.wagateway.testing.EventRecorder;
import io.wagateway.testing.TestDatabases;
import io.wagateway.testing.TestGateway;
import io.wagateway.testing.TestSessions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Inbound benchmark (not a test): {@code ./gateway bench inbound [options]}. Starts a gateway on
 * the embedded database or a fresh MariaDB database, links simulator sessions, and has REST
 * clients report arrivals through the simulator's {@code receive} action, which its engine then
 * reports to the gateway as WhatsApp's would (a burst of offline messages after a reconnect, a busy
 * group). Prints how long they took from the first report to the last {@code message_received}
 * published (each is stored before it is published), the commits they took, and the report calls'
 * latency.
 */
final class InboundBench {

    static final String USAGE = """
            ./gateway bench inbound [--db h2|mariadb] [--sessions K] [--messages N] [--concurrency C]
              --db          database (default h2; MariaDB at GATEWAY_TEST_MARIADB_URL or 127.0.0.1:3306)
              --sessions    linked simulator sessions the arrivals go to, round robin (default 1)
              --messages    arrivals measured (default 5000), after as many not counted (the JIT's warm-up)
              --concurrency REST clients reporting them at once (default 16)
            """;

    private InboundBench() {
    }

    static void main(String[] args) throws Exception {
        Map<String, String> o = new LinkedHashMap<>(Map.of("db", "h2", "sessions", "1", "messages", "5000",
                "concurrency", "16"));
        int sessions;
        int messages;
        int concurrency;
        try {
            o = BenchArgs.parse(args, o);
            sessions = Integer.parseInt(o.get("sessions"));
            messages = Integer.parseInt(o.get("messages"));
            concurrency = Integer.parseInt(o.get("concurrency"));
            if (sessions < 1 || messages < 1 || concurrency < 1 || !List.of("h2", "mariadb").contains(o.get("db"))) {
                throw new IllegalArgumentException("need sessions, messages, concurrency >= 1 and db h2 or mariadb");
            }
        } catch (IllegalArgumentException e) {
            System.err.println("bench inbound: " + e.getMessage() + "\n" + USAGE);
            return;
        }
        TestDatabases.Target target = o.get("db").equals("mariadb") ? TestDatabases.mariadb() : TestDatabases.embedded();
        Path dataDir = TestDatabases.tempDir();
        try (TestGateway gw = TestGateway.startOn(dataDir, TestDatabases.overrides(target))) {
            ApiClient owner = gw.api().loginAdmin().createUser("inbound", "inbound-bench-password-1");
            List<String> ids = link(gw, owner, sessions);
            // Each phase's latch, counted down once per arrival published (the phases do not overlap).
            AtomicReference<CountDownLatch> arrivals = new AtomicReference<>(new CountDownLatch(0));
            try (AutoCloseable subscription = gw.gateway().events().subscribe(e -> {
                if (e instanceof MessageReceived) {
                    arrivals.get().countDown();
                }
            })) {
                System.out.printf("bench inbound [%s]: %d arrivals over %d session(s), %d REST clients reporting%n",
                        target, messages, sessions, concurrency);
                phase(gw, owner, ids, messages, concurrency, arrivals);
                System.out.printf("bench inbound [%s]: warm-up done (%d arrivals, not counted)%n", target, messages);
                Phase p = phase(gw, owner, ids, messages, concurrency, arrivals);
                System.out.printf("bench inbound [%s]: stored and published %d arrivals in %.2f s = %.0f arrivals/s,"
                                + " in %d commits (%.1f arrivals per commit); receive calls ms p50 %d  p99 %d  max %d%n",
                        target, messages, p.seconds(), messages / p.seconds(), p.commits(),
                        (double) messages / Math.max(1, p.commits()), pct(p.callMillis(), 50), pct(p.callMillis(), 99),
                        p.callMillis()[p.callMillis().length - 1]);
            }
        } finally {
            TestGateway.deleteTree(dataDir);
            target.close();
        }
    }

    /** @return the ids of {@code sessions} new simulator sessions, each linked (scanned) and connected */
    private static List<String> link(TestGateway gw, ApiClient owner, int sessions) throws Exception {
        List<String> ids = new ArrayList<>();
        try (EventRecorder events = new EventRecorder(gw.gateway().events())) {
            for (int i = 0; i < sessions; i++) {
                String id = TestSessions.create(gw, owner, "inbound " + i);
                expectOk(owner.post("/api/sessions/" + id + "/start", null), "start");
                events.qr(id);
                expectOk(owner.post("/api/sessions/" + id + "/actions/scan",
                        Map.of("phoneNumber", "+62812000" + (1000 + i), "displayName", "Inbound " + i)), "scan");
                events.status(id, SessionStatus.CONNECTED);
                ids.add(id);
            }
        }
        return ids;
    }

    private record Phase(double seconds, long commits, long[] callMillis) {
    }

    private static Phase phase(TestGateway gw, ApiClient owner, List<String> ids, int messages, int concurrency,
                               AtomicReference<CountDownLatch> arrivals) throws Exception {
        CountDownLatch all = new CountDownLatch(messages);
        arrivals.set(all);
        long commitsBefore = gw.gateway().writer().commits();
        AtomicInteger next = new AtomicInteger();
        long[] calls = new long[messages];
        long start = System.nanoTime();
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < concurrency; c++) {
                clients.submit(() -> {
                    for (int i = next.getAndIncrement(); i < messages; i = next.getAndIncrement()) {
                        long t0 = System.nanoTime();
                        ApiClient.Response r = owner.post("/api/sessions/" + ids.get(i % ids.size()) + "/actions/receive",
                                Map.of("from", "+6289" + (10_000_000 + i % 1000), "text", "arrival " + i));
                        calls[i] = (System.nanoTime() - t0) / 1_000_000;
                        expectOk(r, "receive");
                    }
                    return null;
                });
            }
        }
        if (!all.await(5, TimeUnit.MINUTES)) {
            throw new IllegalStateException("not every arrival was published within 5 minutes");
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Arrays.sort(calls);
        return new Phase(seconds, gw.gateway().writer().commits() - commitsBefore, calls);
    }

    private static void expectOk(ApiClient.Response r, String what) {
        if (r.status() / 100 != 2) {
            throw new IllegalStateException(what + ": " + r.status() + " " + r.body());
        }
    }

    private static long pct(long[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }
}
