package io.wagateway.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * What the hand-written runner before Flyway did to a database, kept for the hand-over tests: it
 * created {@code schema_version}, ran V1 and V2 statement by statement and recorded each one.
 */
final class LegacyRunner {

    static final List<String> SCRIPTS = List.of("V1__users_and_sessions.sql", "V2__credentials_and_messages.sql");

    private LegacyRunner() {
    }

    static void migrate(Connection c) throws SQLException {
        createTable(c);
        try (Statement s = c.createStatement()) {
            for (int i = 0; i < SCRIPTS.size(); i++) {
                for (String statement : statements(read(SCRIPTS.get(i)))) {
                    s.execute(statement);
                }
                record(c, i + 1, SCRIPTS.get(i).replaceAll("^V\\d+__|\\.sql$", "").replace('_', ' '));
            }
        }
    }

    static void createTable(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS schema_version (version INT NOT NULL PRIMARY KEY, "
                    + "description VARCHAR(200) NOT NULL, applied_at BIGINT NOT NULL)");
        }
    }

    /** The row the old runner wrote once a script had run. */
    static void record(Connection c, int version, String description) throws SQLException {
        try (var insert = c.prepareStatement(
                "INSERT INTO schema_version (version, description, applied_at) VALUES (?, ?, ?)")) {
            insert.setInt(1, version);
            insert.setString(2, description);
            insert.setLong(3, System.currentTimeMillis());
            insert.executeUpdate();
        }
    }

    /** The old runner's split: comment lines dropped, a statement ends with a line ending in ';'. */
    private static List<String> statements(String sql) {
        List<String> result = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : sql.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.startsWith("--") || trimmed.isEmpty()) {
                continue;
            }
            current.append(line).append('\n');
            if (trimmed.endsWith(";")) {
                String statement = current.toString().strip();
                result.add(statement.substring(0, statement.length() - 1));
                current.setLength(0);
            }
        }
        return result;
    }

    private static String read(String script) {
        try (InputStream in = LegacyRunner.class.getResourceAsStream("/db/migration/" + script)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
