package io.wagateway.testing;

import io.wagateway.session.SessionIds;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Map;

/**
 * Creates sessions for tests, in one place. Through REST with the {@code simulator} engine; until
 * engine plugins are wired into the host that answers 400 "Unknown engine", and the session row
 * is then written straight into the test gateway's embedded database (a DISCONNECTED session, as
 * REST would create it). Once the simulator is loaded, the REST path is taken and the fallback can go.
 */
public final class TestSessions {

    private TestSessions() {
    }

    /** @return the new session's id, owned by {@code owner} */
    public static String create(TestGateway gateway, ApiClient owner, String name) {
        ApiClient.Response created = owner.post("/api/sessions", Map.of("name", name, "engine", "simulator"));
        if (created.status() == 201) {
            return created.json().get("sessionId").asText();
        }
        if (created.status() != 400 || !created.body().contains("Unknown engine")) {
            throw new AssertionError("Creating session " + name + " failed: " + created.status() + " " + created.body());
        }
        String userId = owner.get("/api/auth/me").json().get("id").asText();
        return insert(gateway, userId, name);
    }

    private static String insert(TestGateway gateway, String userId, String name) {
        long now = System.currentTimeMillis();
        String sessionId = SessionIds.create(userId, name, now);
        // The same embedded database file the gateway holds open (same JVM, so H2 shares it).
        String url = "jdbc:h2:file:" + gateway.dataDir().toAbsolutePath().resolve("db").resolve("gateway")
                + ";MODE=MariaDB;DATABASE_TO_LOWER=TRUE;DB_CLOSE_ON_EXIT=FALSE";
        try (Connection c = DriverManager.getConnection(url, "gateway", "");
             PreparedStatement insert = c.prepareStatement("INSERT INTO sessions (id, user_id, name, engine, status, "
                     + "reason, phone_number, display_name, created_at, updated_at) VALUES (?, ?, ?, 'simulator', "
                     + "'DISCONNECTED', NULL, NULL, NULL, ?, ?)")) {
            insert.setString(1, sessionId);
            insert.setString(2, userId);
            insert.setString(3, name);
            insert.setLong(4, now);
            insert.setLong(5, now);
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new AssertionError("Inserting session " + name + " failed", e);
        }
        return sessionId;
    }
}
