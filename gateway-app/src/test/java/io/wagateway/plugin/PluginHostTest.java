package io.wagateway.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wagateway.api.EngineSession;
import io.wagateway.config.PluginSettings;
import io.wagateway.plugin.PluginRecord.Extension;
import io.wagateway.plugin.PluginRecord.State;
import io.wagateway.testing.TestPluginSettings;
import io.wagateway.testkit.EngineFact;
import io.wagateway.testkit.InMemoryCredentialStore;
import io.wagateway.testkit.RecordingEngineContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading at start-up and isolation of broken jars, with real jars and real PF4J; no directory watching. */
class PluginHostTest {

    @TempDir
    Path dir;

    private PluginHost host;
    private final RecordingListener listener = new RecordingListener();

    @BeforeEach
    void clearInbox() {
        TestInbox.clear();
    }

    @AfterEach
    void closeHost() {
        if (host != null) {
            host.close();
        }
    }

    private PluginHost start(Map<String, Map<String, String>> engineConfig) {
        host = new PluginHost(TestPluginSettings.of(dir, false, Duration.ofMillis(50), engineConfig, Map.of()));
        host.addListener(listener);
        host.start();
        return host;
    }

    private PluginHost start() {
        return start(Map.of());
    }

    /**
     * A sink's {@code targeted()} and {@code maxConcurrency()} are asked while its plugin loads: an
     * answer the host cannot deliver by fails the plugin for all to see, rather than leaving a sink
     * shown started that nothing is ever delivered to.
     */
    @Test
    void aSinkThatCannotBeDeliveredToFailsItsPlugin() throws IOException {
        writeGoodPlugin();
        TestPluginJars.plugin("odd").lifecycle()
                .sink("odd", "@Override public int maxConcurrency() { throw new IllegalStateException(\"no idea\"); }")
                .writeTo(dir, "odd.jar");
        TestPluginJars.plugin("zero").lifecycle().sink("zero", "@Override public int maxConcurrency() { return 0; }")
                .writeTo(dir, "zero.jar");
        TestPluginJars.plugin("aimed").lifecycle().sink("aimed", "@Override public boolean targeted() { return true; }")
                .writeTo(dir, "aimed.jar");
        start();
        assertFailed(record("odd.jar"), "OddSink.maxConcurrency() failed: IllegalStateException: no idea");
        assertFailed(record("zero.jar"), "Sink 'zero' asks for maxConcurrency 0: at least 1");
        assertFailed(record("aimed.jar"), "Sink 'aimed' is targeted, but the host keeps targets only for 'webhook'");
        assertTrue(host.sinks().isEmpty(), host.sinks()::toString);
        assertGoodPluginWorks();
    }

    /** The plugin every failure test keeps next to the broken one, to show it is unaffected. */
    private void writeGoodPlugin() throws IOException {
        TestPluginJars.plugin("good").lifecycle().engine("good").writeTo(dir, "good.jar");
    }

    private void assertGoodPluginWorks() {
        PluginRecord good = host.plugin("good").orElseThrow();
        assertEquals(State.STARTED, good.state(), () -> "good plugin: " + good);
        assertNull(good.lastError());
        RegisteredEngine engine = host.find("good").orElseThrow();
        assertEquals("1.0.0", RecordingListener.versionOf(engine));
    }

    private PluginRecord record(String file) {
        return host.plugins().stream().filter(r -> r.file().equals(file)).findFirst()
                .orElseThrow(() -> new AssertionError("no record for " + file + " in " + host.plugins()));
    }

    private static void assertFailed(PluginRecord record, String expectedError) {
        assertEquals(State.FAILED, record.state(), record::toString);
        assertNotNull(record.lastError(), record::toString);
        assertTrue(record.lastError().contains(expectedError),
                () -> "expected '" + expectedError + "' in: " + record.lastError());
        assertFalse(record.lastError().contains("\n"), "one line, no stack trace");
        assertTrue(record.extensions().isEmpty(), record::toString);
    }

