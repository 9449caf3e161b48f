package io.wagateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The REST port's connection limits: safe defaults from the shipped yaml, and errors naming the key. */
class HttpLimitSettingsTest {

    private static GatewaySettings.Http load(Map<String, String> extra) {
        return GatewaySettings.from(EnvOverrides.load(Map.of(), extra).get("gateway")).http();
    }

    @Test
    void defaultsBoundEverySlowClient() {
        GatewaySettings.Http http = load(Map.of());
        assertEquals(Duration.ofSeconds(30), http.idleTimeout());
        assertEquals(Duration.ofSeconds(20), http.headerTimeout());
        assertEquals(Duration.ofSeconds(30), http.bodyTimeout());
        assertEquals(64, http.maxConnectionsPerAddress());
    }

    @Test
    void wrongValuesNameTheirKey() {
        for (var bad : Map.of("gateway.http.idle-timeout", "soon", "gateway.http.header-timeout", "0s",
                "gateway.http.body-timeout", "2h", "gateway.http.max-connections-per-address", "-1").entrySet()) {
            ConfigException e = assertThrows(ConfigException.class, () -> load(Map.of(bad.getKey(), bad.getValue())));
            assertEquals(bad.getKey(), e.key());
        }
    }
}
