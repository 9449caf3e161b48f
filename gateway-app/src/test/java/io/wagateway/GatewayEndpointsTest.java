package io.wagateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.wagateway.testing.ApiClient;
import io.wagateway.testing.TestGateway;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The assembled gateway's health, metrics, CORS and plugin listing over real HTTP. */
class GatewayEndpointsTest {

    private static TestGateway gw;
    private static ApiClient admin;

    @BeforeAll
    static void start() {
        gw = TestGateway.start(Map.of("gateway.cors.origins", "https://app.example.com"));
        admin = gw.api().loginAdmin();
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    @Test
    void healthChecksTheDatabase() {
        ApiClient.Response r = gw.api().get("/observe/health");
        assertEquals(200, r.status(), r.body());
        assertEquals("UP", r.json().get("status").asText());
        JsonNode check = r.json().get("checks").get(0);
        assertEquals("database", check.get("name").asText());
        assertEquals("UP", check.get("status").asText());
    }

    @Test
    void metricsArePrometheusText() {
        ApiClient.Response r = gw.api().get("/observe/metrics");
        assertEquals(200, r.status());
        assertTrue(r.body().contains("# TYPE"), r.body());
    }

    @Test
    void theBuiltInSimulatorIsLoadedFromThePluginsDirectoryLikeAnyJar() {
        ApiClient.Response r = admin.get("/api/plugins");
        assertEquals(200, r.status(), r.body());
        JsonNode simulator = null;
        for (JsonNode p : r.json()) {
            if ("simulator".equals(p.path("id").asText())) {
                simulator = p;
            }
        }
        assertTrue(simulator != null, r.body());
        assertEquals("STARTED", simulator.get("state").asText());
        assertTrue(simulator.get("file").asText().endsWith(".jar"));
        assertEquals("engine", simulator.at("/extensions/0/type").asText());
        assertEquals("simulator", simulator.at("/extensions/0/name").asText());
        ApiClient user = admin.createUser("plain-user", "plain-user-password");
        assertEquals(403, user.get("/api/plugins").status());
        assertEquals(401, gw.api().get("/api/plugins").status());
    }

    @Test
    void corsAllowsOnlyConfiguredOrigins() {
        ApiClient anon = gw.api();
        ApiClient.Response allowed = anon.send(anon.builder("/api/auth/login")
                .header("Origin", "https://app.example.com").header("Access-Control-Request-Method", "POST")
                .method("OPTIONS", java.net.http.HttpRequest.BodyPublishers.noBody()));
        assertEquals(204, allowed.status());
        assertEquals("https://app.example.com",
                allowed.raw().headers().firstValue("Access-Control-Allow-Origin").orElse(""));
        ApiClient.Response refused = anon.send(anon.builder("/api/auth/login")
                .header("Origin", "https://evil.example.net").header("Access-Control-Request-Method", "POST")
                .method("OPTIONS", java.net.http.HttpRequest.BodyPublishers.noBody()));
        assertEquals(403, refused.status());
        assertTrue(refused.raw().headers().firstValue("Access-Control-Allow-Origin").isEmpty());
    }
}
