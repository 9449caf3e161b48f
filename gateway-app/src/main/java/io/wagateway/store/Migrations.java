package io.wagateway.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * Applies the versioned scripts {@code db/migration/V{n}__{description}.sql} in order, each once,
 * recording it in {@code schema_version}. Idempotent: a migrated database is left alone.
 * Scripts are listed in {@link #SCRIPTS} (the classpath cannot be listed reliably inside a jar).
 */
final class Migrations {

    private static final Logger LOG = Logger.getLogger(Migrations.class.getName());

    static final List<String> SCRIPTS = List.of(
            "V1__users_and_sessions.sql",
            "V2__credentials_and_messages.sql",
            "V4__message_handover.sql");

    private static final Pattern NAME = Pattern.compile("V(\\d+)__(.+)\\.sql");

    private final DataSource dataSource;

    Migrations(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** @return how many scripts were applied now */
    int migrate() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS schema_version (version INT NOT NULL PRIMARY KEY, "
                        + "description VARCHAR(200) NOT NULL, applied_at BIGINT NOT NULL)");
            }
            Set<Integer> applied = new HashSet<>();
            try (Statement s = c.createStatement(); var rs = s.executeQuery("SELECT version FROM schema_version")) {
                while (rs.next()) {
                    applied.add(rs.getInt(1));
                }
            }
            int count = 0;
            for (String script : SCRIPTS) {
                Matcher m = NAME.matcher(script);
                if (!m.matches()) {
                    throw new IllegalStateException("Bad migration name " + script);
                }
                int version = Integer.parseInt(m.group(1));
                if (applied.contains(version)) {
                    continue;
                }
                apply(c, version, m.group(2).replace('_', ' '), read(script));
                count++;
            }
            return count;
        }
    }

    private static void apply(Connection c, int version, String description, String sql) throws SQLException {
        // MariaDB commits DDL implicitly, so a script is not atomic there; each script is small and
        // the version row is written last, so a failed script is re-run after the fix.
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            for (String statement : statements(sql)) {
                s.execute(statement);
            }
            try (var insert = c.prepareStatement(
                    "INSERT INTO schema_version (version, description, applied_at) VALUES (?, ?, ?)")) {
                insert.setInt(1, version);
                insert.setString(2, description);
                insert.setLong(3, System.currentTimeMillis());
                insert.executeUpdate();
            }
            c.commit();
            LOG.info(() -> "Applied migration V" + version + " " + description);
        } catch (SQLException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(autoCommit);
        }
    }

    static List<String> statements(String sql) {
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
        if (!current.toString().isBlank()) {
            result.add(current.toString().strip());
        }
        return result;
    }

    private static String read(String script) {
        try (InputStream in = Migrations.class.getResourceAsStream("/db/migration/" + script)) {
            if (in == null) {
                throw new IllegalStateException("Missing migration script " + script);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
