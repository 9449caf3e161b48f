package io.wagateway.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.OptionalInt;

/**
 * The table {@value #TABLE} (version, description, applied_at) in which the hand-written runner
 * before Flyway recorded each script it applied: versions 1..n, in order, each once. Read once to
 * hand the database over to Flyway, then dropped: Flyway's baseline row keeps what it said.
 *
 * @param selectVersions the statement listing the recorded versions in ascending order
 * @param dropTable      the statement dropping the table
 */
record LegacySchemaVersion(String selectVersions, String dropTable) {

    static final String TABLE = "schema_version";

    boolean exists(Connection c) throws SQLException {
        return Tables.exists(c, TABLE);
    }

    /**
     * @return the newest version recorded, empty when none is
     * @throws IllegalStateException when the versions are not 1..n: the table was edited, and
     *                               guessing which scripts ran could apply one twice or skip one
     */
    OptionalInt highestVersion(Connection c) throws SQLException {
        int expected = 1;
        try (var s = c.createStatement(); var rs = s.executeQuery(selectVersions)) {
            while (rs.next()) {
                int version = rs.getInt(1);
                if (version != expected) {
                    throw new IllegalStateException(TABLE + " records version " + version + " where " + expected
                            + " was expected; fix the table before starting this version");
                }
                expected++;
            }
        }
        return expected == 1 ? OptionalInt.empty() : OptionalInt.of(expected - 1);
    }

    void drop(Connection c) throws SQLException {
        try (var s = c.createStatement()) {
            s.execute(dropTable);
        }
    }
}
