package io.wagateway.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wagateway.api.ConfigKey.Type;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Validation against declared keys, defaults, typed reads, and errors that name the key. */
class PluginConfigTest {

    private static final List<ConfigKey> KEYS = List.of(
            new ConfigKey("name", Type.STRING, "gateway", "a name"),
            new ConfigKey("retries", Type.LONG, "3", "how often"),
            new ConfigKey("rate", Type.DOUBLE, "0.5", "a fraction"),
            new ConfigKey("enabled", Type.BOOLEAN, "false", "on or off"),
            new ConfigKey("timeout", Type.DURATION, "10s", "how long"));

    private static PluginConfig validate(Map<String, String> raw) {
        return PluginConfig.validate(KEYS, raw);
    }

    private static IllegalArgumentException refused(List<ConfigKey> keys, Map<String, String> raw) {
        return assertThrows(IllegalArgumentException.class, () -> PluginConfig.validate(keys, raw));
    }

    @Test
    void defaultsFillInWhatIsNotConfigured() {
        PluginConfig config = validate(Map.of());
        assertEquals("gateway", config.getString("name"));
        assertEquals(3L, config.getLong("retries"));
        assertEquals(0.5, config.getDouble("rate"));
        assertFalse(config.getBoolean("enabled"));
        assertEquals(Duration.ofSeconds(10), config.getDuration("timeout"));
        assertEquals(Map.of("name", "gateway", "retries", "3", "rate", "0.5", "enabled", "false", "timeout", "10s"),
                config.asMap());
    }

    @Test
    void configuredValuesWinAndAreReadByType() {
        PluginConfig config = validate(Map.of("name", " spaced ", "retries", " -7 ", "rate", "1e-3", "enabled", "TRUE",
                "timeout", "PT1M"));
        assertEquals(" spaced ", config.getString("name"), "strings are kept as given");
        assertEquals(-7L, config.getLong("retries"), "numbers may have spaces around them");
        assertEquals(0.001, config.getDouble("rate"));
        assertTrue(config.getBoolean("enabled"), "booleans ignore case");
        assertEquals(Duration.ofMinutes(1), config.getDuration("timeout"));
    }

    @Test
    void undeclaredKeysAreKeptForFind() {
        PluginConfig config = validate(Map.of("extra", "x"));
        assertEquals(Optional.of("x"), config.find("extra"));
        assertEquals(Optional.of("3"), config.find("retries"));
        assertEquals(Optional.empty(), config.find("absent"));
    }

    @Test
    void requiredKeyMissingIsRefusedNamingTheKeyAndItsDoc() {
        List<ConfigKey> keys = List.of(new ConfigKey("url", Type.STRING, null, "where to post events"));
        assertTrue(keys.getFirst().required());
        assertEquals("'url' is required: where to post events", refused(keys, Map.of()).getMessage());
        assertEquals("http://x", PluginConfig.validate(keys, Map.of("url", "http://x")).getString("url"));
    }

    @ParameterizedTest(name = "{0} = ''{1}'' is refused")
    @CsvSource(delimiter = '|', value = {
            "retries | abc     | long",
            "retries | 1.5     | long",
            "retries | 99999999999999999999 | long",
            "rate    | lots    | double",
            "rate    | NaN     | double",
            "rate    | Infinity | double",
            "enabled | yes     | boolean",
            "enabled | 1       | boolean",
            "timeout | soon    | duration",
            "timeout | -5s     | duration",
            "timeout | PT-1S   | duration",
            "timeout | 10 days | duration"})
    void valueOfTheWrongTypeIsRefusedNamingTheKey(String key, String value, String type) {
        IllegalArgumentException e = refused(KEYS, Map.of(key, value));
        assertEquals("'" + key + "' must be a " + type + " but is '" + value + "'", e.getMessage());
        assertTrue(e.getCause() instanceof IllegalArgumentException, "the parse failure is kept as cause");
    }

    @Test
    void aWrongDefaultIsRefusedToo() {
        List<ConfigKey> keys = List.of(new ConfigKey("port", Type.LONG, "eighty", "the port"));
        assertEquals("'port' must be a long but is 'eighty'", refused(keys, Map.of()).getMessage());
    }

    @Test
    void theFirstBadKeyInDeclarationOrderIsNamed() {
        IllegalArgumentException e = refused(KEYS, Map.of("timeout", "x", "retries", "y"));
        assertTrue(e.getMessage().startsWith("'retries'"), e.getMessage());
    }

    @Test
    void readingAKeyWithoutValueNamesIt() {
        PluginConfig config = PluginConfig.of(Map.of());
        assertEquals("No value for 'missing'", assertThrows(IllegalArgumentException.class,
                () -> config.getString("missing")).getMessage());
        assertEquals("No value for 'missing'", assertThrows(IllegalArgumentException.class,
                () -> config.getDuration("missing")).getMessage());
    }

    @Test
    void ofTakesValuesAsTheyAreAndTypedReadsStillCheck() {
        PluginConfig config = PluginConfig.of(Map.of("retries", "many"));
        assertEquals("many", config.getString("retries"));
        assertThrows(NumberFormatException.class, () -> config.getLong("retries"));
    }

    @Test
    void isImmutable() {
        java.util.HashMap<String, String> raw = new java.util.HashMap<>(Map.of("retries", "4"));
        PluginConfig config = validate(raw);
        raw.put("retries", "5");
        assertEquals(4L, config.getLong("retries"), "later changes to the input do not show");
        assertThrows(UnsupportedOperationException.class, () -> config.asMap().put("retries", "6"));
    }

    @Test
    void toStringShowsKeysButNoValues() {
        String text = PluginConfig.of(Map.of("password", "hunter2")).toString();
        assertTrue(text.contains("password"), text);
        assertFalse(text.contains("hunter2"), "values may be secrets: " + text);
    }

    @ParameterizedTest(name = "''{0}'' is {1} ms")
    @CsvSource({
            "PT20S, 20000",
            "pt1m30s, 90000",
            "20s, 20000",
            "1.5s, 1500",
            "500ms, 500",
            "' 2 m ', 120000",
            "1h, 3600000",
            "250, 250",
            "0, 0",
            "10S, 10000"})
    void parseDurationAcceptsItsForms(String text, long millis) {
        assertEquals(Duration.ofMillis(millis), PluginConfig.parseDuration(text));
    }

    @ParameterizedTest(name = "''{0}'' is refused")
    @CsvSource({"-1, negative duration", "-2s, negative duration", "2d, not a duration", "ms, not a duration",
            "'', not a duration", "P, not a duration"})
    void parseDurationRefusesTheRest(String text, String reason) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PluginConfig.parseDuration(text));
        assertTrue(e.getMessage().startsWith(reason), e.getMessage());
        assertTrue(e.getMessage().endsWith(text), "the text is quoted back: " + e.getMessage());
    }
}