    @Test
    void loadsJarsAtStartUpAndTheirEnginesWork() throws IOException {
        TestPluginJars.plugin("echo").version("1.2.0").lifecycle()
                .engine("echo", """
                        @Override public java.util.List<ConfigKey> configKeys() {
                            return java.util.List.of(new ConfigKey("max-retries", ConfigKey.Type.LONG, "3", "retries"));
                        }
                        """)
                .writeTo(dir, "echo.jar");
        TestPluginJars.plugin("audit").sink("audit").writeTo(dir, "audit.jar");
        Files.createDirectories(dir.resolve("sources.jar")); // a folder, even one named like a jar, is ignored
        Files.writeString(dir.resolve("notes.txt"), "not a plugin");

        start(Map.of("echo", Map.of("max-retries", "5")));

        List<PluginRecord> plugins = host.plugins();
        assertEquals(List.of("audit.jar", "echo.jar"), plugins.stream().map(PluginRecord::file).toList());
        PluginRecord echo = host.plugin("echo").orElseThrow();
        assertEquals(State.STARTED, echo.state());
        assertEquals("1.2.0", echo.version());
        assertEquals(List.of(Extension.engine("echo")), echo.extensions());
        assertNull(echo.lastError());
        assertEquals(List.of(Extension.sink("audit")), host.plugin("audit").orElseThrow().extensions());

        assertEquals(java.util.Set.of("echo"), host.names());
        RegisteredEngine engine = host.find("echo").orElseThrow();
        assertEquals("echo", engine.pluginId());
        assertEquals(5, engine.config().getLong("max-retries"));
        RecordingEngineContext context = new RecordingEngineContext("s1", engine.config(), new InMemoryCredentialStore());
        EngineSession session = engine.engine().open(context);
        session.start();
        List<EngineFact> facts = context.facts();
        assertEquals(1, facts.size(), facts::toString);
        EngineFact.Connected connected = assertInstanceOf(EngineFact.Connected.class, facts.getFirst());
        assertEquals(List.of("+100", "1.2.0"), List.of(connected.phoneNumber(), connected.displayName()));
        assertEquals(Map.of("version", "1.2.0", "engine", "echo"), session.action("version", Map.of()));
        assertTrue(host.find("nope").isEmpty());

        assertEquals(List.of("audit"), host.sinks().stream().map(RegisteredSink::name).toList());
        assertEquals(List.of("added:echo:1.2.0"), listener.events);
        assertTrue(TestInbox.entries().contains("start:echo"));
    }

    @Test
    void corruptJarIsRecordedAndIsolated() throws IOException {
        writeGoodPlugin();
        TestPluginJars.writeCorrupt(dir, "broken.jar");
        start();
        PluginRecord broken = record("broken.jar");
        assertFailed(broken, "Not a readable jar");
        assertNull(broken.id());
        assertFalse(broken.lastError().contains(dir.toString()), "no absolute path: " + broken.lastError());
        assertGoodPluginWorks();
    }

    @Test
    void jarWithoutManifestIsRecorded() throws IOException {
        writeGoodPlugin();
        TestPluginJars.plugin("nomanifest").withoutManifest().engine("nomanifest").writeTo(dir, "nomanifest.jar");
        start();
        assertFailed(record("nomanifest.jar"), "The jar has no META-INF/MANIFEST.MF");
        assertGoodPluginWorks();
    }

    @Test
    void manifestWithoutPluginIdIsRecorded() throws IOException {
        writeGoodPlugin();
        TestPluginJars.plugin(null).engine("anonymous").writeTo(dir, "anonymous.jar");
        start();
        assertFailed(record("anonymous.jar"), "The manifest has no Plugin-Id");
        assertTrue(host.find("anonymous").isEmpty());
        assertGoodPluginWorks();
    }

    @Test
    void pluginClassMissingFromTheJarIsRecorded() throws IOException {
        writeGoodPlugin();
        TestPluginJars.plugin("ghost").pluginClassName("testplugins.ghost.Missing").engine("ghost").writeTo(dir, "ghost.jar");
        start();
        assertFailed(record("ghost.jar"), "Plugin-Class 'testplugins.ghost.Missing' cannot be loaded");
        assertTrue(host.find("ghost").isEmpty());
        assertGoodPluginWorks();
    }

    @Test
    void pluginWithoutPluginClassRunsItsExtensions() throws IOException {
        TestPluginJars.plugin("plain").engine("plain").writeTo(dir, "plain.jar");
        start();
        assertEquals(State.STARTED, record("plain.jar").state());
        assertTrue(host.find("plain").isPresent());
    }

