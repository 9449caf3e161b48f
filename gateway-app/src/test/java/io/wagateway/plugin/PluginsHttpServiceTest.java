package io.wagateway.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.Filter;
import io.wagateway.auth.Principal;
import io.wagateway.auth.Role;
import io.wagateway.config.PluginSettings;
import io.wagateway.http.ErrorHandlers;
import io.wagateway.http.Json;
import io.wagateway.testing.TestPluginSettings;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code /api/plugins} on a real Helidon server, with a real plugin host behind it. */
class PluginsHttpServiceTest {

    /** Stands in for the bearer filter: {@code X-Test-Role: ADMIN|USER} registers a principal. */
    private static final Filter TEST_AUTH = (chain, req, res) -> {
        req.headers().first(HeaderNames.create("X-Test-Role")).ifPresent(role -> req.context().register(
                new Principal("u-" + role, role.toLowerCase(), Role.valueOf(role), Instant.now().plusSeconds(60))));
        chain.proceed();
    };

    private static Path dir;
    private static PluginHost host;
    private static WebServer server;
    private static HttpClient client;

    @BeforeAll
    static void startServer() throws IOException {
        dir = Files.createTempDirectory("plugins-http");
        TestPluginJars.plugin("echo").version("1.2.0").engine("echo").writeTo(dir, "echo.jar");
        TestPluginJars.writeCorrupt(dir, "broken.jar");
        host = new PluginHost(TestPluginSettings.of(dir, false, Duration.ZERO, Map.of(), Map.of()));
        host.start();
        server = WebServer.builder()
                .port(0)
                .routing(routing -> {
                    routing.addFilter(TEST_AUTH);
                    routing.register("/api/plugins", new PluginsHttpService(host));
                    ErrorHandlers.register(routing);
                })
                .build()
                .start();
        client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    static void stopServer() throws IOException {
        if (server != null) {
            server.stop();
        }
        if (host != null) {
            host.close();
        }
        if (client != null) {
            client.close();
        }
        try (var files = Files.list(dir)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        Files.delete(dir);
    }

    private static HttpResponse<String> get(String path, String role) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + path))
                .timeout(Duration.ofSeconds(5));
        if (role != null) {
            request.header("X-Test-Role", role);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) throws IOException {
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"),
                response.headers()::toString);
        return Json.MAPPER.readTree(response.body());
    }

    @Test
    void adminGetsEveryPluginAsJson() throws Exception {
        HttpResponse<String> response = get("/api/plugins", "ADMIN");
        assertEquals(200, response.statusCode(), response::body);
        JsonNode body = json(response);
        assertTrue(body.isArray());
        assertEquals(2, body.size(), response::body);

        JsonNode broken = body.get(0);
        assertEquals("broken.jar", broken.get("file").asText());
        assertEquals("FAILED", broken.get("state").asText());
        assertTrue(broken.get("id").isNull());
        assertTrue(broken.get("lastError").asText().contains("Not a readable jar"));

        JsonNode echo = body.get(1);
        assertEquals("echo", echo.get("id").asText());
        assertEquals("1.2.0", echo.get("version").asText());
        assertEquals("echo.jar", echo.get("file").asText());
        assertEquals("STARTED", echo.get("state").asText());
        assertEquals(Json.MAPPER.readTree("[{\"type\":\"engine\",\"name\":\"echo\"}]"), echo.get("extensions"));
        assertTrue(echo.get("lastError").isNull());
        assertTrue(echo.get("updatedAt").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"),
                echo::toString);
        assertFalse(response.body().contains(dir.toString()), "no absolute paths");
    }

    @Test
    void adminGetsOnePluginOr404() throws Exception {
        HttpResponse<String> echo = get("/api/plugins/echo", "ADMIN");
        assertEquals(200, echo.statusCode(), echo::body);
        assertEquals("STARTED", json(echo).get("state").asText());

        HttpResponse<String> broken = get("/api/plugins/broken.jar", "ADMIN");
        assertEquals(200, broken.statusCode(), broken::body);
        assertEquals("FAILED", json(broken).get("state").asText());

        HttpResponse<String> missing = get("/api/plugins/nope", "ADMIN");
        assertEquals(404, missing.statusCode());
        assertEquals("NOT_FOUND", json(missing).at("/error/code").asText());
    }

    @Test
    void userIsForbidden() throws Exception {
        for (String path : new String[] {"/api/plugins", "/api/plugins/echo"}) {
            HttpResponse<String> response = get(path, "USER");
            assertEquals(403, response.statusCode(), path);
            JsonNode error = json(response).get("error");
            assertEquals("FORBIDDEN", error.get("code").asText());
            assertFalse(error.get("message").asText().isBlank());
        }
    }

    @Test
    void anonymousIsUnauthorized() throws Exception {
        HttpResponse<String> response = get("/api/plugins", null);
        assertEquals(401, response.statusCode());
        assertEquals("UNAUTHORIZED", json(response).at("/error/code").asText());
    }
}
