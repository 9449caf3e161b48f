package io.wagateway.plugins.baileys;

import static io.wagateway.plugins.baileys.StubHarness.SID;
import static io.wagateway.plugins.baileys.StubHarness.line;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wagateway.api.MessageStatus;
import io.wagateway.api.OutgoingMessage;
import io.wagateway.api.PluginException;
import io.wagateway.api.RetriableException;
import io.wagateway.testkit.EngineFact;
import io.wagateway.testkit.EngineFact.Connected;
import io.wagateway.testkit.EngineFact.Qr;
import io.wagateway.testkit.EngineFact.Status;
import io.wagateway.testkit.InMemoryCredentialStore;
import io.wagateway.testkit.RecordingEngineContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The worker process's life: lazy start, crash and hang recovery, malformed output, its logs, Node.js checks. */
class WorkerSupervisionTest {

    private final StubHarness stub = new StubHarness();

    @AfterEach
    void close() {
        stub.close();
    }

    private RecordingEngineContext linked(String sessionId) {
        RecordingEngineContext ctx = stub.context(sessionId);
        BaileysCredentials.saveCreds((InMemoryCredentialStore) ctx.credentials(), BaileysSessionTest.LINKED_CREDS);
        stub.open(ctx).start();
        assertEquals(BaileysSessionTest.PHONE, ctx.next(Connected.class).phoneNumber());
        return ctx;
    }

    @Test
    void oneWorkerServesEverySessionAndEndsWithTheLast() throws Exception {
        assertNull(stub.supervisor.current(), "no worker before the first session");
        RecordingEngineContext a = linked(SID);
        Worker worker = stub.worker();
        RecordingEngineContext b = stub.context("user-1-siti-1752508259122");
        BaileysSession second = stub.open(b);
        second.start();
        b.next(Qr.class);
        assertEquals(worker.pid(), stub.worker().pid(), "the second session joined the running worker");

        second.stop();
        assertTrue(worker.alive(), "a session is still attached");
        BaileysSession neverStarted = new BaileysSession(a, stub.settings, stub.supervisor);
        neverStarted.stop(); // a session of the same id that never started must not stop the running one
        assertTrue(stub.startedWith(SID) != null, "the first session still runs in the worker");

        stub.sessionsOpened().get(0).stop();
        assertTrue(worker.process().onExit().get(5, TimeUnit.SECONDS).exitValue() >= 0, "ended with the last session");
        assertNull(stub.supervisor.current());
    }

    @Test
    void aCrashedWorkerIsRestartedAndItsSessionsResumeFromStoredCredentials() throws Exception {
        RecordingEngineContext a = linked(SID);
        RecordingEngineContext b = linked("user-1-siti-1752508259122");
        Worker crashed = stub.worker();
        // A send in flight when the worker dies fails instead of hanging.
        stub.stub("stub-config", "send", "silent");
        stub.sessionsOpened().get(0).send(new OutgoingMessage("m-in-flight", "+6289876543210", "halo"));

        stub.tell("stub-crash", "code", 7);
        assertEquals(7, crashed.process().onExit().get(5, TimeUnit.SECONDS).exitValue());
        Status failed = a.next(Status.class);
        assertEquals(MessageStatus.FAILED, failed.status());
        assertTrue(failed.error().contains("ended"), failed.error());

        StubHarness.await(() -> stub.supervisor.current() != null && stub.supervisor.current().pid() != crashed.pid(),
                "a restarted worker");
        StubHarness.await(() -> stub.startedWith(SID) != null && stub.startedWith("user-1-siti-1752508259122") != null,
                "both sessions resumed");
        assertEquals(BaileysSessionTest.LINKED_CREDS, stub.startedWith(SID).get("creds"), "resumed with the stored creds: no scan");
        // The resumed sockets open again with the same account: the host is not told twice.
        a.assertNoFactWithin(BaileysSessionTest.QUIET);
        b.assertNoFactWithin(Duration.ZERO);

        stub.stub("stub-config", "send", "ok");
        stub.sessionsOpened().get(1).send(new OutgoingMessage("m-after", "+6289876543210", "halo"));
        assertEquals(MessageStatus.SENT, b.next(Status.class).status());
    }

    @Test
    void aHungWorkerIsKilledAndRestarted() throws Exception {
        RecordingEngineContext a = linked(SID);
        Worker hung = stub.worker();
        stub.tell("stub-hang");

        // Pinged every 250 ms; 2 s without a pong is a hang.
        assertTrue(hung.process().onExit().get(10, TimeUnit.SECONDS) != null);
        StubHarness.await(() -> stub.supervisor.current() != null && stub.supervisor.current().pid() != hung.pid(),
                "a restarted worker");
        StubHarness.await(() -> stub.startedWith(SID) != null, "the session resumed");
        a.assertNoFactWithin(BaileysSessionTest.QUIET);
    }

