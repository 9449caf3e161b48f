package io.wagateway.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.wagateway.testing.ApiClient;
import io.wagateway.testing.Await;
import io.wagateway.testing.TestGateway;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Session create, list, get, delete and ownership over real HTTP. */
class SessionsApiTest {

    private static TestGateway gw;
    private static ApiClient admin;
    private static ApiClient alice;
    private static ApiClient bob;

    @BeforeAll
    static void start() {
        gw = TestGateway.start(Map.of());
        admin = gw.api().loginAdmin();
        alice = admin.createUser("alice", "alice-password-1");
        bob = admin.createUser("bob", "bob-password-12");
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    @Test
    void createdSessionHasTheContractsIdAndFields() {
        long before = System.currentTimeMillis();
        ApiClient.Response r = alice.post("/api/sessions", Map.of("name", "Ini WG Baru"));
        assertEquals(201, r.status(), r.body());
        JsonNode s = r.json();
        String userId = alice.get("/api/auth/me").json().get("id").asText();
        String id = s.get("sessionId").asText();
        assertTrue(id.matches(java.util.regex.Pattern.quote(userId) + "-ini-wg-baru-\\d{13}"), id);
        long millis = Long.parseLong(id.substring(id.lastIndexOf('-') + 1));
        assertTrue(millis >= before && millis <= System.currentTimeMillis(), "epoch millis of creation");
        assertEquals("Ini WG Baru", s.get("name").asText());
        assertEquals(userId, s.get("userId").asText());
        assertEquals("simulator", s.get("engine").asText(), "the configured default engine");
        assertEquals("DISCONNECTED", s.get("status").asText());
        assertTrue(s.get("createdAt").asText().endsWith("Z"));
        assertEquals(s, alice.get("/api/sessions/" + id).json());
    }

    @Test
    void usersSeeOnlyTheirOwnSessionsAndAdminsSeeAll() {
        String a = alice.post("/api/sessions", Map.of("name", "alice-only")).json().get("sessionId").asText();
        String b = bob.post("/api/sessions", Map.of("name", "bob-only")).json().get("sessionId").asText();
        assertTrue(ids(alice.get("/api/sessions").json()).contains(a));
        assertFalse(ids(alice.get("/api/sessions").json()).contains(b));
        assertFalse(ids(bob.get("/api/sessions").json()).contains(a));
        assertTrue(ids(admin.get("/api/sessions").json()).containsAll(Set.of(a, b)));
        assertEquals(200, admin.get("/api/sessions/" + a).status(), "admins control every session");
    }

    @Test
    void qrImagesAreServed() {
        // Here, not with the lifecycle tests: their QR codes live for a few hundred milliseconds,
        // and serving the images must not race the code's expiry on a busy machine.
        String id = alice.post("/api/sessions", Map.of("name", "images")).json().get("sessionId").asText();
        assertEquals(202, alice.post("/api/sessions/" + id + "/start", null).status());
        Await.until("a pending QR code", () -> alice.get("/api/sessions/" + id + "/qr").status() == 200);
        ApiClient.Response svg = alice.get("/api/sessions/" + id + "/qr?format=svg");
        assertEquals(200, svg.status());
        assertEquals("image/svg+xml", svg.raw().headers().firstValue("Content-Type").orElse(""));
        assertTrue(svg.body().contains("<svg") && svg.body().contains("<path"));
        ApiClient.Response png = alice.get("/api/sessions/" + id + "/qr?format=png");
        assertEquals(200, png.status());
        assertEquals("image/png", png.raw().headers().firstValue("Content-Type").orElse(""));
        assertEquals(400, alice.get("/api/sessions/" + id + "/qr?format=gif").status());
        assertEquals(202, alice.post("/api/sessions/" + id + "/stop", null).status());
    }

    @Test
    void anotherUsersSessionIsExactlyLikeAMissingOne() {
        String a = alice.post("/api/sessions", Map.of("name", "private")).json().get("sessionId").asText();
        ApiClient.Response foreign = bob.get("/api/sessions/" + a);
        ApiClient.Response missing = bob.get("/api/sessions/" + a + "0");
        assertEquals(404, foreign.status());
        assertEquals("NOT_FOUND", foreign.errorCode());
        assertEquals(404, missing.status());
        for (String action : new String[] {"start", "stop", "logout", "actions/scan", "messages"}) {
            assertEquals(404, bob.post("/api/sessions/" + a + "/" + action, Map.of("to", "+628", "text", "x")).status(),
                    action);
        }
        assertEquals(404, bob.get("/api/sessions/" + a + "/qr").status());
        assertEquals(404, bob.get("/api/sessions/" + a + "/messages").status());
        assertEquals(404, bob.delete("/api/sessions/" + a).status());
        assertEquals(200, alice.get("/api/sessions/" + a).status(), "bob's attempts changed nothing");
    }

    @Test
    void deleteRemovesTheSession() {
        String a = alice.post("/api/sessions", Map.of("name", "short-lived")).json().get("sessionId").asText();
        assertEquals(204, alice.delete("/api/sessions/" + a).status());
        assertEquals(404, alice.get("/api/sessions/" + a).status());
        assertEquals(404, alice.delete("/api/sessions/" + a).status());
        assertFalse(ids(alice.get("/api/sessions").json()).contains(a));
    }

    @Test
    void invalidCreationsAre400() {
        assertValidation(alice.post("/api/sessions", Map.of()));
        assertValidation(alice.post("/api/sessions", Map.of("name", "")));
        assertValidation(alice.post("/api/sessions", Map.of("name", "   ")));
        assertValidation(alice.post("/api/sessions", Map.of("name", 12)));
        assertValidation(alice.post("/api/sessions", Map.of("name", "x".repeat(101))));
        assertValidation(alice.post("/api/sessions", Map.of("name", "ok", "engine", "no-such-engine")));
        assertValidation(alice.postRaw("/api/sessions", "{\"name\":\"a\"} trailing", Map.of()));
        assertEquals(401, gw.api().post("/api/sessions", Map.of("name", "anon")).status());
    }

    @Test
    void qrIs404WhenNoneIsPending() {
        String a = alice.post("/api/sessions", Map.of("name", "idle")).json().get("sessionId").asText();
        ApiClient.Response r = alice.get("/api/sessions/" + a + "/qr");
        assertEquals(404, r.status());
        assertEquals("NOT_FOUND", r.errorCode());
    }

    private static Set<String> ids(JsonNode list) {
        return StreamSupport.stream(list.spliterator(), false).map(n -> n.get("sessionId").asText())
                .collect(Collectors.toSet());
    }

    private static void assertValidation(ApiClient.Response r) {
        assertEquals(400, r.status(), r.body());
        assertEquals("VALIDATION_ERROR", r.errorCode(), r.body());
    }
}
