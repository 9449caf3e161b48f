package io.wagateway.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wagateway.api.CredentialStore;
import io.wagateway.api.MessageStatus;
import io.wagateway.api.SessionStatus;
import io.wagateway.auth.PasswordHasher;
import io.wagateway.auth.Role;
import io.wagateway.auth.User;
import io.wagateway.auth.UserStore;
import io.wagateway.config.ConfigException;
import io.wagateway.session.CredentialRepository;
import io.wagateway.session.Message;
import io.wagateway.session.Message.StatusChange;
import io.wagateway.session.MessageStore;
import io.wagateway.session.Session;
import io.wagateway.session.SessionStore;
import io.wagateway.testing.TestDatabases;
import io.wagateway.testing.TestGateway;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Blob;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A database migrated by the runner before Flyway starts under Flyway with every row kept and no
 * script applied again. The embedded case opens a copy of {@code legacy-db/gateway.mv.db}, written
 * by the gateway at a8573eb; the MariaDB case rebuilds that state with {@link LegacyRunner} and the
 * same rows copied from that file.
 */
class LegacyHandOverTest {

    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private static final Instant T1 = T0.plusSeconds(60);
    private static final Instant T2 = T0.plusSeconds(120);
    private static final String USER_ID = "3f1c2a9e-5b7d-4e21-9a0b-6c8d7e5f4a31";
    private static final String SESSION_ID = USER_ID + "-legacy-phone-" + T0.toEpochMilli();
    /** Tables in foreign-key order, with the rows the legacy file holds. */
    private static final Map<String, Integer> ROWS = rows();

    private final List<AutoCloseable> cleanup = new ArrayList<>();

    @AfterEach
    void cleanUp() throws Exception {
        for (AutoCloseable c : cleanup.reversed()) {
            c.close();
        }
    }

    @Test
    void theLegacyEmbeddedFileKeepsEveryRow() throws Exception {
        Path dataDir = legacyCopy();
        try (Connection c = DriverManager.getConnection(Database.embeddedUrl(dataDir), "gateway", "")) {
            assertEquals(List.of(1, 2), legacyVersions(c), "the resource is a database of the old runner");
            assertFalse(Tables.exists(c, Migrations.HISTORY_TABLE));
        }
        try (Database db = Database.open(TestDatabases.embedded().settings(), dataDir)) {
            assertHandedOver(db);
        }
        try (Database db = Database.open(TestDatabases.embedded().settings(), dataDir)) {
            assertHandedOver(db);
        }
    }

    @Test
    void theLegacyStateOnMariaDbKeepsEveryRow() throws Exception {
        TestDatabases.Target target = TestDatabases.mariadb();
        cleanup.add(target);
        var settings = target.settings();
        Path dataDir = legacyCopy();
        try (Connection legacy = DriverManager.getConnection(settings.url(), settings.user(), settings.password());
             Connection source = DriverManager.getConnection(Database.embeddedUrl(dataDir), "gateway", "")) {
            LegacyRunner.migrate(legacy);
            for (String table : ROWS.keySet()) {
                copy(source, legacy, table);
            }
            assertEquals(List.of(1, 2), legacyVersions(legacy));
        }
        try (Database db = Database.open(settings, TestDatabases.tempDir())) {
            assertHandedOver(db);
        }
        try (Database db = Database.open(settings, TestDatabases.tempDir())) {
            assertHandedOver(db);
        }
    }

    @Test
    void aLegacyTableLeftBehindByAnInterruptedHandOverIsDroppedWithoutASecondBaseline() throws Exception {
        Path dataDir = legacyCopy();
        Database.open(TestDatabases.embedded().settings(), dataDir).close();
        try (Connection c = DriverManager.getConnection(Database.embeddedUrl(dataDir), "gateway", "")) {
            LegacyRunner.createTable(c);
            LegacyRunner.record(c, 1, "users and sessions");
            LegacyRunner.record(c, 2, "credentials and messages");
        }
        try (Database db = Database.open(TestDatabases.embedded().settings(), dataDir)) {
            assertHandedOver(db);
        }
    }

    @Test
    void aLegacyTableWithAGapIsRefusedAndLeftAsItWas() throws Exception {
        Path dataDir = tempDir();
        try (Connection c = DriverManager.getConnection(Database.embeddedUrl(dataDir), "gateway", "")) {
            LegacyRunner.createTable(c);
            LegacyRunner.record(c, 1, "users and sessions");
            LegacyRunner.record(c, 3, "from a newer gateway");
        }
        ConfigException e = assertThrows(ConfigException.class,
                () -> Database.open(TestDatabases.embedded().settings(), dataDir));
        assertTrue(e.getMessage().contains("schema_version records version 3 where 2 was expected"), e.getMessage());
        try (Connection c = DriverManager.getConnection(Database.embeddedUrl(dataDir), "gateway", "")) {
            assertEquals(List.of(1, 3), legacyVersions(c));
            assertFalse(Tables.exists(c, Migrations.HISTORY_TABLE), "nothing recorded for Flyway");
            assertFalse(Tables.exists(c, "users"), "no script applied");
        }
    }