    @Test
    void pluginWhoseStartThrowsIsRecordedAndIsolated() throws IOException {
        writeGoodPlugin();
        TestPluginJars.plugin("crash").lifecycle("throw new IllegalStateException(\"start boom\");")
                .engine("crash").writeTo(dir, "crash.jar");
        start();
        assertFailed(record("crash.jar"), "IllegalStateException: start boom");
        assertTrue(host.find("crash").isEmpty());
        assertGoodPluginWorks();
    }

    @Test
    void extensionWhoseConstructorThrowsFailsItsWholePlugin() throws IOException {
        writeGoodPlugin();
        TestPluginJars.plugin("ctor").lifecycle()
                .engine("ctor", "public $CLASS() { throw new IllegalStateException(\"constructor boom\"); }")
                .sink("ctor-sink")
                .writeTo(dir, "ctor.jar");
        start();
        PluginRecord ctor = record("ctor.jar");
        assertFailed(ctor, "testplugins.ctor.CtorEngine cannot be created: IllegalStateException: constructor boom");
        assertTrue(host.find("ctor").isEmpty());
        assertTrue(host.sinks().isEmpty(), "all or nothing: the plugin's good sink is not registered either");
        assertTrue(TestInbox.entries().contains("stop:ctor"), "the plugin was stopped again: " + TestInbox.entries());
        assertGoodPluginWorks();
    }

    @Test
    void wrongApiVersionIsRecorded() throws IOException {
        writeGoodPlugin();
        TestPluginJars.plugin("future").requires(">=2.0.0").lifecycle().engine("future").writeTo(dir, "future.jar");
        start();
        assertFailed(record("future.jar"), "Requires gateway API '>=2.0.0' but this gateway provides " + io.wagateway.api.GatewayApi.VERSION);
        assertFalse(TestInbox.entries().contains("start:future"), "never started");
        assertGoodPluginWorks();
    }

    @Test
    void missingDependencyIsRecorded() throws IOException {
        writeGoodPlugin();
        TestPluginJars.plugin("needy").dependencies("base").engine("needy").writeTo(dir, "needy.jar");
        start();
        assertFailed(record("needy.jar"), "Missing plugin dependency 'base'");
        assertGoodPluginWorks();
    }

    @Test
    void dependencyOfTheWrongVersionIsRecorded() throws IOException {
        TestPluginJars.plugin("base").version("1.0.0").engine("base").writeTo(dir, "base.jar");
        TestPluginJars.plugin("needy").dependencies("base@>=2.0.0").engine("needy").writeTo(dir, "needy.jar");
        start();
        assertFailed(record("needy.jar"), "Requires plugin 'base' version '>=2.0.0' but 1.0.0 is loaded");
        assertEquals(State.STARTED, record("base.jar").state(), "the dependency itself is unaffected");
        assertTrue(host.find("base").isPresent());
    }

    @Test
    void dependenciesLoadInAnyDirectoryOrder() throws IOException {
        // "a-" sorts before "z-": the dependent is met first and must wait for its dependency.
        TestPluginJars.plugin("needy").dependencies("base").lifecycle().engine("needy").writeTo(dir, "a-needy.jar");
        TestPluginJars.plugin("base").lifecycle().engine("base").writeTo(dir, "z-base.jar");
        start();
        assertEquals(State.STARTED, record("a-needy.jar").state(), () -> host.plugins().toString());
        assertEquals(State.STARTED, record("z-base.jar").state());

        host.close();
        List<String> inbox = TestInbox.entries();
        assertTrue(inbox.indexOf("stop:needy") < inbox.indexOf("stop:base"), "dependents stop first: " + inbox);
        assertEquals(List.of(State.UNLOADED, State.UNLOADED), host.plugins().stream().map(PluginRecord::state).toList());
    }

    @Test
    void duplicatePluginIdIsRecorded() throws IOException {
        TestPluginJars.plugin("good").version("1.0.0").engine("good").writeTo(dir, "a-good.jar");
        TestPluginJars.plugin("good").version("9.9.9").engine("good").writeTo(dir, "b-good.jar");
        start();
        assertEquals(State.STARTED, record("a-good.jar").state());
        assertFailed(record("b-good.jar"), "Plugin id 'good' is already used by a-good.jar");
        assertEquals("1.0.0", host.plugin("good").orElseThrow().version(), "the started one answers for the id");
        assertGoodPluginWorks();
    }

