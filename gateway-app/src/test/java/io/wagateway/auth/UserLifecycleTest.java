package io.wagateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.wagateway.testing.OnBothDatabases;
import io.wagateway.testing.ApiClient;
import io.wagateway.testing.TestDatabases;
import io.wagateway.testing.TestGateway;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.StreamSupport;

/** The user lifecycle routes over real HTTP, on H2 and on MariaDB. */
class UserLifecycleTest {

    @OnBothDatabases
    void usersHaveALifecycle(Supplier<TestDatabases.Target> database) {
        try (TestDatabases.Target db = database.get();
             TestGateway gw = TestGateway.start(new HashMap<>(TestDatabases.overrides(db)))) {
            ApiClient anonymous = gw.api();
            ApiClient admin = anonymous.loginAdmin();

            // Unique as compared lower-cased, on both databases.
            assertEquals(409, admin.post("/api/users", Map.of("username", "ADMIN", "password", "0123456789ab")).status());
            ApiClient bob = admin.createUser("bob", "bob-password-1");
            assertEquals(409, admin.post("/api/users", Map.of("username", "Bob", "password", "0123456789ab")).status());
            String bobId = id(bob);
            assertTrue(user(admin, bobId).get("enabled").asBoolean(), "GET /api/users shows enabled");

            // Demotion: the old ADMIN token is refused at once, never acting as ADMIN again.
            ApiClient carol = promoted(gw, admin, "carol");
            assertEquals(200, carol.get("/api/users").status());
            ApiClient.Response demoted = admin.patch("/api/users/" + id(carol), Map.of("role", "USER"));
            assertEquals(200, demoted.status());
            assertEquals("USER", demoted.json().get("role").asText());
            assertEquals(401, carol.get("/api/users").status(), "the demoted user's old token");
            assertEquals(403, anonymous.login("carol", "carol-password-1").get("/api/users").status());

            // Disable: login refused like a wrong password, tokens refused; enable again.
            ApiClient.Response wrong = anonymous.post("/api/auth/login", Map.of("username", "bob", "password", "nope-nope-nope"));
            assertEquals(200, admin.patch("/api/users/" + bobId, Map.of("enabled", false)).status());
            assertFalse(user(admin, bobId).get("enabled").asBoolean());
            assertEquals(401, bob.get("/api/auth/me").status());
            ApiClient.Response disabled = anonymous.post("/api/auth/login", Map.of("username", "bob", "password", "bob-password-1"));
            assertEquals(401, disabled.status());
            assertEquals(wrong.json().at("/error/message"), disabled.json().at("/error/message"));
            assertEquals(200, admin.patch("/api/users/" + bobId, Map.of("enabled", true)).status());
            bob = anonymous.login("bob", "bob-password-1");

            // Admin reset: old token and old password end.
            assertEquals(204, admin.post("/api/users/" + bobId + "/password", Map.of("password", "bob-password-2")).status());
            assertEquals(401, bob.get("/api/auth/me").status());
            assertEquals(401, anonymous.post("/api/auth/login", Map.of("username", "bob", "password", "bob-password-1")).status());
            bob = anonymous.login("bob", "bob-password-2");

            // Own change: the current password is proven; the answer carries the only valid token.
            assertEquals(401, bob.post("/api/auth/password",
                    Map.of("currentPassword", "not-bobs-password", "newPassword", "bob-password-3")).status());
            ApiClient.Response changed = bob.post("/api/auth/password",
                    Map.of("currentPassword", "bob-password-2", "newPassword", "bob-password-3"));
            assertEquals(200, changed.status(), changed.body());
            assertEquals(401, bob.get("/api/auth/me").status());
            bob = anonymous.withToken(changed.json().get("token").asText());
            assertEquals(200, bob.get("/api/auth/me").status());

            // Logout revokes that token only.
            ApiClient bobElsewhere = anonymous.login("bob", "bob-password-3");
            assertEquals(204, bob.post("/api/auth/logout", null).status());
            assertEquals(401, bob.get("/api/auth/me").status());
            assertEquals(200, bobElsewhere.get("/api/auth/me").status());

            // The last enabled admin stays.
            String adminId = id(admin);
            assertEquals(409, admin.patch("/api/users/" + adminId, Map.of("role", "USER")).status());
            assertEquals(409, admin.patch("/api/users/" + adminId, Map.of("enabled", false)).status());
            assertEquals(409, admin.delete("/api/users/" + adminId).status());
            assertEquals(200, admin.get("/api/users").status(), "the refused changes changed nothing");

            // Delete: the user's sessions go with them; their token is 401, never 500.
            assertEquals(201, bobElsewhere.post("/api/sessions", Map.of("name", "bob phone")).status());
            ApiClient dave = promoted(gw, admin, "dave");
            assertEquals(204, admin.delete("/api/users/" + bobId).status());
            assertEquals(401, bobElsewhere.post("/api/sessions", Map.of("name", "again")).status());
            assertEquals(0, admin.get("/api/sessions").json().size(), "bob's session was removed with him");
            assertEquals(204, admin.delete("/api/users/" + id(dave)).status());
            assertEquals(401, dave.get("/api/users").status(), "a deleted admin's token lists nothing");
            assertEquals(404, admin.delete("/api/users/" + bobId).status());
            assertEquals(404, admin.patch("/api/users/" + bobId, Map.of("enabled", true)).status());
            assertEquals(401, anonymous.post("/api/auth/login", Map.of("username", "bob", "password", "bob-password-3")).status());

            // Only admins, and only sensible bodies.
            assertEquals(403, carol(anonymous).patch("/api/users/" + adminId, Map.of("enabled", false)).status());
            assertEquals(400, admin.patch("/api/users/" + id(carol(anonymous)), Map.of("enabled", "no")).status());
            assertEquals(400, admin.patch("/api/users/" + id(carol(anonymous)), Map.of()).status());
        }
    }

    private static ApiClient carol(ApiClient anonymous) {
        return anonymous.login("carol", "carol-password-1");
    }

    /** A new ADMIN, logged in. */
    private static ApiClient promoted(TestGateway gw, ApiClient admin, String name) {
        ApiClient.Response r = admin.post("/api/users", Map.of("username", name, "password", name + "-password-1",
                "role", "ADMIN"));
        assertEquals(201, r.status(), r.body());
        return gw.api().login(name, name + "-password-1");
    }

    private static String id(ApiClient client) {
        return client.get("/api/auth/me").json().get("id").asText();
    }

    private static JsonNode user(ApiClient admin, String id) {
        return StreamSupport.stream(admin.get("/api/users").json().spliterator(), false)
                .filter(u -> u.get("id").asText().equals(id)).findFirst().orElseThrow();
    }
}
