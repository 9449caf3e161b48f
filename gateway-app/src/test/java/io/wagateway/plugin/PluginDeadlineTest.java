package io.wagateway.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.wagateway.config.PluginSettings;
import io.wagateway.plugin.PluginRecord.State;
import io.wagateway.testing.Await;
import io.wagateway.testing.TestDatabases;
import io.wagateway.testing.TestGateway;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Plugins that never return from the host's calls into them, as real jars: the host gives each call
 * its deadline, marks the plugin FAILED, and goes on; shutdown does not wait for them either. The
 * plugins wait at a {@link TestGates gate}, deaf to interrupts; every test opens all gates at the end.
 */
@Timeout(120)
class PluginDeadlineTest {

    private static final Duration START = Duration.ofMillis(300);
    private static final Duration STOP = Duration.ofMillis(300);
    /** More than enough for everything but a hang, on a busy machine. */
    private static final Duration MARGIN = Duration.ofSeconds(5);
    /** A whole gateway's start, cold, on a busy machine: the bound is that it ends at all. */
    private static final Duration GATEWAY_START = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private PluginHost host;
    private final RecordingListener listener = new RecordingListener();
    private final List<String> sinkEvents = new ArrayList<>();

    @BeforeEach
    void clearInbox() {
        TestInbox.clear();
    }

    @AfterEach
    void releasePluginsAndClose() {
        TestGates.openAll();
        if (host != null) {
            host.close();
        }
    }

    private PluginHost host(boolean watch, Duration startTimeout) {
        host = new PluginHost(new PluginSettings(dir, watch, Duration.ofMillis(100), startTimeout, STOP, Map.of(),
                Map.of()));
        host.addListener(listener);
        host.addSinkListener(new SinkRegistry.Listener() {
            @Override
            public void sinkAdded(RegisteredSink sink) {
                sinkEvents.add("added:" + sink.name());
            }

            @Override
            public void sinkRemoving(RegisteredSink sink) {
                sinkEvents.add("removing:" + sink.name());
            }
        });
        return host;
    }

    /** Java for plugin code that waits at the gate. */
    private static String gate(String name) {
        return "io.wagateway.plugin.TestGates.pass(\"" + name + "\");";
    }

    private static TestPluginJars.Builder good() {
        return TestPluginJars.plugin("good").lifecycle().engine("good");
    }

    private Optional<PluginRecord> record(String file) {
        return host.plugins().stream().filter(r -> r.file().equals(file)).findFirst();
    }

    private void awaitState(String file, State state) {
        Await.until(file + " " + state, () -> record(file).map(r -> r.state() == state).orElse(false), host::plugins);
    }

    private static void assertFailedWith(PluginRecord record, String error) {
        assertEquals(State.FAILED, record.state(), record::toString);
        assertEquals(error, record.lastError());
        assertTrue(record.extensions().isEmpty(), record::toString);
    }

    @Test
    void aStartThatNeverReturnsFailsItsPluginAndStartUpGoesOn() throws IOException {
        TestPluginJars.plugin("stuck").lifecycle(gate("stuck-start")).engine("stuck").sink("stuck-sink")
                .writeTo(dir, "a-stuck.jar");
        good().writeTo(dir, "b-good.jar");
        host(false, START);

        assertTimeoutPreemptively(MARGIN, host::start, "start-up waits for no plugin beyond its deadline");

        assertFailedWith(host.plugin("stuck").orElseThrow(),
                "Plugin failed to start: TestPlugin.start() did not return within 300ms");
        assertTrue(host.find("stuck").isEmpty());
        assertTrue(host.sinks().isEmpty());
        assertEquals(State.STARTED, host.plugin("good").orElseThrow().state(), host.plugins()::toString);
        assertEquals("1.0.0", RecordingListener.versionOf(host.find("good").orElseThrow()));
        assertEquals(List.of("added:good:1.0.0"), listener.events);
    }

