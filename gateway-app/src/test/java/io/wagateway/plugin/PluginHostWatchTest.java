package io.wagateway.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wagateway.config.PluginSettings;
import io.wagateway.plugin.PluginRecord.State;
import io.wagateway.testing.Await;
import io.wagateway.testing.TestPluginSettings;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Jars dropped in, replaced and removed while the host runs, picked up by the directory watcher. */
class PluginHostWatchTest {

    private static final Duration DEBOUNCE = Duration.ofMillis(100);

    @TempDir
    Path dir;

    private PluginHost host;
    private final RecordingListener listener = new RecordingListener();

    @BeforeEach
    void startHost() {
        TestInbox.clear();
        host = new PluginHost(TestPluginSettings.of(dir, true, DEBOUNCE, Map.of(), Map.of()));
        host.addListener(listener);
        host.start();
    }

    @AfterEach
    void closeHost() {
        host.close();
    }

    private Optional<PluginRecord> record(String file) {
        return host.plugins().stream().filter(r -> r.file().equals(file)).findFirst();
    }

    /** Listeners are told right after the snapshot changes, on the watcher's thread: wait for them too. */
    private void awaitEvent(String event) {
        Await.until(event, () -> listener.events.contains(event), () -> listener.events);
    }

    private void awaitState(String file, State state) {
        Await.until(file + " " + state, () -> record(file).map(r -> r.state() == state).orElse(false),
                host::plugins);
    }

    @Test
    void jarMovedInAtomicallyIsLoaded() throws IOException {
        TestPluginJars.plugin("echo").lifecycle().engine("echo").moveTo(dir, "echo.jar");
        Await.until("engine echo", () -> host.find("echo").isPresent(), host::plugins);
        assertEquals(State.STARTED, record("echo.jar").orElseThrow().state());
        awaitEvent("added:echo:1.0.0");
        assertEquals(List.of("added:echo:1.0.0"), listener.events);
        assertTrue(record("echo.jar.part").isEmpty(), "temporary names are not plugins");
    }

    @Test
    void jarCopiedInSlowlyIsLoadedOnceComplete() throws IOException, InterruptedException {
        byte[] bytes = TestPluginJars.plugin("echo").lifecycle().engine("echo").bytes();
        int third = bytes.length / 3;
        try (OutputStream out = Files.newOutputStream(dir.resolve("echo.jar"))) {
            // A slow copy: pauses shorter than the debounce between chunks.
            for (int i = 0; i < 3; i++) {
                out.write(Arrays.copyOfRange(bytes, i * third, i == 2 ? bytes.length : (i + 1) * third));
                out.flush();
                Thread.sleep(DEBOUNCE.toMillis() / 3);
            }
        }
        Await.until("engine echo", () -> host.find("echo").isPresent(), host::plugins);
        PluginRecord echo = record("echo.jar").orElseThrow();
        assertEquals(State.STARTED, echo.state());
        assertNull(echo.lastError());
        assertEquals(List.of("start:echo"), TestInbox.entries().stream().filter(e -> e.startsWith("start:")).toList(),
                "loaded once, when complete");
    }

    @Test
    void removedJarIsAnnouncedStoppedAndUnloaded() throws IOException {
        TestPluginJars.plugin("echo").lifecycle().engine("echo").moveTo(dir, "echo.jar");
        Await.until("engine echo", () -> host.find("echo").isPresent(), host::plugins);
        RegisteredEngine before = host.find("echo").orElseThrow();

        Files.delete(dir.resolve("echo.jar"));
        Await.until("echo.jar gone", () -> record("echo.jar").isEmpty(), host::plugins);

        assertTrue(host.find("echo").isEmpty());
        // The listener opened a session during engineRemoving: the plugin's classes still worked then.
        assertEquals(List.of("added:echo:1.0.0", "removing:echo:1.0.0"), listener.events);
        List<String> inbox = TestInbox.entries();
        assertTrue(inbox.indexOf("removing:echo:1.0.0") < inbox.indexOf("stop:echo"),
                "engineRemoving before the plugin stops: " + inbox);
        assertTrue(PluginHostTest.isClosed(before.engine().getClass().getClassLoader()), "class loader closed");
    }

