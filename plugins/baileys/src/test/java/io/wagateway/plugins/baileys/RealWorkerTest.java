package io.wagateway.plugins.baileys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wagateway.api.StatusReason;
import io.wagateway.testkit.EngineFact;
import io.wagateway.testkit.EngineFact.Disconnected;
import io.wagateway.testkit.EngineFact.Qr;
import io.wagateway.testkit.InMemoryCredentialStore;
import io.wagateway.testkit.RecordingEngineContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real bundled worker, with real Baileys 7, unpacked from the build's resources like from the
 * plugin jar. The build machines reach no WhatsApp server: Baileys reports {@code connecting}, then
 * closes with 408 ({@code getaddrinfo ENOTFOUND}), which the session reports as
 * {@link StatusReason#CONNECTION_LOST} for the host to retry. Nothing may hang, and no worker
 * process may be left once the session stopped.
 */
class RealWorkerTest {

    @Test
    void unpacksOwnerOnlyKeyedByContentAndReusesTheFile(@TempDir Path dir) throws Exception {
        Path work = dir.resolve("work");
        Path script = WorkerBundle.unpack(work);
        assertTrue(Files.size(script) > 1_000_000, "the bundle holds Baileys and its dependencies");
        assertTrue(script.getParent().getFileName().toString().matches("worker-[0-9a-f]{16}"), script.toString());
        assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE),
                Files.getPosixFilePermissions(work));
        assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE),
                Files.getPosixFilePermissions(script.getParent()));
        assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE), Files.getPosixFilePermissions(script));
        var modified = Files.getLastModifiedTime(script);
        assertEquals(script, WorkerBundle.unpack(work));
        assertEquals(modified, Files.getLastModifiedTime(script), "an unchanged bundle is not written again");

        Path other = WorkerBundle.unpack(work, "console.log('another version')".getBytes());
        assertFalse(other.getParent().equals(script.getParent()), "another content, another directory");
        Files.writeString(script, "tampered");
        assertEquals(script, WorkerBundle.unpack(work));
        assertTrue(Files.size(script) > 1_000_000, "a changed file is unpacked again");
    }

    @org.junit.jupiter.api.BeforeEach
    void needsNode20() {
        StubHarness.assumeNodeRunsBaileys();
    }

    @Test
    void withoutNetworkTheSessionConnectsThenReportsConnectionLostAndLeavesNoProcess(@TempDir Path dir) throws Exception {
        BaileysSettings settings = new BaileysSettings(StubHarness.NODE, dir, Duration.ofSeconds(15), Duration.ofSeconds(30),
                Duration.ofSeconds(2), Duration.ofSeconds(10), Duration.ofSeconds(5));
        WorkerSupervisor supervisor = new WorkerSupervisor(WorkerLauncher.bundled(settings), settings);
        try {
            // What the worker says, as a session sees it before any mapping.
            BlockingQueue<Map<String, Object>> events = new LinkedBlockingQueue<>();
            WorkerSupervisor.Client raw = new WorkerSupervisor.Client() {
                @Override
                public void onEvent(Map<String, Object> event) {
                    events.add(event);
                }

                @Override
                public void onWorkerRestarted(Worker worker) {
                }

                @Override
                public void onWorkerUnavailable(io.wagateway.api.PluginException failure) {
                }
            };
            Worker worker = supervisor.attach("probe", raw, CallDeadline.none());
            Map<String, Object> start = new LinkedHashMap<>();
            start.put("type", "start");
            start.put("sessionId", "probe");
            worker.callAndWait(start, settings.callTimeout());
            Map<String, Object> first = events.poll(30, TimeUnit.SECONDS);
            assertEquals("connection", first.get("type"), String.valueOf(first));
            assertEquals("connecting", first.get("state"));
            Map<String, Object> next = events.poll(60, TimeUnit.SECONDS);
            if ("qr".equals(next.get("type"))) {
                // This machine reaches WhatsApp after all: a real QR code, passed on untouched.
                assertTrue(((String) next.get("qr")).startsWith("2@"), String.valueOf(next));
            } else {
                assertEquals("close", next.get("state"), String.valueOf(next));
                assertEquals(408L, next.get("statusCode"));
                assertEquals("CONNECTION_LOST", next.get("reason"));
            }

            // The same through a session and its context.
            RecordingEngineContext ctx = new RecordingEngineContext("user-1-real-1752508259123",
                    io.wagateway.api.PluginConfig.of(Map.of()), new InMemoryCredentialStore());
            BaileysSession session = new BaileysSession(ctx, settings, supervisor);
            session.start();
            long pid = supervisor.current().pid();
            EngineFact fact = ctx.next();
            if (fact instanceof Qr qr) {
                assertEquals(1, qr.attempt());
            } else {
                assertEquals(StatusReason.CONNECTION_LOST, ((Disconnected) fact).reason());
            }
            supervisor.detach("probe", raw);
            session.stop();

            ProcessHandle process = ProcessHandle.of(pid).orElse(null);
            if (process != null) {
                process.onExit().get(10, TimeUnit.SECONDS);
            }
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "worker " + pid + " is gone after stop");
        } finally {
            supervisor.close();
        }
    }

    /**
     * libsignal prints a whole Signal session, private, root and chain keys included, with
     * {@code console.info} whenever a contact re-keys. Here a preload (node --import) makes the
     * bundled libsignal's twin close a session once the real worker is ready: nothing of what it
     * printed may reach the gateway's log, neither as a stdout line nor through stderr, and the
     * worker's stdout carries protocol lines only.
     */
    @Test
    void whatALibraryPrintsOnTheConsoleNeverReachesTheLog(@TempDir Path dir) throws Exception {
        Path libsignal = StubHarness.STUB.getParent().resolve("../../main/node/node_modules/libsignal").normalize();
        assertTrue(Files.isDirectory(libsignal), "the build installed the worker's dependencies: " + libsignal);
        Path preload = StubHarness.STUB.resolveSibling("closing-session-preload.mjs");
        Path node = dir.resolve("node-with-preload");
        Files.writeString(node, "#!/bin/sh\nWAGW_BAILEYS_TEST_LIBSIGNAL='" + libsignal + "' exec '" + StubHarness.NODE
                + "' --import '" + preload + "' \"$@\"\n");
        Files.setPosixFilePermissions(node, Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
                PosixFilePermission.OWNER_EXECUTE));
        BaileysSettings settings = new BaileysSettings(node.toString(), dir.resolve("work"), Duration.ofSeconds(15),
                Duration.ofSeconds(30), Duration.ofSeconds(2), Duration.ofSeconds(10), Duration.ofSeconds(5));

        // Both the plugin's logger and the worker's (its stderr, its log events) are below this one.
        java.util.logging.Logger plugin = java.util.logging.Logger.getLogger("io.wagateway.plugins.baileys");
        List<String> logged = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Handler handler = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord record) {
                logged.add(record.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        plugin.addHandler(handler);
        WorkerSupervisor supervisor = new WorkerSupervisor(WorkerLauncher.bundled(settings), settings);
        try {
            supervisor.attach("probe", new WorkerSupervisor.Client() {
                @Override
                public void onEvent(Map<String, Object> event) {
                }

                @Override
                public void onWorkerRestarted(Worker worker) {
                }

                @Override
                public void onWorkerUnavailable(io.wagateway.api.PluginException failure) {
                }
            }, CallDeadline.none());
            StubHarness.await(() -> logged.stream().anyMatch(m -> m.contains("preload: a session was closed")),
                    "the preload closed a session");
            // stderr has a reader thread of its own: give the notice a moment to arrive.
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (System.nanoTime() < until && logged.stream().noneMatch(m -> m.contains("console output of a library suppressed"))) {
                Thread.sleep(50);
            }

            List<String> leaked = logged.stream()
                    .filter(m -> m.contains("a5 5a") || m.contains("Key") || m.contains("Closing session") || m.contains("SessionEntry"))
                    .toList();
            assertEquals(List.of(), leaked, "what libsignal printed reached the gateway's log");
            assertEquals(List.of(), logged.stream().filter(m -> m.contains("skipped a malformed line")).toList(),
                    "the worker's stdout carries protocol lines only");
            assertTrue(logged.stream().anyMatch(m -> m.contains("(stderr): console output of a library suppressed: 1 write, ")),
                    "the worker says that it suppressed console output, and how much: " + logged);
        } finally {
            plugin.removeHandler(handler);
            supervisor.close();
        }
    }

    @Test
    void theWorkerDiesWithTheJvmEvenAfterKill9(@TempDir Path dir) throws Exception {
        String javaBin = ProcessHandle.current().info().command().orElse("java");
        Process jvm = new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"),
                "-Dbaileys.test.node=" + StubHarness.NODE, OrphanProbe.class.getName(), dir.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        long workerPid;
        try (var out = new java.io.BufferedReader(new java.io.InputStreamReader(jvm.getInputStream(),
                java.nio.charset.StandardCharsets.UTF_8))) {
            String line = out.readLine();
            assertTrue(line != null && line.startsWith("worker-pid "), "the probe JVM started a worker: " + line);
            workerPid = Long.parseLong(line.substring("worker-pid ".length()).strip());
            ProcessHandle worker = ProcessHandle.of(workerPid).orElseThrow();
            assertTrue(worker.isAlive());

            jvm.destroyForcibly(); // SIGKILL: no shutdown hook, no cleanup in the JVM
            jvm.onExit().get(10, TimeUnit.SECONDS);
            worker.onExit().get(10, TimeUnit.SECONDS);
        } finally {
            jvm.destroyForcibly();
        }
        assertFalse(ProcessHandle.of(workerPid).map(ProcessHandle::isAlive).orElse(false),
                "the worker " + workerPid + " saw its stdin close and exited");
    }

    @Test
    void unreadableStoredCredentialsAreFatalNotRetried(@TempDir Path dir) {
        BaileysSettings settings = new BaileysSettings(StubHarness.NODE, dir, Duration.ofSeconds(15), Duration.ofSeconds(30),
                Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(5));
        WorkerSupervisor supervisor = new WorkerSupervisor(WorkerLauncher.bundled(settings), settings);
        try {
            InMemoryCredentialStore store = new InMemoryCredentialStore();
            BaileysCredentials.saveCreds(store, "{\"noiseKey\": broken");
            RecordingEngineContext ctx = new RecordingEngineContext("user-1-broken-1752508259124",
                    io.wagateway.api.PluginConfig.of(Map.of()), store);
            BaileysSession session = new BaileysSession(ctx, settings, supervisor);
            io.wagateway.api.PluginException e = org.junit.jupiter.api.Assertions.assertThrows(
                    io.wagateway.api.PluginException.class, session::start);
            assertFalse(e instanceof io.wagateway.api.RetriableException, "retrying the same credentials cannot help");
            assertTrue(e.getMessage().contains("stored credentials are unreadable"), e.getMessage());
            session.stop();
        } finally {
            supervisor.close();
        }
    }
}
