package io.wagateway.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wagateway.api.GatewayEvent;
import io.wagateway.testing.ApiClient;
import io.wagateway.testing.Await;
import io.wagateway.testing.EventRecorder;
import io.wagateway.testing.TestDatabases;
import io.wagateway.testing.TestGateway;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The baileys plugin jar as the build made it (its worker and real Baileys 7 inside), loaded by an
 * in-process gateway like any dropped-in jar, driven through REST and {@code SessionService} on a
 * machine that reaches no WhatsApp server: the session goes {@code CONNECTING}, its connection is
 * lost and reconnected with the host's backoff until {@code gateway.sessions.reconnect-max-attempts}
 * is used up, then it is {@code ERROR(CONNECTION_LOST)} — no hang, no crash, and once the gateway
 * has stopped, no worker process left.
 */
class BaileysRealWorkerTest {

    private static final String NODE = System.getProperty("gateway.test.node", "node");

    @Test
    void withoutNetworkTheSessionReconnectsUntilTheLimitThenIsAnErrorAndNoWorkerOutlivesTheGateway() throws Exception {
        Path baileysJar = TestGateway.builtPluginJar("baileys");
        assumeNode20();
        Path dataDir = TestDatabases.tempDir();
        Path workDir = dataDir.resolve("baileys-work");
        Files.createDirectories(dataDir.resolve("plugins"));
        Files.copy(baileysJar, dataDir.resolve("plugins").resolve(baileysJar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        WorkerWatch workers = new WorkerWatch(workDir.toString());
        try {
            TestGateway gw = TestGateway.startOn(dataDir, Map.of(
                    "gateway.sessions.reconnect-max-attempts", "2",
                    "gateway.engines.baileys.node", node(dataDir),
                    "gateway.engines.baileys.work-dir", workDir.toString()));
            try (EventRecorder events = new EventRecorder(gw.gateway().events())) {
                ApiClient admin = gw.api().loginAdmin();
                String id = admin.post("/api/sessions", Map.of("name", "real phone", "engine", "baileys"))
                        .json().get("sessionId").asText();
                assertEquals(202, admin.post("/api/sessions/" + id + "/start", null).status());

                // Each connection Baileys opens is closed at once (no DNS, no route): lost, reconnected
                // after the backoff, twice, then the third loss is an error. A hang fails the await.
                assertEquals(List.of("CONNECTING", "DISCONNECTED/CONNECTION_LOST", "CONNECTING", "DISCONNECTED/CONNECTION_LOST",
                        "CONNECTING", "ERROR/CONNECTION_LOST"), events.statuses(id, 6));
                List<GatewayEvent> later = events.drain(Duration.ofMillis(1500)).stream()
                        .filter(e -> e.sessionId().equals(id)).toList();
                assertEquals(List.of(), later, "once in ERROR the session is not reconnected");
                var stored = admin.get("/api/sessions/" + id).json();
                assertEquals("ERROR", stored.get("status").asText());
                assertEquals("CONNECTION_LOST", stored.get("reason").asText());
                assertTrue(workers.seen().size() >= 1, "the worker ran under the work directory: " + workers.seen());
                assertEquals(200, gw.api().get("/observe/health").status(), "the gateway is well");

                // Once more, and the gateway stops while the session is in the middle of it.
                int before = workers.seen().size();
                assertEquals(202, admin.post("/api/sessions/" + id + "/start", null).status());
                Await.until("a worker for the second start", () -> workers.seen().size() > before, workers::seen);
            } finally {
                gw.close();
            }
            Set<Long> seen = workers.stop();
            Await.until("no worker left after the gateway stopped", Duration.ofSeconds(10),
                    () -> workers.running().isEmpty() && seen.stream().noneMatch(WorkerWatch::alive),
                    () -> "running " + workers.running() + ", seen " + seen);
        } finally {
            workers.stop();
            workers.running().forEach(p -> p.destroyForcibly());
            TestGateway.deleteTree(dataDir);
        }
    }

    /**
     * The Node.js binary for the engine. Where WhatsApp's name resolves (a machine with network), a
     * wrapper that points Baileys at a closed local port instead (the worker's diagnostics variable
     * {@code WAGW_BAILEYS_WS_URL}), so the connection is lost the same way and no real server is asked.
     */
    private static String node(Path dataDir) throws IOException {
        try {
            InetAddress.getByName("web.whatsapp.com");
        } catch (UnknownHostException e) {
            return NODE; // this machine: no network, the real thing
        }
        Path wrapper = dataDir.resolve("node-offline.sh");
        Files.writeString(wrapper, "#!/bin/sh\nWAGW_BAILEYS_WS_URL=ws://127.0.0.1:" + TestGateway.freePort()
                + "/ws exec '" + NODE + "' \"$@\"\n");
        Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwx------"));
        return wrapper.toString();
    }

    /** As the plugin's own real-worker tests: Baileys 7 needs Node.js 20 (Debian 12's own nodejs is 18). */
    private static void assumeNode20() throws Exception {
        Process p = new ProcessBuilder(NODE, "--version").redirectErrorStream(true).start();
        String version = new String(p.getInputStream().readAllBytes()).strip();
        assertTrue(p.waitFor(20, TimeUnit.SECONDS), "node --version answers");
        Assumptions.assumeTrue(version.matches("v([2-9][0-9]|[1-9][0-9]{2,})\\..*"),
                "the real worker needs Node.js 20+, found " + version);
    }

    /**
     * Watches this JVM's descendants for worker processes — Node.js running the script unpacked
     * under the test's own work directory — from a thread that looks every 10 ms (a process start
     * has no event to wait on), keeping every pid it saw.
     */
    private static final class WorkerWatch {
        private final String marker;
        private final Set<Long> seen = ConcurrentHashMap.newKeySet();
        private final Thread thread;
        private volatile boolean stopped;

        WorkerWatch(String marker) {
            this.marker = marker;
            this.thread = Thread.ofPlatform().daemon().name("worker-watch").start(() -> {
                while (!stopped) {
                    running().forEach(p -> seen.add(p.pid()));
                    try {
                        Thread.sleep(10);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
        }

        List<ProcessHandle> running() {
            return ProcessHandle.current().descendants()
                    .filter(p -> p.isAlive() && p.info().commandLine().map(c -> c.contains(marker)).orElse(false))
                    .collect(Collectors.toList());
        }

        Set<Long> seen() {
            return Set.copyOf(seen);
        }

        Set<Long> stop() throws InterruptedException {
            stopped = true;
            thread.join(5000);
            return seen();
        }

        static boolean alive(long pid) {
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        }
    }
}
