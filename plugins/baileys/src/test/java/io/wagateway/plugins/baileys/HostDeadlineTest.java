package io.wagateway.plugins.baileys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wagateway.api.ActionException;
import io.wagateway.api.ActionException.Kind;
import io.wagateway.api.RetriableException;
import io.wagateway.testkit.EngineFact.Qr;
import io.wagateway.testkit.RecordingEngineContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The host's deadline for each call ({@code EngineContext.callTimeout()}) is shorter than the
 * plugin's own {@code call-timeout} (15 s here, its default) and {@code start-timeout} (20 s): a
 * call the worker leaves waiting still answers by itself before the host's deadline, where before
 * the host gave up first and failed the session. {@link #quickly} stands in for the host.
 */
class HostDeadlineTest {

    private static final String SID = StubHarness.SID;
    private static final String PHONE = "+6281234567890";

    private final StubHarness stub = new StubHarness(Duration.ofSeconds(15));

    @AfterEach
    void close() {
        stub.close();
    }

    /** Runs a call as the host would: failed when it does not return within the host's deadline. */
    private static <T> T quickly(Duration hostDeadline, String what, org.junit.jupiter.api.function.ThrowingSupplier<T> call) {
        return assertTimeoutPreemptively(hostDeadline, call, what + " must answer within the host's deadline " + hostDeadline);
    }

    @Test
    void aPairTheWorkerLeavesWaitingIsRefusedBeforeTheHostsDeadline() {
        stub.open(stub.context("warm-up")).start(); // the worker runs: the start below is no launch
        Duration host = Duration.ofSeconds(2);
        RecordingEngineContext ctx = stub.context(SID, host);
        BaileysSession session = stub.open(ctx);
        session.start();
        ctx.next(Qr.class);
        stub.stub("stub-config", "pair", "silent");

        ActionException refused = quickly(host, "pair", () -> assertThrows(ActionException.class,
                () -> session.action("pair", Map.of("phoneNumber", PHONE))));
        assertEquals(Kind.NOT_ALLOWED_NOW, refused.kind(), "answered 409, the session left linking");
        assertTrue(refused.getMessage().contains("Could not get a pairing code") && refused.getMessage().contains("did not answer"),
                refused.getMessage());

        // The session is still linking: a pair the worker answers now gets its code.
        stub.stub("stub-config", "pair", "ok");
        assertEquals(Map.of("code", "STUB1234"), quickly(host, "pair", () -> session.action("pair", Map.of("phoneNumber", PHONE))));
    }

    @Test
    void aStopTheWorkerNeverAnswersReturnsBeforeTheHostsDeadline() {
        // Long enough for the start; shorter than the 2 s after which the hang detection kills the worker.
        Duration host = Duration.ofMillis(1500);
        stub.open(stub.context("warm-up")).start();
        RecordingEngineContext ctx = stub.context(SID, host);
        BaileysSession session = stub.open(ctx);
        session.start();
        ctx.next(Qr.class);
        stub.tell("stub-hang");

        quickly(host, "stop", () -> {
            session.stop();
            return null;
        });
    }

    @Test
    void aColdStartWhoseWorkerIsNotReadyGivesUpBeforeTheHostsDeadline(@TempDir Path dir) throws IOException {
        Path silent = dir.resolve("silent.mjs");
        Files.writeString(silent, "process.stdin.resume();\n"); // reads, never says ready
        WorkerSupervisor supervisor = new WorkerSupervisor(
                new WorkerLauncher(StubHarness.NODE, () -> silent, stub.settings.startTimeout()), stub.settings);
        try {
            Duration host = Duration.ofSeconds(2);
            BaileysSession session = new BaileysSession(stub.context(SID, host), stub.settings, supervisor);
            RetriableException e = quickly(host, "start", () -> assertThrows(RetriableException.class, session::start));
            assertTrue(e.getMessage().contains("not ready within"), e.getMessage());
            assertNull(supervisor.current(), "no worker half started");
        } finally {
            supervisor.close();
        }
    }

    @Test
    void theMarginIsAFifthOfTheHostsDeadlineAndAtMostTwoSeconds() {
        assertEquals(Duration.ofMillis(300), CallDeadline.margin(Duration.ofMillis(1500)));
        assertEquals(Duration.ofSeconds(2), CallDeadline.margin(Duration.ofSeconds(10)));
        assertEquals(Duration.ofSeconds(2), CallDeadline.margin(Duration.ofMinutes(1)));
        // What a call may wait: its own setting, or what is left of the host's deadline if shorter.
        assertTrue(CallDeadline.forHostCall(Duration.ofSeconds(10)).cap(Duration.ofSeconds(15)).compareTo(Duration.ofSeconds(8)) <= 0);
        assertEquals(Duration.ofSeconds(3), CallDeadline.forHostCall(Duration.ofSeconds(10)).cap(Duration.ofSeconds(3)));
        assertEquals(Duration.ofSeconds(15), CallDeadline.none().cap(Duration.ofSeconds(15)));
    }
}
