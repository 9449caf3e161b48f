package io.wagateway.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbStatements;
import io.helidon.dbclient.jdbc.JdbcClientBuilder;
import io.wagateway.config.ConfigException;
import io.wagateway.config.GatewaySettings;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.logging.Logger;

/**
 * The gateway's database: a HikariCP pool handed to Helidon's JDBC client, the named statements of
 * {@code db/statements.yaml}, and the schema migrated at start-up. Embedded H2 (MariaDB mode, on
 * disk under the data directory) when no URL is configured, MariaDB otherwise.
 */
public final class Database implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Database.class.getName());

    private final HikariDataSource pool;
    private final Config statements;
    private final DbClient client;
    private final String description;

    private Database(HikariDataSource pool, String description) {
        this.pool = pool;
        this.description = description;
        this.statements = Config.just(ConfigSources.classpath("db/statements.yaml")).get("statements");
        this.client = JdbcClientBuilder.create()
                .connectionPool(() -> {
                    try {
                        return pool.getConnection();
                    } catch (SQLException e) {
                        throw new io.helidon.dbclient.DbClientException("No database connection: " + e.getMessage(), e);
                    }
                })
                .statements(DbStatements.create(statements))
                .build();
    }

    /**
     * Opens the pool and migrates the schema.
     *
     * @throws ConfigException when the database cannot be reached or migrated
     */
    public static Database open(GatewaySettings.Db db, Path dataDir) {
        HikariConfig hikari = new HikariConfig();
        String url = db.embedded() ? embeddedUrl(dataDir) : db.url();
        hikari.setJdbcUrl(url);
        if (db.embedded()) {
            hikari.setUsername("gateway");
            hikari.setPassword("");
        } else {
            hikari.setUsername(db.user());
            hikari.setPassword(db.password());
        }
        hikari.setMaximumPoolSize(db.poolSize());
        hikari.setConnectionTimeout(Math.max(250, db.connectTimeout().toMillis()));
        hikari.setPoolName("gateway-db");
        // Fail at start-up with a clear line rather than on the first request.
        hikari.setInitializationFailTimeout(Math.max(1, db.connectTimeout().toMillis()));
        String description = db.embedded() ? "embedded H2 at " + dataDir.resolve("db") : redact(url);
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(hikari);
        } catch (RuntimeException e) {
            throw new ConfigException(db.embedded() ? "gateway.data-dir" : "gateway.db.url",
                    "cannot open the database " + description + ": " + rootMessage(e));
        }
        Database database = new Database(pool, description);
        try {
            int applied = database.migrations().migrate();
            LOG.info(() -> "Database " + description + " ready (" + applied + " migration(s) applied)");
        } catch (SQLException | RuntimeException e) {
            database.close();
            throw new ConfigException("gateway.db.url", "cannot migrate the schema of " + description + ": " + rootMessage(e));
        }
        return database;
    }

    static String embeddedUrl(Path dataDir) {
        Path file = dataDir.toAbsolutePath().resolve("db").resolve("gateway");
        // MariaDB mode + lower-case identifiers: the same SQL and column names as on MariaDB.
        return "jdbc:h2:file:" + file + ";MODE=MariaDB;DATABASE_TO_LOWER=TRUE;DB_CLOSE_ON_EXIT=FALSE";
    }

    public DbClient client() {
        return client;
    }

    Migrations migrations() {
        return new Migrations(pool, new LegacySchemaVersion(statement("select-legacy-schema-versions"),
                statement("drop-legacy-schema-version")));
    }

    /** The text of a named statement, for the few that run on plain JDBC rather than the client. */
    String statement(String name) {
        return statements.get(name).asString()
                .orElseThrow(() -> new IllegalStateException("No statement '" + name + "' in db/statements.yaml"));
    }

    /** For health checks and the migration runner: plain JDBC access to the pool. */
    public javax.sql.DataSource dataSource() {
        return pool;
    }

    /** @return where the data lives, without credentials */
    public String description() {
        return description;
    }

    /** @return whether a connection can be taken and the gateway's schema answers a query */
    public boolean ping() {
        // Touches a table, not just the server: a dropped or emptied database counts as down.
        try (var c = pool.getConnection(); var s = c.createStatement();
             var rs = s.executeQuery(statement("ping"))) {
            return rs.next();
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public void close() {
        client.close();
        pool.close();
    }

    private static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
