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
import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * The gateway's database: a HikariCP pool handed to Helidon's JDBC client, the named statements of
 * {@code db/statements.yaml}, and the schema migrated at start-up. Embedded H2 (MariaDB mode, on
 * disk under the data directory) when no URL is configured, MariaDB otherwise.
 */
public final class Database implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Database.class.getName());
    private static final String EMBEDDED_NAME = "gateway";
    /** Connections of the outbox workers (claims and write-backs: short, one at a time per sink). */
    private static final int DELIVERY_POOL_SIZE = 4;

    private final HikariDataSource pool;
    /** The outbox workers' own pool (set once migrated). */
    private HikariDataSource deliveryPool;
    /** The named statements' text, read once: a lookup in the config tree allocates its key path every time. */
    private static final Map<String, String> STATEMENTS = Map.copyOf(
            Config.just(ConfigSources.classpath("db/statements.yaml")).get("statements").detach().asMap().get());
    private final DbClient client;
    private final String description;
    /** The embedded database's folder (null on MariaDB) and the files it held before this start. */
    private final Path embeddedDir;
    private final boolean inProcess;
    private final List<Path> filesBefore;

    private Database(HikariDataSource pool, String description, Path embeddedDir, boolean inProcess,
                     List<Path> filesBefore) {
        this.inProcess = inProcess;
        this.pool = pool;
        this.description = description;
        this.embeddedDir = embeddedDir;
        this.filesBefore = filesBefore;
        DbStatements.Builder named = DbStatements.builder();
        STATEMENTS.forEach(named::addStatement);
        this.client = JdbcClientBuilder.create()
                .connectionPool(() -> {
                    try {
                        return pool.getConnection();
                    } catch (SQLException e) {
                        throw new io.helidon.dbclient.DbClientException("No database connection: " + e.getMessage(), e);
                    }
                })
                .statements(named.build())
                .build();
    }

    /**
     * Opens the pool and migrates the schema.
     *
     * @throws ConfigException when the database cannot be reached or migrated
     */
    public static Database open(GatewaySettings.Db db, Path dataDir) {
        Path dbDir = dataDir.toAbsolutePath().resolve(DataDirectory.DB);
        List<Path> before = db.embedded() ? createEmbeddedFiles(dbDir) : List.of();
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
        Database database = new Database(pool, description, db.embedded() ? dbDir : null, db.inProcess(), before);
        try {
            database.restrictNewFiles();
            int applied = database.migrations().migrate();
            LOG.info(() -> "Database " + description + " ready (" + applied + " migration(s) applied)");
            if (!db.embedded()) {
                database.warnUnlessCommitsAreFlushed();
            }
            // Apart from the request pool: with every one of its connections busy (a burst of
            // session activity), delivery would wait seconds for each claim and fall behind.
            HikariConfig delivery = new HikariConfig();
            hikari.copyStateTo(delivery);
            delivery.setPoolName("gateway-db-delivery");
            delivery.setMaximumPoolSize(DELIVERY_POOL_SIZE);
            delivery.setMinimumIdle(1);
            database.deliveryPool = new HikariDataSource(delivery);
        } catch (SQLException | RuntimeException e) {
            database.close();
            throw new ConfigException("gateway.db.url", "cannot migrate the schema of " + description + ": " + rootMessage(e));
        }
        return database;
    }

    static String embeddedUrl(Path dataDir) {
        Path file = dataDir.toAbsolutePath().resolve(DataDirectory.DB).resolve(EMBEDDED_NAME);
        // MariaDB mode + lower-case identifiers: the same SQL and column names as on MariaDB.
        // WRITE_DELAY=0: each commit writes its MVStore chunk to the file before it returns (H2
        // otherwise writes up to 500 ms later, in the background, and kill -9 loses what was
        // acknowledged meanwhile). The write reaches the OS, not the disk platter: it survives the
        // death of the process, not a power loss (H2 has no fsync per commit).
        // QUERY_CACHE_SIZE: parsed statements kept per connection (default 8). The group commit's
        // connection alone runs more than 8 (a multi-row insert is one text per row count), and
        // with 8 it parsed some of them again in every batch.
        return "jdbc:h2:file:" + file + ";MODE=MariaDB;DATABASE_TO_LOWER=TRUE;DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0"
                + ";QUERY_CACHE_SIZE=64";
    }

    /**
     * Creates the embedded database's folder ({@code 0700}) and its store file ({@code 0600}) before
     * H2 opens them, as H2 would create both readable by everyone.
     *
     * @return the files the folder held before this start (their modes are the admin's)
     */
    private static List<Path> createEmbeddedFiles(Path dbDir) {
        DataDirectory.createPrivateDirectory(dbDir, "gateway.data-dir");
        try {
            List<Path> before = DataDirectory.files(dbDir);
            DataDirectory.createPrivateFile(dbDir.resolve(EMBEDDED_NAME + ".mv.db"));
            return before;
        } catch (IOException e) {
            throw new ConfigException("gateway.data-dir", "cannot create the database file in " + dbDir + ": " + e.getMessage());
        }
    }

    /** Files H2 made after the store file (a trace file on an error, ...) become owner-only too. */
    private void restrictNewFiles() {
        if (embeddedDir == null) {
            return;
        }
        try {
            DataDirectory.restrictNewFiles(embeddedDir, filesBefore);
        } catch (IOException e) {
            LOG.warning(() -> "Cannot restrict the permissions of the files in " + embeddedDir + ": " + e.getMessage());
        }
    }

    /**
     * On MariaDB a commit is as durable as the server makes it: the gateway answers {@code 2xx} only
     * after the server acknowledged the commit, but whether that commit is on disk is the server's
     * {@code innodb_flush_log_at_trx_commit} (1: flushed at each commit). Anything else is named.
     */
    private void warnUnlessCommitsAreFlushed() {
        try (var c = pool.getConnection(); var s = c.createStatement();
             var rs = s.executeQuery(statement("select-innodb-flush-log-at-commit"))) {
            if (rs.next() && rs.getInt(1) != 1) {
                int value = rs.getInt(1);
                LOG.warning(() -> "MariaDB innodb_flush_log_at_trx_commit is " + value + ", not 1: a crash of the"
                        + " database server (0) or of its machine (2) can lose up to about a second of writes the"
                        + " gateway has acknowledged");
            }
        } catch (SQLException e) {
            LOG.fine(() -> "Cannot read innodb_flush_log_at_trx_commit: " + e.getMessage());
        }
    }

    public DbClient client() {
        return client;
    }

    Migrations migrations() {
        return new Migrations(pool, new LegacySchemaVersion(statement("select-legacy-schema-versions"),
                statement("drop-legacy-schema-version")));
    }

    /** The text of a named statement, for the few that run on plain JDBC rather than the client. */
    public String statement(String name) {
        return namedStatement(name);
    }

    /** @return the named statement with its {@code :ids} list filled in with {@code n} parameters ({@code IN (:ids)}) */
    public static String namedStatement(String name, int n) {
        return namedStatement(name).replace(":ids", String.join(", ", Collections.nCopies(n, "?")));
    }

    private static String namedStatement(String name) {
        String sql = STATEMENTS.get(name);
        if (sql == null) {
            throw new IllegalStateException("No statement '" + name + "' in db/statements.yaml");
        }
        return sql;
    }

    /** For health checks and the migration runner: plain JDBC access to the pool. */
    public javax.sql.DataSource dataSource() {
        return pool;
    }

    /** Plain JDBC connections for the outbox workers alone, so request traffic never starves delivery. */
    public javax.sql.DataSource deliveryDataSource() {
        return deliveryPool;
    }

    /** @return where the data lives, without credentials */
    public String description() {
        return description;
    }

    /** @return whether a connection can be taken and the gateway's schema answers a query */
    /** @return whether the database runs in this process (H2): a statement costs little there, a commit much */
    public boolean inProcess() {
        return inProcess;
    }

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
        if (deliveryPool != null) {
            deliveryPool.close();
        }
        pool.close();
        restrictNewFiles();
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