    @Test
    void malformedLinesAreLoggedAndSkipped() {
        List<LogRecord> logged = capture(Worker.class.getName());
        RecordingEngineContext ctx = stub.context(SID);
        stub.open(ctx).start();
        ctx.next(Qr.class);

        stub.emit("this is not JSON", "[1,2,3]", "{\"v\":2,\"type\":\"qr\",\"sessionId\":\"" + SID + "\",\"qr\":\"future\"}",
                "{\"v\":1,\"sessionId\":\"" + SID + "\"}", "{\"v\":1,\"type\":\"qr\",", "",
                line("type", "qr", "sessionId", SID, "qr", "after-the-garbage", "attempt", 2, "expiresAt", 1L));
        assertEquals("after-the-garbage", ctx.next(Qr.class).code(), "every malformed line was skipped, the good one handled");
        long skipped = logged.stream().filter(r -> r.getMessage().contains("skipped a malformed line")).count();
        assertEquals(5, skipped, "five malformed lines logged (the empty one is ignored)");
    }

    @Test
    void aMalformedLineIsLoggedByItsLengthNeverItsText() {
        List<LogRecord> logged = capture(Worker.class.getName());
        RecordingEngineContext ctx = stub.context(SID);
        stub.open(ctx).start();
        ctx.next(Qr.class);

        // What libsignal's console.info("Closing session:", session) wrote to stdout, line by line.
        String privKey = "      privKey: <Buffer 60 28 ef 4b 1c 93 a7 d2 0e 55 c1 8f 3a 9b 6d 27 e4 10 b8 7c 42 f9 d6 13 8a 5e 21 c7 94 0b 3f 68>";
        String rootKey = "{\"rootKey\":\"YCjvSxyTp9IOVcGPOptnJ+QQuHxC+dYTil4hx5QLP2g=\"}"; // JSON, but no protocol line
        String versioned = "{\"v\":\"YCjvSxyTp9IOVcGPOptnJ+QQuHxC+dYTil4hx5QLP2g=\",\"type\":\"x\"}"; // its version names no secret either
        stub.emit(privKey, rootKey, versioned, line("type", "qr", "sessionId", SID, "qr", "after-the-keys", "attempt", 2, "expiresAt", 1L));
        assertEquals("after-the-keys", ctx.next(Qr.class).code());

        List<String> messages = logged.stream().map(LogRecord::getMessage).filter(m -> m.contains("skipped a malformed line")).toList();
        assertEquals(3, messages.size(), messages.toString());
        for (String m : messages) {
            assertFalse(m.contains("60 28 ef") || m.contains("privKey") || m.contains("rootKey") || m.contains("YCjvSxyT"),
                    "the line's text is not logged: " + m);
        }
        assertTrue(messages.get(0).contains(privKey.length() + " characters"), messages.get(0));
        assertTrue(messages.get(1).contains(rootKey.length() + " characters"), messages.get(1));
    }

    @Test
    void workerStderrAndLogEventsGoToJavaLoggingWithTheSessionId() {
        BlockingQueue<LogRecord> logged = new LinkedBlockingQueue<>();
        Handler handler = handler(logged::add);
        Logger logger = Worker.WORKER_LOG;
        logger.addHandler(handler);
        try {
            RecordingEngineContext ctx = stub.context(SID);
            stub.open(ctx).start();
            ctx.next(Qr.class);
            stub.tell("stub-stderr", "line", "[" + SID + "] socket trouble");
            stub.emit(line("type", "log", "sessionId", SID, "level", "error", "msg", "decrypt failed"));

            List<String> messages = drain(logged, 2);
            assertTrue(messages.stream().anyMatch(m -> m.contains("session " + SID) && m.contains("socket trouble")), messages.toString());
            assertTrue(messages.stream().anyMatch(m -> m.contains("session " + SID) && m.contains("decrypt failed")), messages.toString());
        } finally {
            logger.removeHandler(handler);
        }
    }

    @Test
    void theWorkerExitsWhenItsStdinCloses() throws Exception {
        linked(SID);
        Worker worker = stub.worker();
        worker.process().getOutputStream().close(); // what the OS does when the JVM dies, even by kill -9
        assertEquals(0, worker.process().onExit().get(5, TimeUnit.SECONDS).exitValue());
    }

    @Test
    void aMissingNodeIsAFatalErrorSayingWhatToInstall() {
        WorkerSupervisor supervisor = new WorkerSupervisor(
                new WorkerLauncher("/nonexistent/bin/node", () -> StubHarness.STUB, Duration.ofSeconds(5)), stub.settings);
        try {
            BaileysSession session = new BaileysSession(stub.context(SID), stub.settings, supervisor);
            PluginException e = assertThrows(PluginException.class, session::start);
            assertFalse(e instanceof RetriableException, "retrying cannot help");
            assertTrue(e.getMessage().contains("Node.js >= 20 is needed by the baileys engine"), e.getMessage());
            assertTrue(e.getMessage().contains("/nonexistent/bin/node"), e.getMessage());
            assertNull(supervisor.current());
        } finally {
            supervisor.close();
        }
    }

