package io.wagateway.testing;

import io.helidon.dbclient.DbClient;
import io.wagateway.api.SessionStatus;
import io.wagateway.auth.Role;
import io.wagateway.auth.User;
import io.wagateway.auth.UserStore;
import io.wagateway.session.Session;
import io.wagateway.session.SessionStore;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;

/** Creates sessions for tests, in one place: through REST with the simulator engine, or stored directly. */
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

    /** @return the id of a new {@code CONNECTED} session of a new user, both stored directly (store tests) */
    public static String stored(DbClient db, String name) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        User owner = new User(UUID.randomUUID().toString(), "owner-of-" + name, "pbkdf2-sha256$210000$x$y", Role.USER, now);
        new UserStore(db).insert(owner);
        String id = name + "-" + now.toEpochMilli();
        new SessionStore(db).insert(new Session(id, name, owner.id(), "simulator", SessionStatus.CONNECTED,
                null, null, null, now, now));
        return id;
    }
}
