package io.wagateway.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.wagateway.testing.ApiClient;
import io.wagateway.testing.TestGateway;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A user's sessions are bounded ({@code gateway.sessions.max-per-user}): each may hold an engine's resources. */
class SessionLimitTest {

    @Test
    void aUserMayHaveAtMostTheConfiguredSessionsAndAdminsAreNotBounded() {
        try (TestGateway gw = TestGateway.start(Map.of("gateway.sessions.max-per-user", "2"))) {
            ApiClient admin = gw.api().loginAdmin();
            ApiClient alice = admin.createUser("alice", "alice-password-1");
            ApiClient bob = admin.createUser("bob", "bob-password-12");
            String first = created(alice.post("/api/sessions", Map.of("name", "one")));
            created(alice.post("/api/sessions", Map.of("name", "two")));
            ApiClient.Response third = alice.post("/api/sessions", Map.of("name", "three"));
            assertEquals(409, third.status(), third.body());
            assertEquals("At most 2 sessions per user: delete one first", third.json().get("error").get("message").asText(),
                    third.body());
            created(bob.post("/api/sessions", Map.of("name", "bob's own")));
            for (int i = 0; i < 3; i++) {
                created(admin.post("/api/sessions", Map.of("name", "admin " + i)));
            }
            assertEquals(204, alice.delete("/api/sessions/" + first).status());
            created(alice.post("/api/sessions", Map.of("name", "three")));
        }
    }

    private static String created(ApiClient.Response r) {
        assertEquals(201, r.status(), r.body());
        return r.json().get("sessionId").asText();
    }
}
