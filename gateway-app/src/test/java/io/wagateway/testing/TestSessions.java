package io.wagateway.testing;

import java.util.Map;

/** Creates sessions for tests, in one place, through REST with the simulator engine. */
public final class TestSessions {

    private TestSessions() {
    }

    /** @return the new session's id, owned by {@code owner} */
    public static String create(TestGateway gateway, ApiClient owner, String name) {
        ApiClient.Response created = owner.post("/api/sessions", Map.of("name", name, "engine", "simulator"));
        if (created.status() != 201) {
            throw new AssertionError("Creating session " + name + " failed: " + created.status() + " " + created.body());
        }
        return created.json().get("sessionId").asText();
    }
}
