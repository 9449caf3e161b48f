package io.wagateway.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wagateway.api.GatewayEvent;
import io.wagateway.testing.ApiClient;
import io.wagateway.testing.Await;
import io.wagateway.testing.LogCapture;
import io.wagateway.testing.TestDatabases;
import io.wagateway.testing.TestGateway;
import io.wagateway.testing.TestSessions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Sinks of real plugin jars fed from the durable outbox of a real gateway: an API 1.1 sink
 * ({@code deliver(GatewayEvent)}) and an API 1.2 one ({@code deliver(SinkDelivery)}) get every event
 * in order with its id; a sink whose jar is removed keeps its waiting deliveries, and gets them
 * when the jar is back.
 */
class PluginSinkDeliveryTest {

    private static final Duration PATIENCE = Duration.ofSeconds(20);
    private final Path dataDir = TestDatabases.tempDir();
    private TestGateway gw;

    @AfterEach
    void cleanUp() {
        System.clearProperty("test.audit.fail");
        if (gw != null) {
            gw.close();
        }
        TestGateway.deleteTree(dataDir);
    }

    private TestGateway start() {
        Map<String, String> s = new HashMap<>();
        s.put("gateway.sinks.audit.url", "http://example.test/hook");
        s.put("gateway.delivery.retry-initial-delay", "20ms");
        s.put("gateway.delivery.retry-max-delay", "100ms");
        s.put("gateway.delivery.poll-interval", "50ms");
        s.put("gateway.delivery.max-attempts", "1000");
        s.put("gateway.plugins.debounce", "50ms");
        return TestGateway.startOn(dataDir, s);
    }

    private static TestPluginJars.Builder auditJar() {
        // API 1.1 style: deliver(GatewayEvent) only, fails retriably while the test says so.
        return TestPluginJars.plugin("audit").sink("audit", """
                @Override public java.util.List<ConfigKey> configKeys() {
                    return java.util.List.of(new ConfigKey("url", ConfigKey.Type.SECRET, null, "where to"));
                }
                @Override public void start(SinkContext context) {
                    io.wagateway.plugin.TestInbox.record("audit-start:" + context.config().getString("url"));
                }
                @Override public void deliver(SinkDelivery d) {
                    if (System.getProperty("test.audit.fail") != null) {
                        throw new RetriableException("receiver down");
                    }
                    io.wagateway.plugin.TestInbox.record("audit:" + d.eventId() + ":" + d.attempt() + ":"
                            + d.body().startsWith("{\\"id\\":\\"" + d.eventId() + "\\",\\"type\\":\\"" + d.type() + "\\""));
                }
                @Override public void stop() { io.wagateway.plugin.TestInbox.record("audit-stop"); }
                """);
    }

    private static TestPluginJars.Builder legacyJar() {
        return TestPluginJars.plugin("legacy").sink("legacy");
    }

    @Test
    void sinksOfPluginJarsGetEveryEventInOrderWithItsId() throws Exception {
        TestInbox.clear();
        Files.createDirectories(dataDir.resolve("plugins"));
        auditJar().writeTo(Files.createDirectories(dataDir.resolve("plugins")), "audit.jar");
        legacyJar().writeTo(dataDir.resolve("plugins"), "legacy.jar");
        gw = start();
        List<GatewayEvent> published = new CopyOnWriteArrayList<>();
        gw.gateway().events().subscribe(published::add);
        ApiClient admin = gw.api().loginAdmin();
        String session = TestSessions.create(gw, admin, "audited");
        assertEquals(202, admin.post("/api/sessions/" + session + "/start", Map.of()).status());
        Await.until("three events to both sinks", PATIENCE, () -> published.size() >= 3 && TestInbox.entries().stream()
                .filter(e -> e.startsWith("audit:")).count() >= published.size(), TestInbox::entries);
        List<String> audit = TestInbox.entries().stream().filter(e -> e.startsWith("audit:")).toList();
        assertEquals(published.stream().map(e -> "audit:" + e.eventId() + ":1:true").toList(), audit,
                "every event once, in order, with its envelope");
        Await.until("legacy sink too", PATIENCE, () -> TestInbox.entries().stream()
                .filter(e -> e.equals("legacy:" + session)).count() == published.size(), TestInbox::entries);
        assertEquals("audit-start:http://example.test/hook", TestInbox.entries().getFirst().startsWith("audit-start")
                ? TestInbox.entries().getFirst() : TestInbox.entries().get(1));
    }

