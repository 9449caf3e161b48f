package io.wagateway.plugins.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wagateway.api.ConfigKey;
import io.wagateway.api.ConfigKey.Type;
import io.wagateway.api.PluginConfig;
import io.wagateway.api.PluginException;
import io.wagateway.testkit.RecordingEngineContext;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class SimulatorSettingsTest {

    private final SimulatorEngine engine = new SimulatorEngine();

    @Test
    void engineIsNamedSimulator() {
        assertEquals("simulator", engine.name());
    }

    @Test
    void declaresEveryKeyWithTypeAndDefault() {
        Map<String, String> declared = engine.configKeys().stream().collect(Collectors.toMap(
                ConfigKey::name, k -> k.type() + " " + k.defaultValue(), (a, b) -> a, LinkedHashMap::new));

        assertEquals(Map.of(
                "qr-first-ttl", "DURATION 60s",
                "qr-ttl", "DURATION 20s",
                "qr-max-attempts", "LONG 6",
                "connect-delay", "DURATION 300ms",
                "ack-sent-delay", "DURATION 200ms",
                "ack-delivered-delay", "DURATION 500ms",
                "ack-read-delay", "DURATION 1s",
                "failure-rate", "DOUBLE 0.0"), declared);
        engine.configKeys().forEach(k -> assertFalse(k.doc().isBlank(), k.name()));
    }

    @Test
    void defaultsAreReadAsDeclared() {
        SimulatorSettings s = SimulatorSettings.from(PluginConfig.validate(engine.configKeys(), Map.of()));

        assertEquals(new SimulatorSettings(Duration.ofSeconds(60), Duration.ofSeconds(20), 6, Duration.ofMillis(300),
                Duration.ofMillis(200), Duration.ofMillis(500), Duration.ofSeconds(1), 0.0), s);
    }

    @ParameterizedTest
    @CsvSource({
            "failure-rate, 1.5",
            "failure-rate, -0.1",
            "qr-max-attempts, 0",
            "qr-ttl, 0ms",
            "qr-first-ttl, 0s"})
    void openRejectsOutOfRangeValues(String key, String value) {
        PluginConfig config = PluginConfig.validate(engine.configKeys(), Map.of(key, value));
        RecordingEngineContext context = new RecordingEngineContext(config);

        PluginException e = assertThrows(PluginException.class, () -> engine.open(context));
        assertTrue(e.getMessage().contains("'" + key + "'"), e.getMessage());
    }

    @Test
    void missingValuesAreAPluginException() {
        assertThrows(PluginException.class, () -> SimulatorSettings.from(PluginConfig.of(Map.of())));
    }

    @Test
    void boundaryFailureRatesAreAccepted() {
        assertEquals(1.0, settings("failure-rate", "1").failureRate());
        assertEquals(0.0, settings("failure-rate", "0").failureRate());
        assertEquals(Type.DOUBLE, engine.configKeys().stream()
                .filter(k -> k.name().equals("failure-rate")).findFirst().orElseThrow().type());
    }

    private SimulatorSettings settings(String key, String value) {
        return SimulatorSettings.from(PluginConfig.validate(engine.configKeys(), Map.of(key, value)));
    }
}
