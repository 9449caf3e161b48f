package io.wagateway.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wagateway.api.ConfigKey;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TestSinkContextTest {

    private static final List<ConfigKey> KEYS = List.of(
            new ConfigKey("url", ConfigKey.Type.STRING, null, "where to post"),
            new ConfigKey("timeout", ConfigKey.Type.DURATION, "10s", "how long to wait"));

    @Test
    void validatedFillsInDefaults() {
        TestSinkContext context = TestSinkContext.validated(KEYS, Map.of("url", "http://example.test"));
        assertEquals("http://example.test", context.config().getString("url"));
        assertEquals(Duration.ofSeconds(10), context.config().getDuration("timeout"));
    }

    @Test
    void validatedRefusesLikeTheHostNamingTheKey() {
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> TestSinkContext.validated(KEYS, Map.of()));
        assertTrue(missing.getMessage().startsWith("'url' is required"), missing.getMessage());
        IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class,
                () -> TestSinkContext.validated(KEYS, Map.of("url", "u", "timeout", "soon")));
        assertTrue(wrong.getMessage().startsWith("'timeout' must be a duration"), wrong.getMessage());
    }

    @Test
    void emptyHasNoValuesAndNullIsRefused() {
        assertTrue(TestSinkContext.empty().config().asMap().isEmpty());
        assertThrows(NullPointerException.class, () -> new TestSinkContext(null));
    }
}