    @Test
    void aSinkThatHangsDelaysNoOtherSink() throws Exception {
        TestInbox.clear();
        Path plugins = Files.createDirectories(dataDir.resolve("plugins"));
        auditJar().writeTo(plugins, "audit.jar");
        TestPluginJars.plugin("stuck").sink("stuck", """
                @Override public void deliver(SinkDelivery d) {
                    try {
                        Thread.sleep(60_000);
                    } catch (InterruptedException e) {
                        io.wagateway.plugin.TestInbox.record("stuck-interrupted");
                    }
                }
                """).writeTo(plugins, "stuck.jar");
        Map<String, String> s = new HashMap<>();
        s.put("gateway.sinks.audit.url", "http://example.test/hook");
        s.put("gateway.delivery.deliver-timeout", "300ms");
        s.put("gateway.delivery.poll-interval", "50ms");
        gw = TestGateway.startOn(dataDir, s);
        ApiClient admin = gw.api().loginAdmin();
        List<GatewayEvent> published = new CopyOnWriteArrayList<>();
        gw.gateway().events().subscribe(published::add);
        String session = TestSessions.create(gw, admin, "stuck");
        assertEquals(202, admin.post("/api/sessions/" + session + "/start", Map.of()).status());
        Await.until("the audit sink has every event", PATIENCE, () -> published.size() >= 3 && TestInbox.entries().stream()
                .filter(e -> e.startsWith("audit:")).count() == published.size(), TestInbox::entries);
        Await.until("the hung call given up", PATIENCE, () -> admin.get("/api/deliveries?sink=stuck").body()
                .contains("did not return within 300ms"), () -> admin.get("/api/deliveries?sink=stuck").body());
        assertTrue(TestInbox.entries().contains("stuck-interrupted"), "the abandoned call is interrupted");
    }

    @Test
    void aSinkSizedByItsConfigurationGetsThatConcurrency() throws Exception {
        TestInbox.clear();
        Path plugins = Files.createDirectories(dataDir.resolve("plugins"));
        // As the webhook sink does: its concurrency comes from its configuration, read at start.
        TestPluginJars.plugin("wide").sink("wide", """
                private volatile int concurrency = 1;
                static final Object LOCK = new Object();
                static int inside;
                @Override public void start(SinkContext context) { concurrency = 3; }
                @Override public int maxConcurrency() { return concurrency; }
                @Override public void deliver(SinkDelivery d) {
                    synchronized (LOCK) {
                        inside++;
                        LOCK.notifyAll();
                        try {
                            // Short: a round with fewer lanes ends soon, and a later one brings three together.
                            long end = System.nanoTime() + 1_000_000_000L;
                            while (inside < 3 && System.nanoTime() < end) {
                                LOCK.wait(100);
                            }
                            if (inside >= 3) {
                                io.wagateway.plugin.TestInbox.record("wide-together");
                            }
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        } finally {
                            inside--;
                        }
                    }
                }
                """).writeTo(plugins, "wide.jar");
        Map<String, String> s = new HashMap<>();
        s.put("gateway.delivery.deliver-timeout", "20s");
        s.put("gateway.delivery.poll-interval", "50ms");
        gw = TestGateway.startOn(dataDir, s);
        ApiClient admin = gw.api().loginAdmin();
        for (int i = 0; i < 3; i++) {
            String session = TestSessions.create(gw, admin, "wide-" + i);
            assertEquals(202, admin.post("/api/sessions/" + session + "/start", Map.of()).status());
        }
        Await.until("three calls at once, for three sessions", PATIENCE,
                () -> TestInbox.entries().contains("wide-together"), TestInbox::entries);
    }

