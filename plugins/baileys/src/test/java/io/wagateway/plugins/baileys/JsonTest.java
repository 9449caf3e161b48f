package io.wagateway.plugins.baileys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void parsesEveryKindOfValue() {
        Map<String, Object> m = Json.parseObject(
                " {\"s\":\"a\\\"b\\\\c\\n\\u00fc\\/\",\"i\":-42,\"big\":12345678901234567890,\"d\":1.5e3,\"t\":true,\"f\":false,"
                        + "\"n\":null,\"a\":[1,[],{}],\"o\":{\"x\":{}}} ");
        assertEquals("a\"b\\c\nü/", m.get("s"));
        assertEquals(-42L, m.get("i"));
        assertEquals(1.2345678901234567e19, (Double) m.get("big"), 1e5);
        assertEquals(1500.0, m.get("d"));
        assertEquals(true, m.get("t"));
        assertEquals(false, m.get("f"));
        assertEquals(null, m.get("n"));
        assertEquals(Arrays.asList(1L, List.of(), Map.of()), m.get("a"));
        assertEquals(Map.of("x", Map.of()), m.get("o"));
    }

    @Test
    void refusesWhatIsNotExactlyOneValue() {
        for (String bad : List.of("", "{", "{\"a\":}", "{\"a\":1,}", "[1,]", "{a:1}", "\"open", "tru", "1 2", "{\"a\":1}x",
                "\"\\x\"", "\"\\u12\"", "\"tab\there\"", "-", "[".repeat(100) + "]".repeat(100))) {
            assertThrows(IllegalArgumentException.class, () -> Json.parse(bad), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> Json.parseObject("[1]"));
    }

    @Test
    void writesCompactJsonThatStaysOnOneLine() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("v", 1);
        m.put("s", "line\nbreak \"q\" \\ \u2028 \u0001");
        m.put("n", null);
        m.put("l", List.of(true, 2.5));
        String json = Json.write(m);
        assertEquals("{\"v\":1,\"s\":\"line\\nbreak \\\"q\\\" \\\\ \\u2028 \\u0001\",\"n\":null,\"l\":[true,2.5]}", json);
        assertEquals(m.get("s"), Json.parseObject(json).get("s"), "round trip");
        assertThrows(IllegalArgumentException.class, () -> Json.write(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> Json.write(new Object()));
    }
}