    @Test
    void aStuckStartThatReturnsLateRegistersNothing() throws IOException {
        TestPluginJars.plugin("late").lifecycle(gate("late-start")).engine("late").sink("late-sink")
                .writeTo(dir, "late.jar");
        host(false, START);
        assertTimeoutPreemptively(MARGIN, host::start);
        String error = "Plugin failed to start: TestPlugin.start() did not return within 300ms";
        assertFailedWith(record("late.jar").orElseThrow(), error);

        TestGates.open("late-start");
        Await.until("the late start() returned", () -> TestInbox.entries().contains("left:late-start"),
                TestInbox::entries);
        Await.until("its thread ended", () -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().equals("plugin TestPlugin.start()")));

        assertFailedWith(record("late.jar").orElseThrow(), error);
        assertTrue(host.find("late").isEmpty());
        assertTrue(host.sinks().isEmpty());
        assertEquals(List.of(), listener.events);
        assertEquals(List.of(), sinkEvents);
    }

    @Test
    void aStartThatReturnsLateIsStoppedAgain() throws IOException {
        TestPluginJars.plugin("slow").lifecycle(gate("slow-start")).engine("slow").writeTo(dir, "a-slow.jar");
        TestPluginJars.plugin("hook").lifecycle()
                .sink("hook", "@Override public void start(SinkContext c) { " + gate("hook-start") + " }"
                        + " @Override public void stop() { io.wagateway.plugin.TestInbox.record(\"hook-stop\"); }")
                .writeTo(dir, "b-hook.jar");
        host(false, START);
        assertTimeoutPreemptively(MARGIN, host::start);
        assertEquals(List.of(State.FAILED, State.FAILED), host.plugins().stream().map(PluginRecord::state).toList());
        assertTrue(TestInbox.entries().contains("stop:hook"), "the sink's plugin was stopped: " + TestInbox.entries());

        TestGates.open("slow-start");
        Await.until("the late Plugin.start() undone by its stop()", () -> TestInbox.entries().contains("stop:slow"),
                TestInbox::entries);
        TestGates.open("hook-start");
        Await.until("the late sink start() undone by its stop()", () -> TestInbox.entries().contains("hook-stop"),
                TestInbox::entries);
        assertEquals(List.of(), listener.events);
        assertEquals(List.of(), sinkEvents);
    }

    @Test
    void aStopThatNeverReturnsIsGivenUpAndCloseCompletes() throws IOException {
        good().writeTo(dir, "a-good.jar");
        // Unloaded first (reverse path order): the plugins after it must still be stopped.
        TestPluginJars.plugin("stuck").lifecycle("", gate("stuck-stop")).engine("stuck").writeTo(dir, "z-stuck.jar");
        host(false, START);
        host.start();
        RegisteredEngine stuck = host.find("stuck").orElseThrow();

        assertTimeoutPreemptively(STOP.plus(MARGIN), host::close, "close gives a stuck stop() its deadline only");

        List<String> inbox = TestInbox.entries();
        assertTrue(inbox.contains("entered:stuck-stop"), inbox::toString);
        assertTrue(inbox.contains("stop:good"), "the others are still stopped: " + inbox);
        assertEquals(List.of(State.UNLOADED, State.UNLOADED), host.plugins().stream().map(PluginRecord::state).toList());
        assertTrue(host.names().isEmpty());
        assertEquals(List.of("added:good:1.0.0", "added:stuck:1.0.0", "removing:stuck:1.0.0", "removing:good:1.0.0"),
                listener.events);
        assertTrue(PluginHostTest.isClosed(stuck.engine().getClass().getClassLoader()), "unloaded anyway");
    }

    @Test
    void aSinkStopThatNeverReturnsIsGivenUpAndCloseCompletes() throws IOException {
        TestPluginJars.plugin("audit").lifecycle().sink("audit", "@Override public void stop() { " + gate("sink-stop") + " }")
                .writeTo(dir, "audit.jar");
        host(false, START);
        host.start();
        assertEquals(List.of("added:audit"), sinkEvents);

        assertTimeoutPreemptively(STOP.plus(MARGIN), host::close);

        assertTrue(TestInbox.entries().containsAll(List.of("entered:sink-stop", "stop:audit")), TestInbox.entries()::toString);
        assertEquals(State.UNLOADED, record("audit.jar").orElseThrow().state());
        assertEquals(List.of("added:audit", "removing:audit"), sinkEvents);
    }

    /** Each call the host makes into plugin code while loading: the jar, and the error it must end with. */
    static Stream<Arguments> stuckCalls() {
        return Stream.of(
                Arguments.of("Plugin-Class constructor", TestPluginJars.plugin("ctor")
                                .source("testplugins.ctor.TestPlugin", """
                                        package testplugins.ctor;
                                        public class TestPlugin extends org.pf4j.Plugin {
                                            public TestPlugin() { %s }
                                        }
                                        """.formatted(gate("ctor")))
                                .pluginClassName("testplugins.ctor.TestPlugin").engine("ctor"),
                        "Plugin failed to start: TestPlugin constructor did not return within 300ms"),
                Arguments.of("engine constructor", TestPluginJars.plugin("ector").lifecycle()
                                .engine("ector", "public $CLASS() { " + gate("ector") + " }"),
                        "Extension testplugins.ector.EctorEngine cannot be created: "
                                + "EctorEngine constructor did not return within 300ms"),
                Arguments.of("engine name()", TestPluginJars.plugin("nameless").lifecycle()
                                .source("testplugins.nameless.NamelessEngine", """
                                        package testplugins.nameless;
                                        import io.wagateway.api.*;
                                        @org.pf4j.Extension
                                        public class NamelessEngine implements WhatsAppEngine {
                                            @Override public String name() { %s return "nameless"; }
                                            @Override public EngineSession open(EngineContext context) { return null; }
                                        }
                                        """.formatted(gate("nameless")))
                                .extension("testplugins.nameless.NamelessEngine"),
                        "NamelessEngine.name() did not return within 300ms"),
                Arguments.of("engine configKeys()", TestPluginJars.plugin("keys").lifecycle()
                                .engine("keys", "@Override public java.util.List<ConfigKey> configKeys() { "
                                        + gate("keys") + " return java.util.List.of(); }"),
                        "KeysEngine.configKeys() did not return within 300ms"),
                Arguments.of("engine verify()", TestPluginJars.plugin("vouch").lifecycle()
                                .engine("vouch", "@Override public void verify(PluginConfig config) { " + gate("vouch") + " }")
                                .sink("vouch-sink"),
                        "VouchEngine.verify() did not return within 300ms"),
                Arguments.of("sink start()", TestPluginJars.plugin("hook").lifecycle()
                                .sink("hook", "@Override public void start(SinkContext context) { " + gate("hook") + " }"),
                        "HookSink.start() did not return within 300ms"),
                Arguments.of("sink targeted()", TestPluginJars.plugin("aim").lifecycle()
                                .sink("aim", "@Override public boolean targeted() { " + gate("aim") + " return false; }"),
                        "AimSink.targeted() did not return within 300ms"),
                Arguments.of("sink maxConcurrency()", TestPluginJars.plugin("spread").lifecycle()
                                .sink("spread", "@Override public int maxConcurrency() { " + gate("spread") + " return 1; }"),
                        "SpreadSink.maxConcurrency() did not return within 300ms"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stuckCalls")
    void everyCallIntoPluginCodeWhileLoadingHasTheStartDeadline(String call, TestPluginJars.Builder jar, String error)
            throws IOException {
        jar.writeTo(dir, "a-stuck.jar");
        good().writeTo(dir, "b-good.jar");
        host(false, START);

        assertTimeoutPreemptively(MARGIN, host::start);

        assertFailedWith(record("a-stuck.jar").orElseThrow(), error);
        assertEquals(State.STARTED, record("b-good.jar").orElseThrow().state(), host.plugins()::toString);
        assertEquals(List.of("added:good:1.0.0"), listener.events);
        assertEquals(List.of(), sinkEvents);
    }

    /** Starts a watching host, drops in stuck.jar, whose start() waits at {@code gateName}, and waits for it to fail. */
    private void dropInAStuckJar(String gateName) throws IOException {
        host(true, START);
        host.start();
        TestPluginJars.plugin("stuck").lifecycle(gate(gateName)).engine("stuck").moveTo(dir, "stuck.jar");
        awaitState("stuck.jar", State.FAILED);
    }

    @Test
    void aStuckJarDroppedInAtRunTimeFailsAndLaterJarsStillLoadAndReplaceIt() throws IOException {
        dropInAStuckJar("dropped-start");
        assertFailedWith(record("stuck.jar").orElseThrow(),
                "Plugin failed to start: TestPlugin.start() did not return within 300ms");

        good().moveTo(dir, "good.jar");
        awaitState("good.jar", State.STARTED);
        assertTrue(host.find("good").isPresent(), "the watcher still picks up jars");

        // The stuck thread still runs; its jar can be replaced all the same, by a fixed version.
        TestPluginJars.plugin("stuck").version("1.0.1").lifecycle().engine("stuck").moveTo(dir, "stuck.jar");
        awaitState("stuck.jar", State.STARTED);
        assertEquals("1.0.1", RecordingListener.versionOf(host.find("stuck").orElseThrow()));

        Files.delete(dir.resolve("stuck.jar"));
        Await.until("stuck.jar gone", () -> record("stuck.jar").isEmpty(), host::plugins);
        assertTrue(host.find("stuck").isEmpty());
    }

    @Test
    void aFailedStuckJarCanBeRemoved() throws IOException {
        dropInAStuckJar("removed-start");
        Files.delete(dir.resolve("stuck.jar"));
        Await.until("stuck.jar gone", () -> record("stuck.jar").isEmpty(), host::plugins);
        assertTrue(host.plugins().isEmpty());
    }

    @Test
    void closeDoesNotWaitForAPluginBeingStarted() throws IOException {
        host(true, Duration.ofMinutes(1));
        host.start();
        TestPluginJars.plugin("stuck").lifecycle(gate("closing-start")).engine("stuck").moveTo(dir, "stuck.jar");
        Await.until("the watcher is in the plugin's start()", () -> TestInbox.entries().contains("entered:closing-start"),
                TestInbox::entries);

        assertTimeoutPreemptively(MARGIN, host::close, "close gives up a start in progress");

        assertFailedWith(record("stuck.jar").orElseThrow(),
                "Plugin failed to start: TestPlugin.start() was given up: the plugin host is closing");
        assertTrue(host.find("stuck").isEmpty());
    }

    @Test
    void theGatewayBecomesReadyShowsTheStuckPluginAndStopsDespiteAStuckStop() throws Exception {
        Path dataDir = TestDatabases.tempDir();
        Path plugins = Files.createDirectories(dataDir.resolve("plugins"));
        TestPluginJars.plugin("stuck").lifecycle(gate("gateway-start")).engine("stuck").writeTo(plugins, "stuck.jar");
        TestPluginJars.plugin("sticky").lifecycle("", gate("gateway-stop")).engine("sticky").writeTo(plugins, "sticky.jar");
        Map<String, String> settings = Map.of("gateway.plugins.start-timeout", "300ms",
                "gateway.plugins.stop-timeout", "300ms");
        try {
            TestGateway gw = assertTimeoutPreemptively(GATEWAY_START, () -> TestGateway.startOn(dataDir, settings),
                    "the gateway becomes ready");
            try {
                JsonNode list = gw.api().loginAdmin().get("/api/plugins").json();
                JsonNode stuck = StreamSupport.stream(list.spliterator(), false)
                        .filter(p -> p.path("file").asText().equals("stuck.jar")).findFirst().orElseThrow();
                assertEquals("FAILED", stuck.path("state").asText(), stuck::toString);
                assertEquals("Plugin failed to start: TestPlugin.start() did not return within 300ms",
                        stuck.path("lastError").asText());
                assertTrue(gw.gateway().plugins().find("sticky").isPresent());
                assertTrue(gw.gateway().plugins().find("simulator").isPresent(), "the other plugins loaded");
            } finally {
                assertTimeoutPreemptively(STOP.plus(MARGIN), gw::close, "the gateway stops");
            }
            assertTrue(TestInbox.entries().contains("entered:gateway-stop"), TestInbox.entries()::toString);
        } finally {
            TestGateway.deleteTree(dataDir);
        }
    }
}