    @Test
    void aSinkDeafToInterruptsKeepsAtMostTwiceItsConcurrencyOfThreads() throws Exception {
        TestInbox.clear();
        Path plugins = Files.createDirectories(dataDir.resolve("plugins"));
        TestPluginJars.plugin("deaf").sink("deaf", """
                @Override public void deliver(SinkDelivery d) {
                    io.wagateway.plugin.TestInbox.record("deaf-in");
                    while (System.getProperty("test.deaf.release") == null) {
                        try {
                            Thread.sleep(20);
                        } catch (InterruptedException e) {
                            // deaf, as a blocking socket read is
                        }
                    }
                    io.wagateway.plugin.TestInbox.record("deaf-out:" + d.eventId());
                }
                """).writeTo(plugins, "deaf.jar");
        Map<String, String> s = new HashMap<>();
        s.put("gateway.delivery.deliver-timeout", "100ms");
        s.put("gateway.delivery.poll-interval", "50ms");
        s.put("gateway.delivery.retry-initial-delay", "20ms");
        s.put("gateway.delivery.retry-max-delay", "50ms");
        s.put("gateway.delivery.max-attempts", "1000");
        gw = TestGateway.startOn(dataDir, s);
        try (LogCapture log = LogCapture.on("io.wagateway.delivery.SinkCalls")) {
            ApiClient admin = gw.api().loginAdmin();
            List<GatewayEvent> published = new CopyOnWriteArrayList<>();
            gw.gateway().events().subscribe(published::add);
            String session = TestSessions.create(gw, admin, "deaf");
            assertEquals(202, admin.post("/api/sessions/" + session + "/start", Map.of()).status());
            assertTrue(log.awaitMessage(m -> m.contains("Sink 'deaf': 2 deliver calls have not returned"), PATIENCE),
                    "paused: " + log.messages() + " " + TestInbox.entries());
            long in = TestInbox.entries().stream().filter("deaf-in"::equals).count();
            assertTrue(in <= 2, "at most twice its concurrency (1) of calls in the sink: " + in);
            // Once its calls return, delivery goes on: every event, in order.
            System.setProperty("test.deaf.release", "yes");
            Await.until("every event delivered", PATIENCE, () -> published.size() >= 3 && admin.get(
                    "/api/deliveries?sink=deaf&status=PENDING").json().isEmpty(), TestInbox::entries);
        } finally {
            // Closed while released: a call made on the way down returns instead of spinning for good.
            System.setProperty("test.deaf.release", "yes");
            gw.close();
            gw = null;
            System.clearProperty("test.deaf.release");
        }
    }

    @Test
    void aRemovedSinkKeepsItsWaitingDeliveriesUntilItsJarIsBack() throws Exception {
        TestInbox.clear();
        Path plugins = Files.createDirectories(dataDir.resolve("plugins"));
        auditJar().writeTo(plugins, "audit.jar");
        gw = start();
        ApiClient admin = gw.api().loginAdmin();
        List<GatewayEvent> published = new CopyOnWriteArrayList<>();
        gw.gateway().events().subscribe(published::add);
        System.setProperty("test.audit.fail", "yes");
        String session = TestSessions.create(gw, admin, "removed");
        assertEquals(202, admin.post("/api/sessions/" + session + "/start", Map.of()).status());
        Await.until("first delivery failing", PATIENCE, () -> admin.get("/api/deliveries?sink=audit").json().size() >= 3
                && admin.get("/api/deliveries?sink=audit").body().contains("receiver down"), () -> "(see the API)");

        Files.delete(plugins.resolve("audit.jar"));
        Await.until("sink stopped", PATIENCE, () -> TestInbox.entries().contains("audit-stop"), TestInbox::entries);
        System.clearProperty("test.audit.fail");
        int waiting = admin.get("/api/deliveries?sink=audit&status=PENDING").json().size();
        assertTrue(waiting >= 3, "its deliveries wait: " + waiting);

        TestPluginJars.moveIn(plugins, "audit.jar", auditJar().bytes());
        Await.until("delivered once the jar is back", PATIENCE, () -> admin.get("/api/deliveries?sink=audit&status=PENDING")
                .json().isEmpty(), TestInbox::entries);
        List<String> ids = TestInbox.entries().stream().filter(e -> e.startsWith("audit:"))
                .map(e -> e.split(":")[1]).toList();
        assertEquals(published.stream().map(GatewayEvent::eventId).limit(waiting).toList(), ids.subList(0, waiting),
                "the waiting ones, in order");
    }
}
