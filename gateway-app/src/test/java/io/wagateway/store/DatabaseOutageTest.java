package io.wagateway.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.wagateway.testing.ApiClient;
import io.wagateway.testing.TestDatabases;
import io.wagateway.testing.TestGateway;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The database going away under a running gateway on MariaDB: clear errors, no leak, health DOWN. */
class DatabaseOutageTest {

    @Test
    void aVanishedDatabaseGivesJson500AndHealthDown() throws Exception {
        try (TestDatabases.Target db = TestDatabases.mariadb();
             TestGateway gw = TestGateway.start(TestDatabases.overrides(db))) {
            ApiClient alice = gw.api().loginAdmin().createUser("alice", "alice-password-1");
            assertEquals(201, alice.post("/api/sessions", Map.of("name", "before")).status());
            String url = db.settings().url();
            String name = url.substring(url.lastIndexOf('/') + 1);
            try (Connection c = DriverManager.getConnection(TestDatabases.mariadbServerUrl(), db.settings().user(),
                    db.settings().password())) {
                c.createStatement().execute("DROP DATABASE " + name);
            }
            ApiClient.Response r = alice.get("/api/sessions");
            assertEquals(500, r.status(), r.body());
            assertEquals("INTERNAL_ERROR", r.errorCode());
            assertFalse(r.body().contains("SQL") || r.body().contains(name) || r.body().contains("Exception"), r.body());
            ApiClient.Response health = gw.api().get("/observe/health");
            assertEquals(503, health.status(), health.body());
            assertEquals("DOWN", health.json().get("status").asText());
        }
    }
}