    @Test
    void anOldNodeIsAFatalErrorSayingWhatToInstall(@TempDir Path dir) throws IOException {
        Path fakeNode = dir.resolve("node");
        Files.writeString(fakeNode, "#!/bin/sh\necho v18.19.1\n");
        Files.setPosixFilePermissions(fakeNode, PosixFilePermissions.fromString("rwx------"));
        WorkerSupervisor supervisor = new WorkerSupervisor(
                new WorkerLauncher(fakeNode.toString(), () -> StubHarness.STUB, Duration.ofSeconds(5)), stub.settings);
        try {
            BaileysSession session = new BaileysSession(stub.context(SID), stub.settings, supervisor);
            PluginException e = assertThrows(PluginException.class, session::start);
            assertFalse(e instanceof RetriableException);
            assertTrue(e.getMessage().contains("is 18.19.1"), e.getMessage());
            assertTrue(e.getMessage().contains("Node.js >= 20 is needed by the baileys engine"), e.getMessage());
        } finally {
            supervisor.close();
        }
    }

    @Test
    void nodeVersionsAreChecked() {
        assertEquals("20.20.2", NodeRuntime.requireSupported("node", "v20.20.2\n"));
        assertEquals("25.0.0", NodeRuntime.requireSupported("node", "v25.0.0"));
        assertThrows(PluginException.class, () -> NodeRuntime.requireSupported("node", "v19.9.0"));
        assertThrows(PluginException.class, () -> NodeRuntime.requireSupported("node", "command not found"));
        assertThrows(PluginException.class, () -> NodeRuntime.requireSupported("node", ""));
    }

    @Test
    void aWorkerThatNeverSaysReadyIsRetriable(@TempDir Path dir) throws IOException {
        Path silent = dir.resolve("silent.mjs");
        Files.writeString(silent, "process.stdin.resume();\n"); // reads, never answers
        WorkerSupervisor supervisor = new WorkerSupervisor(
                new WorkerLauncher(StubHarness.NODE, () -> silent, Duration.ofMillis(700)), stub.settings);
        try {
            BaileysSession session = new BaileysSession(stub.context(SID), stub.settings, supervisor);
            RetriableException e = assertThrows(RetriableException.class, session::start);
            assertTrue(e.getMessage().contains("not ready within 700 ms"), e.getMessage());
        } finally {
            supervisor.close();
        }
    }

