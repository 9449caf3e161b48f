package io.wagateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.wagateway.testing.ApiClient;
import io.wagateway.testing.TestGateway;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The OpenAPI document served at {@code /openapi} against the routes the gateway really has: every
 * route the REST services declare is documented, and every documented path and method gets a real
 * answer (not the catch-all "No such endpoint" nor 405).
 */
class OpenApiDocumentTest {

    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");
    private static final List<Integer> ERROR_STATUSES = List.of(400, 401, 403, 404, 409, 413, 429);

    private static TestGateway gw;
    private static Map<String, Object> document;

    @BeforeAll
    static void start() {
        gw = TestGateway.start(Map.of());
        ApiClient.Response r = gw.api().get("/openapi");
        assertEquals(200, r.status(), r.body());
        document = new Yaml().load(r.body());
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    @Test
    void isServedWithoutATokenAsYamlAndAsJson() {
        ApiClient.Response yaml = gw.api().get("/openapi");
        assertTrue(yaml.raw().headers().firstValue("Content-Type").orElse("").contains("yaml")
                        || yaml.raw().headers().firstValue("Content-Type").orElse("").contains("openapi"),
                yaml.raw().headers().map().toString());
        assertEquals("3.0.3", document.get("openapi"));
        ApiClient.Response json = gw.api().get("/openapi?format=JSON");
        assertEquals(200, json.status(), json.body());
        JsonNode parsed = json.json();
        assertEquals(documented(), documented(parsed));
    }

    @Test
    void everyRouteTheServicesDeclareIsDocumented() {
        Set<String> declared = new TreeSet<>();
        gw.gateway().apiServices(1).forEach((mount, service) -> declared.addAll(RecordingRules.of(mount, service)));
        assertTrue(declared.contains("POST /api/sessions/{id}/messages"), declared.toString());
        Set<String> documentedApi = new TreeSet<>(documented());
        documentedApi.removeIf(route -> !route.split(" ")[1].startsWith("/api/"));
        Set<String> undocumented = new TreeSet<>(declared);
        undocumented.removeAll(documentedApi);
        assertEquals(Set.of(), undocumented, "routes the server answers but openapi.yaml lacks");
        Set<String> unrouted = new TreeSet<>(documentedApi);
        unrouted.removeAll(declared);
        assertEquals(Set.of(), unrouted, "routes openapi.yaml lists but no service declares");
    }

    @Test
    void everyDocumentedRouteGetsARealAnswer() {
        List<String> unanswered = new ArrayList<>();
        for (String route : documented()) {
            String method = route.split(" ")[0];
            String path = route.split(" ")[1].replaceAll("\\{[^}]+}", "no-such-thing");
            ApiClient.Response r = probe(method, path);
            if (!answered(r) || (!path.startsWith("/api/") && r.status() != 200)) {
                unanswered.add(route + " -> " + r.status() + " " + r.body());
            }
        }
        assertEquals(List.of(), unanswered);
    }

    @Test
    void theProbeTellsAMissingRouteFromARealAnswer() {
        assertFalse(answered(probe("GET", "/api/sessions/no-such-thing/nothing-here")));
        assertFalse(answered(probe("PUT", "/api/sessions")));
        assertTrue(answered(probe("GET", "/api/sessions/no-such-thing")));
    }

    @Test
    void declaresTheBearerSchemeAndTheErrorShape() {
        Map<String, Object> components = map(document.get("components"));
        Map<String, Object> bearer = map(map(components.get("securitySchemes")).get("bearer"));
        assertEquals("http", bearer.get("type"));
        assertEquals("bearer", bearer.get("scheme"));
        assertEquals(List.of(Map.of("bearer", List.of())), document.get("security"));
        Map<String, Object> error = map(map(map(components.get("schemas")).get("Error")).get("properties"));
        assertEquals(Set.of("code", "message"), map(map(error.get("error")).get("properties")).keySet());
        Map<String, Object> login = operation("/api/auth/login", "post");
        assertEquals(List.of(), login.get("security"), "login needs no token");
        assertEquals(List.of(), operation("/openapi", "get").get("security"), "/openapi needs no token");
        Set<Integer> errorsSeen = new TreeSet<>();
        for (Map<String, Object> op : operations()) {
            map(op.get("responses")).keySet().forEach(code -> errorsSeen.add(Integer.parseInt(code)));
        }
        assertTrue(errorsSeen.containsAll(ERROR_STATUSES), errorsSeen.toString());
        List<String> header = new ArrayList<>();
        for (Object p : (List<?>) operation("/api/sessions/{id}/messages", "post").get("parameters")) {
            header.add(map(p).get("in") + ":" + map(p).get("name"));
        }
        assertEquals(List.of("header:Idempotency-Key"), header);
    }

    /** Not the catch-all's 404 "No such endpoint", not a 405: a handler answered. */
    private static boolean answered(ApiClient.Response r) {
        boolean catchAll = r.status() == 404 && r.body().contains("No such endpoint");
        return !catchAll && r.status() != 405 && !(r.status() == 404 && r.body().isBlank());
    }

    private static ApiClient.Response probe(String method, String path) {
        HttpRequest.BodyPublisher body = Set.of("POST", "PUT", "PATCH").contains(method)
                ? HttpRequest.BodyPublishers.ofString("{}") : HttpRequest.BodyPublishers.noBody();
        // A token of its own for each probe: probing POST /api/auth/logout revokes the token it used,
        // and a 401 for every later probe would look like an answer from every route.
        ApiClient caller = gw.api().loginAdmin();
        return caller.send(caller.builder(path).header("Content-Type", "application/json").method(method, body));
    }

    /** "METHOD /path" for every operation in the document. */
    private static Set<String> documented() {
        Set<String> routes = new TreeSet<>();
        map(document.get("paths")).forEach((path, item) -> map(item).keySet().stream().filter(METHODS::contains)
                .forEach(m -> routes.add(m.toUpperCase(Locale.ROOT) + " " + path)));
        return routes;
    }

    private static Set<String> documented(JsonNode json) {
        Set<String> routes = new TreeSet<>();
        json.get("paths").properties().forEach(path -> path.getValue().propertyStream()
                .filter(m -> METHODS.contains(m.getKey()))
                .forEach(m -> routes.add(m.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey())));
        return routes;
    }

    private static List<Map<String, Object>> operations() {
        List<Map<String, Object>> ops = new ArrayList<>();
        map(document.get("paths")).values().forEach(item -> map(item).forEach((m, op) -> {
            if (METHODS.contains(m)) {
                ops.add(map(op));
            }
        }));
        return ops;
    }

    private static Map<String, Object> operation(String path, String method) {
        return map(map(map(document.get("paths")).get(path)).get(method));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        assertTrue(o instanceof Map, "expected a mapping, got " + o);
        return (Map<String, Object>) o;
    }
}
