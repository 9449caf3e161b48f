package io.wagateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PluginSettingsTest {

    @Test
    void readsTheGatewayNode() {
        Config config = Config.just(ConfigSources.create(Map.of(
                "gateway.plugins.dir", "/opt/gateway/plugins",
                "gateway.plugins.watch", "false",
                "gateway.plugins.debounce", "1s",
                "gateway.engines.simulator.qr-ttl", "20s",
                "gateway.engines.simulator.qr-max-attempts", "6",
                "gateway.sinks.webhook.url", "http://example.test/hook")));

        PluginSettings settings = PluginSettings.from(config.get("gateway"));

        assertEquals(Path.of("/opt/gateway/plugins"), settings.dir());
        assertEquals(false, settings.watch());
        assertEquals(Duration.ofSeconds(1), settings.debounce());
        assertEquals(Map.of("qr-ttl", "20s", "qr-max-attempts", "6"), settings.engineConfig("simulator"));
        assertEquals(Map.of("url", "http://example.test/hook"), settings.sinkConfig("webhook"));
        assertTrue(settings.engineConfig("other").isEmpty());
    }

    @Test
    void defaultsComeFromTheShippedApplicationYaml() {
        PluginSettings settings = PluginSettings.from(EnvOverrides.load(Map.of(), Map.of()).get("gateway"));
        assertEquals(Path.of("./plugins"), settings.dir());
        assertTrue(settings.watch());
        assertEquals(Duration.ofMillis(300), settings.debounce());
        assertEquals(Map.of("qr-first-ttl", "60s", "qr-ttl", "20s", "qr-max-attempts", "6"),
                settings.engineConfig("simulator"));
        assertTrue(settings.sinkConfig().isEmpty());
    }

    @Test
    void aMissingKeyIsNamedNotDefaulted() {
        Config config = Config.just(ConfigSources.create(Map.of(
                "gateway.plugins.dir", "/opt/gateway/plugins",
                "gateway.plugins.watch", "false")));
        ConfigException e = assertThrows(ConfigException.class, () -> PluginSettings.from(config.get("gateway")));
        assertEquals("gateway.plugins.debounce", e.key());
        assertTrue(e.getMessage().startsWith("gateway.plugins.debounce: is missing"), e.getMessage());
    }
}
