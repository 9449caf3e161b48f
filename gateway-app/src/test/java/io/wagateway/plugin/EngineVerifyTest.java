package io.wagateway.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wagateway.plugin.PluginRecord.Extension;
import io.wagateway.plugin.PluginRecord.State;
import io.wagateway.testing.TestPluginSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code WhatsAppEngine.verify(PluginConfig)}, the engine's own check when its plugin is loaded, with
 * real jars and real PF4J: it gets the validated configuration before the engine is registered; its
 * {@code PluginException} marks the plugin FAILED with exactly its message, registers nothing (not
 * the plugin's sinks either) and leaves the other plugins alone. Its deadline is in
 * {@link PluginDeadlineTest}.
 */
class EngineVerifyTest {

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

    private void start(Map<String, Map<String, String>> engineConfig) throws IOException {
        TestPluginJars.plugin("good").lifecycle().engine("good").writeTo(dir, "good.jar");
        host = new PluginHost(TestPluginSettings.of(dir, false, Duration.ofMillis(50), engineConfig, Map.of()));
        host.addListener(listener);
        host.start();
    }

    private static final String KEYS = """
            @Override public java.util.List<ConfigKey> configKeys() {
                return java.util.List.of(new ConfigKey("tool", ConfigKey.Type.STRING, "/usr/bin/tool", "the tool"),
                        new ConfigKey("retries", ConfigKey.Type.LONG, "3", "retries"));
            }
            """;

    @Test
    void aRefusingEngineFailsItsPluginWithItsOwnMessageAndRegistersNothing() throws IOException {
        TestPluginJars.plugin("picky").lifecycle()
                .engine("picky", KEYS + """
                        @Override public void verify(PluginConfig config) {
                            throw new PluginException("The picky engine needs " + config.getString("tool")
                                    + ": install it or set gateway.engines.picky.tool");
                        }
                        """)
                .sink("picky-sink")
                .writeTo(dir, "picky.jar");
        start(Map.of("picky", Map.of("tool", "/opt/missing/tool")));

        PluginRecord picky = host.plugin("picky").orElseThrow();
        assertEquals(State.FAILED, picky.state(), picky::toString);
        assertEquals("The picky engine needs /opt/missing/tool: install it or set gateway.engines.picky.tool", picky.lastError());
        assertTrue(picky.extensions().isEmpty(), picky::toString);
        assertTrue(host.find("picky").isEmpty());
        assertTrue(host.sinks().isEmpty(), "all or nothing: the plugin's sink is not started");
        assertTrue(TestInbox.entries().contains("stop:picky"), "the plugin was stopped again: " + TestInbox.entries());
        assertEquals(State.STARTED, host.plugin("good").orElseThrow().state());
        assertEquals(List.of("added:good:1.0.0"), listener.events, "only the good engine was offered");
    }

    @Test
    void aPassingEngineIsVerifiedOnceWithItsValidatedConfigurationBeforeItIsOffered() throws IOException {
        TestPluginJars.plugin("fine").lifecycle()
                .engine("fine", KEYS + """
                        @Override public void verify(PluginConfig config) {
                            io.wagateway.plugin.TestInbox.record("verify:" + config.getString("tool") + ":" + config.getLong("retries"));
                        }
                        """)
                .writeTo(dir, "fine.jar");
        start(Map.of("fine", Map.of("retries", "7")));

        PluginRecord fine = host.plugin("fine").orElseThrow();
        assertEquals(State.STARTED, fine.state(), fine::toString);
        assertNull(fine.lastError());
        assertEquals(List.of(Extension.engine("fine")), fine.extensions());
        assertEquals(List.of("start:fine", "verify:/usr/bin/tool:7", "added:fine:1.0.0"),
                TestInbox.entries().stream().filter(e -> e.contains("fine") || e.startsWith("verify:")).toList(),
                "called once, after the plugin's start and before the engine is offered, with the defaults filled in");
        assertEquals(Map.of("tool", "/usr/bin/tool", "retries", "7"), host.find("fine").orElseThrow().config().asMap(),
                "the sessions get the same configuration");
    }

    @Test
    void anEngineThatThrowsSomethingElseIsABugNamedWithTheMethod() throws IOException {
        TestPluginJars.plugin("buggy").lifecycle()
                .engine("buggy", "@Override public void verify(PluginConfig config) { throw new IllegalStateException(\"boom\"); }")
                .writeTo(dir, "buggy.jar");
        start(Map.of());

        PluginRecord buggy = host.plugin("buggy").orElseThrow();
        assertEquals(State.FAILED, buggy.state(), buggy::toString);
        assertEquals("BuggyEngine.verify() failed: IllegalStateException: boom", buggy.lastError());
        assertFalse(host.find("buggy").isPresent());
        assertEquals(State.STARTED, host.plugin("good").orElseThrow().state());
    }
}