    @Test
    void currentAndDetachAnswerAtOnceWhileAWorkerIsBeingLaunched(@TempDir Path dir) throws Exception {
        Path slow = dir.resolve("slow.mjs");
        Files.writeString(slow, "process.stdin.resume();\n"); // never says ready: the launch waits for it
        WorkerSupervisor supervisor = new WorkerSupervisor(
                new WorkerLauncher(StubHarness.NODE, () -> slow, Duration.ofSeconds(20)), stub.settings);
        try {
            BaileysSession waiting = stub.open(stub.context(SID));
            java.util.concurrent.CompletableFuture<Worker> attached = java.util.concurrent.CompletableFuture.supplyAsync(
                    () -> supervisor.attach(SID, waiting, CallDeadline.none()), r -> Thread.ofPlatform().start(r));
            StubHarness.await(() -> launched(slow) != null, "the worker process, not ready yet");
            // A send or a stop asks for the worker now, and a stop detaches: neither may wait out the launch (20 s here).
            org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(2), () -> {
                assertNull(supervisor.current(), "no worker runs yet");
                supervisor.detach(SID, waiting);
            });
            launched(slow).destroyForcibly(); // ends the launch: it fails, retriably
            java.util.concurrent.ExecutionException e = assertThrows(java.util.concurrent.ExecutionException.class,
                    () -> attached.get(10, TimeUnit.SECONDS));
            assertInstanceOf(RetriableException.class, e.getCause());
        } finally {
            supervisor.close();
        }
    }

    private static ProcessHandle launched(Path script) {
        return ProcessHandle.current().children()
                .filter(p -> p.isAlive() && p.info().commandLine().orElse("").contains(script.toString())).findFirst().orElse(null);
    }

    @Test
    void aWorkerThatStopsReadingItsStdinBlocksNoCallerAndIsKilled(@TempDir Path dir) throws Exception {
        // Says ready, then never reads stdin: the pipe fills, as with a blocked event loop.
        Path deaf = dir.resolve("deaf.mjs");
        Files.writeString(deaf, "process.stdout.write(JSON.stringify({v:1,type:'ready'})+'\\n'); setInterval(() => {}, 1000);\n");
        WorkerSupervisor supervisor = new WorkerSupervisor(
                new WorkerLauncher(StubHarness.NODE, () -> deaf, Duration.ofSeconds(20)), stub.settings);
        try {
            InMemoryCredentialStore store = new InMemoryCredentialStore();
            BaileysCredentials.saveCreds(store, "{\"big\":\"" + "x".repeat(2_000_000) + "\"}"); // far more than a pipe holds
            RecordingEngineContext ctx = new RecordingEngineContext(SID, io.wagateway.api.PluginConfig.of(java.util.Map.of()), store);
            BaileysSession session = new BaileysSession(ctx, stub.settings, supervisor);
            org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(15), () -> {
                RetriableException e = assertThrows(RetriableException.class, session::start);
                // Whichever comes first: the call's deadline, or the hang detection (pings unanswered) killing it.
                assertTrue(e.getMessage().contains("did not answer 'start' within") || e.getMessage().contains("exit code 137"),
                        e.getMessage());
                session.stop();
            });
            ProcessHandle deafWorker = ProcessHandle.current().children()
                    .filter(p -> p.info().commandLine().orElse("").contains(deaf.toString())).findFirst().orElse(null);
            if (deafWorker != null) {
                // Ended with its last session: stdin closed, not read, so killed after the grace period.
                deafWorker.onExit().get(WorkerSupervisor.EXIT_GRACE.toSeconds() + 10, TimeUnit.SECONDS);
            }
        } finally {
            org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(15), supervisor::close);
        }
    }

    @Test
    void aWorkerThatKeepsCrashingIsGivenUpAndItsSessionsFail(@TempDir Path dir) throws IOException {
        // Takes every session, then dies 150 ms later: after each restart too.
        Path crashy = dir.resolve("crashy.mjs");
        Files.writeString(crashy, """
                import { createInterface } from 'node:readline';
                const emit = (e) => process.stdout.write(JSON.stringify({ v: 1, ...e }) + '\\n');
                createInterface({ input: process.stdin }).on('line', (l) => {
                  const c = JSON.parse(l);
                  if (c.type === 'ping') emit({ type: 'pong', reqId: c.reqId });
                  else if (c.reqId !== undefined) emit({ type: 'reply', reqId: c.reqId, ok: true });
                  if (c.type === 'start') setTimeout(() => process.exit(9), 150);
                });
                emit({ type: 'ready' });
                """);
        BaileysSettings settings = new BaileysSettings(StubHarness.NODE, dir, Duration.ofSeconds(2), Duration.ofSeconds(20),
                Duration.ofMillis(250), Duration.ofSeconds(2), Duration.ofMillis(300));
        WorkerSupervisor supervisor = new WorkerSupervisor(new WorkerLauncher(StubHarness.NODE, () -> crashy,
                settings.startTimeout()), settings);
        try {
            RecordingEngineContext ctx = stub.context(SID);
            BaileysSession session = new BaileysSession(ctx, settings, supervisor);
            session.start();
            // Six short lives and five backoffs: longer than one usual wait on a busy machine.
            EngineFact.Failed failed = assertInstanceOf(EngineFact.Failed.class, ctx.next(Duration.ofSeconds(40)));
            assertTrue(failed.message().contains("crashed " + (WorkerSupervisor.MAX_QUICK_CRASHES + 1) + " times in a row"),
                    failed.message());
            assertNull(supervisor.current(), "not restarted again");
            session.stop();
        } finally {
            supervisor.close();
        }
    }

    @Test
    void restartBackoffDoublesUpToItsCap() {
        assertEquals(Duration.ofMillis(250), stub.supervisor.backoff(1));
        assertEquals(Duration.ofMillis(500), stub.supervisor.backoff(2));
        assertEquals(Duration.ofMillis(1000), stub.supervisor.backoff(3));
        assertEquals(Duration.ofSeconds(1), stub.supervisor.backoff(30), "capped at restart-max-delay");
    }

    private static List<LogRecord> capture(String loggerName) {
        List<LogRecord> records = new java.util.concurrent.CopyOnWriteArrayList<>();
        Logger.getLogger(loggerName).addHandler(handler(records::add));
        return records;
    }

    private static Handler handler(java.util.function.Consumer<LogRecord> sink) {
        return new Handler() {
            @Override
            public void publish(LogRecord record) {
                sink.accept(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
    }

    private static List<String> drain(BlockingQueue<LogRecord> queue, int atLeast) {
        List<String> messages = new java.util.ArrayList<>();
        try {
            while (messages.size() < atLeast) {
                LogRecord r = queue.poll(10, TimeUnit.SECONDS);
                assertInstanceOf(LogRecord.class, r, "expected " + atLeast + " log records, got " + messages);
                messages.add(r.getMessage());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        return messages;
    }

}
