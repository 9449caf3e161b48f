package io.wagateway.plugins.rabbitmq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wagateway.api.ConfigKey;
import io.wagateway.api.PluginConfig;
import io.wagateway.api.PluginException;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The sink's configuration: declared keys, the disabled state, range checks, and a URI never shown. */
class RabbitMqSettingsTest {

    private static final String SECRET_URI = "amqp://gw:s3cret-pw@broker.example:5673/prod";

    private final RabbitMqSink sink = new RabbitMqSink();

    @Test
    void declaresEveryKeyWithTypeAndDefaultAndTheUriIsSecret() {
        Map<String, String> declared = sink.configKeys().stream().collect(Collectors.toMap(
                ConfigKey::name, k -> k.type() + " " + k.defaultValue(), (a, b) -> a, LinkedHashMap::new));

        assertEquals("rabbitmq", sink.name());
        assertEquals(Map.of(
                "uri", "SECRET ",
                "exchange", "STRING whatsapp-gateway.events",
                "connect-timeout", "DURATION 5s",
                "confirm-timeout", "DURATION 10s",
                "recovery-interval", "DURATION 2s",
                "heartbeat", "DURATION 30s"), declared);
        sink.configKeys().forEach(k -> assertFalse(k.doc().isBlank(), k.name()));
    }

    @Test
    void enabledOnlyWithAUri() {
        assertFalse(sink.enabled(config(Map.of())), "no uri: disabled");
        assertFalse(sink.enabled(config(Map.of("uri", "  "))), "blank uri: disabled");
        assertTrue(sink.enabled(config(Map.of("uri", SECRET_URI))));
    }

    @Test
    void defaultsAreReadAsDeclared() {
        RabbitMqSettings s = RabbitMqSettings.from(config(Map.of("uri", SECRET_URI)));

        assertEquals(new RabbitMqSettings(new BrokerUri(SECRET_URI), "whatsapp-gateway.events", Duration.ofSeconds(5),
                Duration.ofSeconds(10), Duration.ofSeconds(2), Duration.ofSeconds(30)), s);
    }

    @Test
    void textFormsNameTheBrokerButNotItsCredentials() {
        RabbitMqSettings s = RabbitMqSettings.from(config(Map.of("uri", SECRET_URI)));

        assertEquals("amqp://broker.example:5673/prod", s.uri().toString());
        assertFalse(s.toString().contains("s3cret"), s.toString());
        assertFalse(s.toString().contains("gw:"), s.toString());
        assertEquals("amqps://h:5671/", new BrokerUri("amqps://u:p@h").redacted());
        assertEquals("amqp://h:5672/", new BrokerUri("amqp://u:p@h").redacted());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "amqp://gw:s3cret pw@broker.example:5672",   // a space: not a URI
            "http://gw:s3cret-pw@broker.example:5672",   // not amqp
            "amqp://gw:s3cret-pw@:5672",                 // no host
            "gw:s3cret-pw"})
    void aBadUriIsRefusedWithoutShowingIt(String uri) {
        PluginException e = assertThrows(PluginException.class, () -> RabbitMqSettings.from(config(Map.of("uri", uri))));

        assertTrue(e.getMessage().contains("'uri'"), e.getMessage());
        for (Throwable t = e; t != null; t = t.getCause()) {
            assertFalse(String.valueOf(t.getMessage()).contains("s3cret"), "secret shown in: " + t);
        }
    }

    @ParameterizedTest
    @CsvSource({
            "exchange, amq.topic",
            "exchange, ' '",
            "connect-timeout, 10ms",
            "confirm-timeout, 0s",
            "recovery-interval, 1ms",
            "heartbeat, 500ms"})
    void outOfRangeValuesNameTheirKey(String key, String value) {
        Map<String, String> values = new HashMap<>(Map.of("uri", SECRET_URI));
        values.put(key, value);

        PluginException e = assertThrows(PluginException.class, () -> RabbitMqSettings.from(config(values)));

        assertTrue(e.getMessage().contains("'" + key + "'"), e.getMessage());
        assertFalse(e.getMessage().contains("s3cret"), e.getMessage());
    }

    @Test
    void startRefusesAMissingUri() {
        PluginException e = assertThrows(PluginException.class,
                () -> sink.start(io.wagateway.testkit.TestSinkContext.validated(sink.configKeys(), Map.of())));
        assertTrue(e.getMessage().contains("GATEWAY_RABBITMQ_URI"), e.getMessage());
    }

    private PluginConfig config(Map<String, String> values) {
        return PluginConfig.validate(sink.configKeys(), values);
    }
}