    @Test
    void engineNameTakenByAnotherPluginIsRecorded() throws IOException {
        writeGoodPlugin();
        TestPluginJars.plugin("first").engine("shared").writeTo(dir, "a-first.jar");
        TestPluginJars.plugin("second").lifecycle().engine("shared").writeTo(dir, "b-second.jar");
        start();
        assertEquals(State.STARTED, record("a-first.jar").state());
        assertFailed(record("b-second.jar"), "Engine 'shared' is already provided by plugin 'first' (a-first.jar)");
        assertEquals("first", host.find("shared").orElseThrow().pluginId());
        assertTrue(TestInbox.entries().contains("stop:second"), "the refused plugin was stopped");
        assertGoodPluginWorks();
    }

    @Test
    void invalidEngineConfigurationIsRecordedWithTheKey() throws IOException {
        writeGoodPlugin();
        TestPluginJars.plugin("strict")
                .engine("strict", """
                        @Override public java.util.List<ConfigKey> configKeys() {
                            return java.util.List.of(new ConfigKey("max-retries", ConfigKey.Type.LONG, "3", "retries"));
                        }
                        """)
                .writeTo(dir, "strict.jar");
        start(Map.of("strict", Map.of("max-retries", "abc")));
        assertFailed(record("strict.jar"), "Engine 'strict' has invalid configuration (gateway.engines.strict): "
                + "'max-retries' must be a long but is 'abc'");
        assertTrue(host.find("strict").isEmpty());
        assertGoodPluginWorks();
    }

    @Test
    void jarBundlingItsOwnPluginApiIsRecorded() throws IOException {
        writeGoodPlugin();
        TestPluginJars.plugin("bundler")
                .source("io.wagateway.api.WhatsAppEngine", """
                        package io.wagateway.api;
                        public interface WhatsAppEngine extends org.pf4j.ExtensionPoint {
                            String name();
                            EngineSession open(EngineContext context);
                        }
                        """)
                .engine("bundler")
                .writeTo(dir, "bundler.jar");
        start();
        assertFailed(record("bundler.jar"), "implements its own copy of the plugin API");
        assertGoodPluginWorks();
    }

    @Test
    void disabledPluginIsReportedDisabled() throws IOException {
        writeGoodPlugin();
        TestPluginJars.plugin("off").engine("off").writeTo(dir, "off.jar");
        Files.writeString(dir.resolve("disabled.txt"), "off\n");
        start();
        PluginRecord off = record("off.jar");
        assertEquals(State.DISABLED, off.state());
        assertNull(off.lastError());
        assertTrue(host.find("off").isEmpty());
        assertGoodPluginWorks();
    }

    @Test
    void closeAnnouncesEveryEngineAndUnloadsEverything() throws IOException {
        writeGoodPlugin();
        TestPluginJars.plugin("echo").lifecycle().engine("echo").writeTo(dir, "echo.jar");
        start();
        host.close();
        host.close(); // idempotent
        assertEquals(List.of("added:echo:1.0.0", "added:good:1.0.0", "removing:good:1.0.0", "removing:echo:1.0.0"),
                listener.events);
        List<String> inbox = TestInbox.entries();
        assertTrue(inbox.indexOf("removing:echo:1.0.0") < inbox.indexOf("stop:echo"), inbox::toString);
        assertTrue(host.names().isEmpty());
        assertTrue(host.sinks().isEmpty());
        assertTrue(host.plugins().stream().allMatch(r -> r.state() == State.UNLOADED), host.plugins()::toString);
        assertTrue(listener.removed.stream().allMatch(e -> isClosed(e.engine().getClass().getClassLoader())),
                "class loaders closed");
        assertThrows(IllegalStateException.class, host::start);
    }

    @Test
    void listenerAddedLateHearsOfPresentEngines() throws IOException {
        writeGoodPlugin();
        start();
        RecordingListener late = new RecordingListener();
        host.addListener(late);
        assertEquals(List.of("added:good:1.0.0"), late.events);
    }

    @Test
    void missingDirectoryIsCreated() {
        dir = dir.resolve("plugins");
        start();
        assertTrue(Files.isDirectory(dir));
        assertTrue(host.plugins().isEmpty());
    }

    static boolean isClosed(ClassLoader loader) {
        return loader instanceof org.pf4j.PluginClassLoader plugin && plugin.isClosed();
    }
}