    /** One baseline at V2, no script up to V2 run again, the legacy table gone, every row as the old gateway wrote it. */
    private static void assertHandedOver(Database db) throws SQLException {
        try (Connection c = db.dataSource().getConnection()) {
            // The old runner stopped at V2: Flyway baselines there and applies only the scripts after it.
            List<String> expected = new ArrayList<>(List.of("BASELINE 2"));
            TestDatabases.migrationVersions().stream().filter(v -> v > 2).forEach(v -> expected.add("SQL " + v));
            assertEquals(expected, history(c), "baselined once at the legacy version, nothing re-applied");
            assertFalse(Tables.exists(c, LegacySchemaVersion.TABLE), "the legacy table is dropped");
            for (var table : ROWS.entrySet()) {
                try (var s = c.createStatement(); var rs = s.executeQuery("SELECT COUNT(*) FROM " + table.getKey())) {
                    rs.next();
                    assertEquals(table.getValue(), rs.getInt(1), table.getKey());
                }
            }
        }
        assertTrue(db.ping());
        User alice = new UserStore(db.client()).findById(USER_ID).orElseThrow();
        assertEquals(new User(USER_ID, "alice", alice.passwordHash(), Role.ADMIN, T0), alice);
        assertTrue(new PasswordHasher().matches("alice-legacy-password", alice.passwordHash()));
        assertEquals(new Session(SESSION_ID, "legacy phone", USER_ID, "simulator", SessionStatus.CONNECTED, null,
                "+6281234567890", "Ünïcode 名前", T0, T0.plusSeconds(30)),
                new SessionStore(db.client()).find(SESSION_ID).orElseThrow());
        CredentialStore credentials = new CredentialRepository(db.client()).forSession(SESSION_ID);
        assertEquals(Set.of("creds", "keys/pre-key-1"), credentials.keys());
        assertArrayEquals("{\"v\":1,\"phone\":\"+6281234567890\"}".getBytes(StandardCharsets.UTF_8),
                credentials.get("creds").orElseThrow());
        assertArrayEquals(new byte[] {0, 1, 2, (byte) 0xfe, (byte) 0xff}, credentials.get("keys/pre-key-1").orElseThrow());
        Message read = new Message("9b2e4c61-0d3f-4a8e-b7c5-1e2f3a4b5c6d", SESSION_ID, "+6289876543210",
                "halo 👋 legacy", MessageStatus.READ, null, "key-legacy-1", T1, T1.plusMillis(90), T1.plusMillis(40),
                List.of(new StatusChange(MessageStatus.PENDING, T1, null),
                        new StatusChange(MessageStatus.SENT, T1.plusMillis(40), null),
                        new StatusChange(MessageStatus.DELIVERED, T1.plusMillis(40), null),
                        new StatusChange(MessageStatus.READ, T1.plusMillis(90), null)));
        Message failed = new Message("c4d5e6f7-8a9b-4c0d-9e1f-2a3b4c5d6e7f", SESSION_ID, "+6281111111111", "second",
                MessageStatus.FAILED, "recipient not on WhatsApp", null, T2, T2.plusMillis(15), null,
                List.of(new StatusChange(MessageStatus.PENDING, T2, null),
                        new StatusChange(MessageStatus.FAILED, T2.plusMillis(15), "recipient not on WhatsApp")));
        assertEquals(List.of(failed, read), new MessageStore(db.client()).list(SESSION_ID, 10));
        assertEquals(Optional.of(read), new MessageStore(db.client()).findByIdempotencyKey(SESSION_ID, "key-legacy-1"),
                "the key still finds its message (V10 moved it to a table of its own)");
    }

    private static List<String> history(Connection c) throws SQLException {
        List<String> rows = new ArrayList<>();
        // Flyway's own marker row (type TABLE, no version) is left out.
        try (var s = c.createStatement(); var rs = s.executeQuery("SELECT type, version, success FROM "
                + Migrations.HISTORY_TABLE + " WHERE version IS NOT NULL ORDER BY installed_rank")) {
            while (rs.next()) {
                assertTrue(rs.getBoolean("success"));
                rows.add(rs.getString("type") + " " + rs.getString("version"));
            }
        }
        return rows;
    }

    private static List<Integer> legacyVersions(Connection c) throws SQLException {
        List<Integer> versions = new ArrayList<>();
        try (var s = c.createStatement(); var rs = s.executeQuery("SELECT version FROM schema_version ORDER BY version")) {
            while (rs.next()) {
                versions.add(rs.getInt(1));
            }
        }
        return versions;
    }

    /** Copies a table's rows, column by column, from the legacy file into the MariaDB database. */
    private static void copy(Connection from, Connection to, String table) throws SQLException {
        try (var s = from.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM " + table)) {
            int columns = rs.getMetaData().getColumnCount();
            List<String> names = new ArrayList<>();
            for (int i = 1; i <= columns; i++) {
                names.add(rs.getMetaData().getColumnName(i));
            }
            String insert = "INSERT INTO " + table + " (" + String.join(", ", names) + ") VALUES ("
                    + String.join(", ", names.stream().map(n -> "?").toList()) + ")";
            try (var out = to.prepareStatement(insert)) {
                while (rs.next()) {
                    for (int i = 1; i <= columns; i++) {
                        Object value = rs.getObject(i);
                        out.setObject(i, value instanceof Blob blob ? blob.getBytes(1, (int) blob.length()) : value);
                    }
                    out.executeUpdate();
                }
            }
        }
    }

    private Path legacyCopy() throws Exception {
        Path dataDir = tempDir();
        Files.createDirectories(dataDir.resolve("db"));
        try (InputStream in = getClass().getResourceAsStream("/legacy-db/gateway.mv.db")) {
            Files.copy(in, dataDir.resolve("db").resolve("gateway.mv.db"));
        }
        return dataDir;
    }

    private Path tempDir() {
        Path dir = TestDatabases.tempDir();
        cleanup.add(() -> TestGateway.deleteTree(dir));
        return dir;
    }

    private static Map<String, Integer> rows() {
        Map<String, Integer> rows = new LinkedHashMap<>();
        rows.put("users", 1);
        rows.put("sessions", 1);
        rows.put("session_credentials", 2);
        rows.put("messages", 2);
        rows.put("message_status_history", 6);
        return rows;
    }
}
