package io.wagateway.plugins.baileys;

import static org.junit.jupiter.api.Assertions.fail;

import io.wagateway.api.PluginConfig;
import io.wagateway.testkit.InMemoryCredentialStore;
import io.wagateway.testkit.RecordingEngineContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Runs baileys sessions against the stub worker ({@code src/test/node/stub-worker.mjs}), a Node
 * script that speaks the worker protocol and is scripted by the test through {@code stub-*}
 * commands. Short timeouts, so hangs and deadlines show within a test.
 */
final class StubHarness implements AutoCloseable {

    static final String NODE = System.getProperty("baileys.test.node", "node");
    static final Path STUB = Path.of(System.getProperty("baileys.test.stub", "src/test/node/stub-worker.mjs")).toAbsolutePath();
    static final Path WORK_DIR = Path.of(System.getProperty("baileys.test.dir", "target/test-work")).toAbsolutePath();

    final BaileysSettings settings;
    final WorkerSupervisor supervisor;
    /** The session every test uses first. */
    static final String SID = "user-1-budi-1752508259121";

    /** The store of session {@link #SID}; every other session gets a store of its own. */
    final InMemoryCredentialStore store = new InMemoryCredentialStore();
    private final Map<String, InMemoryCredentialStore> stores = new java.util.concurrent.ConcurrentHashMap<>(Map.of(SID, store));
    private final List<BaileysSession> sessions = new ArrayList<>();

    StubHarness() {
        this(Duration.ofSeconds(2));
    }

    StubHarness(Duration callTimeout) {
        // Pings often, so a hang shows within a test; a generous pong deadline, so a busy machine is no hang.
        settings = new BaileysSettings(NODE, WORK_DIR, callTimeout, Duration.ofSeconds(20), Duration.ofMillis(250),
                Duration.ofMillis(2000), Duration.ofSeconds(1));
        supervisor = new WorkerSupervisor(new WorkerLauncher(NODE, () -> STUB, settings.startTimeout()), settings);
    }

    /** A context for a session of this harness's store. */
    RecordingEngineContext context(String sessionId) {
        return context(sessionId, RecordingEngineContext.DEFAULT_CALL_TIMEOUT);
    }

    /** A context for a session of this harness's store, from a host whose calls have this deadline. */
    RecordingEngineContext context(String sessionId, Duration hostCallTimeout) {
        return new RecordingEngineContext(sessionId, PluginConfig.of(Map.of()),
                stores.computeIfAbsent(sessionId, id -> new InMemoryCredentialStore()), hostCallTimeout);
    }

    /** Opens (does not start) a session that is stopped when the harness closes. */
    BaileysSession open(RecordingEngineContext context) {
        BaileysSession session = new BaileysSession(context, settings, supervisor);
        sessions.add(session);
        return session;
    }

    /** @return the sessions opened so far, in order */
    List<BaileysSession> sessionsOpened() {
        return List.copyOf(sessions);
    }

    /** @return the session opened last */
    BaileysSession lastSession() {
        return sessions.get(sessions.size() - 1);
    }

    /** @return the running worker, waiting for a restart to finish if one is under way */
    Worker worker() {
        await(() -> supervisor.current() != null, "a running worker");
        return supervisor.current();
    }

    /** Makes the stub write these lines to its stdout, as they are. */
    void emit(String... lines) {
        Map<String, Object> command = new LinkedHashMap<>();
        command.put("v", 1);
        command.put("type", "stub-emit");
        command.put("lines", List.of(lines));
        worker().writeRaw(Json.write(command));
    }

    /** Sends a stub command and waits for its reply. */
    Map<String, Object> stub(String type, Object... fields) {
        Map<String, Object> command = new LinkedHashMap<>();
        command.put("type", type);
        for (int i = 0; i < fields.length; i += 2) {
            command.put((String) fields[i], fields[i + 1]);
        }
        return worker().callAndWait(command, Duration.ofSeconds(5));
    }

    /** Sends a stub command that has no reply. */
    void tell(String type, Object... fields) {
        Map<String, Object> command = new LinkedHashMap<>();
        command.put("type", type);
        for (int i = 0; i < fields.length; i += 2) {
            command.put((String) fields[i], fields[i + 1]);
        }
        worker().tell(command);
    }

    /** What the stub's session was last started with: {@code {creds, keys}}. */
    @SuppressWarnings("unchecked")
    Map<String, Object> startedWith(String sessionId) {
        Map<String, Object> sessions = (Map<String, Object>) stub("stub-dump").get("sessions");
        return (Map<String, Object>) sessions.get(sessionId);
    }

    /** One protocol line: {@code "v":1} and the given fields. */
    static String line(Object... fields) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("v", 1);
        for (int i = 0; i < fields.length; i += 2) {
            line.put((String) fields[i], fields[i + 1]);
        }
        return Json.write(line);
    }

    /**
     * Skips a test of the real worker where the machine's Node.js cannot run Baileys 7 (Debian 12's
     * own {@code nodejs} is 18): the engine then refuses to start, which other tests cover.
     */
    static void assumeNodeRunsBaileys() {
        try {
            NodeRuntime.check(NODE, Duration.ofSeconds(20));
        } catch (io.wagateway.api.PluginException e) {
            org.junit.jupiter.api.Assumptions.abort("the real worker needs Node.js " + NodeRuntime.MIN_MAJOR + "+: " + e.getMessage());
        }
    }

    /** Waits up to 10 s for a condition the code under test reaches on its own threads. */
    static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("never reached: " + what);
            }
            Thread.onSpinWait();
            try {
                Thread.sleep(10); // polls a condition; there is no event to wait on
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    @Override
    public void close() {
        sessions.forEach(BaileysSession::stop);
        supervisor.close();
    }
}
