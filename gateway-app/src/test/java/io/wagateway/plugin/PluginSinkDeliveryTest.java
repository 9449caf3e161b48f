package io.wagateway.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wagateway.api.SessionStatus;
import io.wagateway.api.SessionStatusChanged;
import io.wagateway.config.PluginSettings;
import io.wagateway.delivery.SinkDispatcher;
import io.wagateway.event.EventBus;
import io.wagateway.testing.Await;
import io.wagateway.testing.TestPluginSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sink dispatcher fed by a real plugin host: a sink of a plugin jar is started, fed and stopped in order. */
class PluginSinkDeliveryTest {

    private static final SinkDispatcher.Settings FAST =
            new SinkDispatcher.Settings(1_000, Duration.ofMillis(1), Duration.ofMillis(8), Duration.ofSeconds(5));

    @Test
    void deliversToSinksOfPluginJars(@TempDir Path dir) throws IOException {
        TestInbox.clear();
        TestPluginJars.plugin("audit").sink("audit", """
                @Override public java.util.List<ConfigKey> configKeys() {
                    return java.util.List.of(new ConfigKey("url", ConfigKey.Type.STRING, null, "where to"));
                }
                @Override public void start(SinkContext context) {
                    io.wagateway.plugin.TestInbox.record("audit-start:" + context.config().getString("url"));
                }
                @Override public void stop() { io.wagateway.plugin.TestInbox.record("audit-stop"); }
                """).writeTo(dir, "audit.jar");
        EventBus bus = new EventBus();
        try (PluginHost host = new PluginHost(TestPluginSettings.of(dir, false, Duration.ZERO, Map.of(),
                Map.of("audit", Map.of("url", "http://example.test/hook"))));
             SinkDispatcher dispatcher = new SinkDispatcher(bus, host, FAST, new io.wagateway.delivery.EventEnvelopes(io.wagateway.socket.EventPayloads::of))) {
            host.start();
            dispatcher.start();

            bus.publish(new SessionStatusChanged("s-7", "u1", SessionStatus.CONNECTING, null, null, null, Instant.now()));
            Await.until("audit:s-7", () -> TestInbox.entries().contains("audit:s-7"), TestInbox::entries);
            assertEquals(List.of("audit-start:http://example.test/hook", "audit:s-7"), TestInbox.entries());

            host.close(); // removes the sink: its worker stops before the sink's stop()
            assertTrue(dispatcher.status().isEmpty());
            assertEquals("audit-stop", TestInbox.entries().getLast());
        }
    }
}