    @Test
    void replacedJarIsReloadedWithItsNewVersion() throws IOException {
        TestPluginJars.plugin("echo").version("1.0.0").lifecycle().engine("echo").moveTo(dir, "echo.jar");
        Await.until("echo 1.0.0", () -> host.find("echo").isPresent(), host::plugins);
        RegisteredEngine old = host.find("echo").orElseThrow();

        TestPluginJars.plugin("echo").version("2.0.0").lifecycle().engine("echo").moveTo(dir, "echo.jar");
        Await.until("echo 2.0.0", () -> "2.0.0".equals(record("echo.jar").map(PluginRecord::version).orElse(null))
                && host.find("echo").isPresent(), host::plugins);
        awaitEvent("added:echo:2.0.0");

        RegisteredEngine current = host.find("echo").orElseThrow();
        assertEquals("2.0.0", RecordingListener.versionOf(current));
        assertNotSame(old.engine().getClass(), current.engine().getClass(), "classes of the new jar");
        assertTrue(PluginHostTest.isClosed(old.engine().getClass().getClassLoader()), "old class loader closed");
        assertFalse(PluginHostTest.isClosed(current.engine().getClass().getClassLoader()));
        assertEquals(List.of("added:echo:1.0.0", "removing:echo:1.0.0", "added:echo:2.0.0"), listener.events);
        assertEquals(1, host.plugins().size());
    }

    @Test
    void jarOverwrittenInPlaceIsReloaded() throws IOException {
        TestPluginJars.plugin("echo").version("1.0.0").engine("echo").writeTo(dir, "echo.jar");
        Await.until("echo 1.0.0", () -> host.find("echo").isPresent(), host::plugins);
        TestPluginJars.plugin("echo").version("1.0.1").engine("echo").writeTo(dir, "echo.jar");
        Await.until("echo 1.0.1", () -> "1.0.1".equals(record("echo.jar").map(PluginRecord::version).orElse(null))
                && host.find("echo").isPresent(), host::plugins);
        assertEquals("1.0.1", RecordingListener.versionOf(host.find("echo").orElseThrow()));
    }

    @Test
    void brokenJarDroppedInIsRecordedAndAFixedOneReplacesIt() throws IOException {
        TestPluginJars.plugin("good").engine("good").moveTo(dir, "good.jar");
        TestPluginJars.moveIn(dir, "echo.jar", "not a jar".getBytes());
        awaitState("echo.jar", State.FAILED);
        assertTrue(record("echo.jar").orElseThrow().lastError().contains("Not a readable jar"));
        awaitState("good.jar", State.STARTED);

        TestPluginJars.plugin("echo").engine("echo").moveTo(dir, "echo.jar");
        awaitState("echo.jar", State.STARTED);
        assertTrue(host.find("echo").isPresent());
        assertTrue(host.find("good").isPresent());
    }

    @Test
    void dependentWaitsForItsDependencyAndFollowsItsReplacement() throws IOException {
        TestPluginJars.plugin("needy").dependencies("base").lifecycle().engine("needy").moveTo(dir, "needy.jar");
        awaitState("needy.jar", State.FAILED);
        assertTrue(record("needy.jar").orElseThrow().lastError().contains("Missing plugin dependency 'base'"));

        TestPluginJars.plugin("base").version("1.0.0").lifecycle().engine("base").moveTo(dir, "base.jar");
        awaitState("needy.jar", State.STARTED);
        assertTrue(host.find("needy").isPresent());
        awaitEvent("added:needy:1.0.0");

        // Replacing the dependency takes the dependent down first, then brings it back.
        listener.events.clear();
        TestPluginJars.plugin("base").version("1.1.0").lifecycle().engine("base").moveTo(dir, "base.jar");
        Await.until("base 1.1.0 and needy back", () -> "1.1.0".equals(record("base.jar").orElseThrow().version())
                && host.find("needy").isPresent(), host::plugins);
        awaitEvent("added:needy:1.0.0");
        assertEquals(List.of("removing:needy:1.0.0", "removing:base:1.0.0", "added:base:1.1.0", "added:needy:1.0.0"),
                listener.events);

        Files.delete(dir.resolve("base.jar"));
        awaitState("needy.jar", State.FAILED);
        assertTrue(host.names().isEmpty(), host.names()::toString);
    }

    @Test
    void closingStopsTheWatcher() throws IOException, InterruptedException {
        host.close();
        TestPluginJars.plugin("late").engine("late").moveTo(dir, "late.jar");
        // Give a running watcher several debounce periods to misbehave; nothing may be loaded.
        long deadline = System.nanoTime() + DEBOUNCE.multipliedBy(4).toNanos();
        while (System.nanoTime() < deadline) {
            assertTrue(host.find("late").isEmpty());
            Thread.sleep(10);
        }
        assertTrue(host.plugins().isEmpty());
    }
}
