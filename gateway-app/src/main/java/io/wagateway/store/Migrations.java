package io.wagateway.store;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;

/**
 * Migrates the schema with Flyway from the versioned scripts {@code db/migration/V{n}__{description}.sql},
 * recording them in {@value #HISTORY_TABLE}. A database migrated by the runner that came before Flyway
 * is handed over first (see {@link LegacySchemaVersion}), so its scripts are never applied twice.
 */
final class Migrations {

    /** Flyway's history table; not {@code schema_version}, the name the runner before Flyway used. */
    static final String HISTORY_TABLE = "flyway_schema_history";

    private final DataSource dataSource;
    private final LegacySchemaVersion legacy;

    Migrations(DataSource dataSource, LegacySchemaVersion legacy) {
        this.dataSource = dataSource;
        this.legacy = legacy;
    }

    /** @return how many scripts were applied now */
    int migrate() throws SQLException {
        handOverFromLegacyRunner();
        return configuration().load().migrate().migrationsExecuted;
    }

    private void handOverFromLegacyRunner() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            if (!legacy.exists(c)) {
                return;
            }
            // The baseline row is the hand-over: written once, before the legacy table goes, so a
            // crash between the two only leaves a redundant table for the next start to drop.
            var applied = legacy.highestVersion(c);
            if (applied.isPresent() && !Tables.exists(c, HISTORY_TABLE)) {
                configuration()
                        .baselineVersion(Integer.toString(applied.getAsInt()))
                        .baselineDescription("V1-V" + applied.getAsInt() + " applied before Flyway (" + LegacySchemaVersion.TABLE + ")")
                        .load()
                        .baseline();
            }
            legacy.drop(c);
        }
    }

    private FluentConfiguration configuration() {
        return Flyway.configure()
                .dataSource(dataSource)
                .table(HISTORY_TABLE)
                .locations("classpath:db/migration")
                .failOnMissingLocations(true)
                .validateMigrationNaming(true)
                .cleanDisabled(true);
    }
}
