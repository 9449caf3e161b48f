package io.wagateway.testing;

import io.wagateway.config.GatewaySettings;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The two databases the store runs on: the embedded H2 default and the MariaDB server of the
 * machine (127.0.0.1:3306, root without password unless GATEWAY_TEST_MARIADB_URL / _USER /
 * _PASSWORD say otherwise). Each MariaDB use gets a fresh database, dropped afterwards.
 */
public final class TestDatabases {

    /**
     * @return the versions of the migration scripts the build packages, in order (read from the
     *         classpath folder, so a new script needs no change to the tests that count them)
     */
    public static List<Integer> migrationVersions() {
        try (Stream<Path> files = Files.list(Path.of(TestDatabases.class.getResource("/db/migration").toURI()))) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.matches("V\\d+__.+\\.sql"))
                    .map(n -> Integer.parseInt(n.substring(1, n.indexOf("__")))).sorted().toList();
        } catch (IOException | URISyntaxException e) {
            throw new IllegalStateException("Cannot list the migration scripts", e);
        }
    }

    /** One database to run a test on; {@link #close()} drops what it created. */
    public interface Target extends AutoCloseable {
        /** @return the settings to hand to the store or to the gateway */
        GatewaySettings.Db settings();

        @Override
        void close();
    }

    private TestDatabases() {
    }

    /** Both databases, named for test titles: parameterize a test with this to run it on each. */
    public static java.util.stream.Stream<org.junit.jupiter.api.Named<java.util.function.Supplier<Target>>> both() {
        return java.util.stream.Stream.of(org.junit.jupiter.api.Named.of("embedded H2", TestDatabases::embedded),
                org.junit.jupiter.api.Named.of("MariaDB " + mariadbServerUrl(), TestDatabases::mariadb));
    }

    public static String mariadbServerUrl() {
        return env("GATEWAY_TEST_MARIADB_URL", "jdbc:mariadb://127.0.0.1:3306/");
    }

    public static Target embedded() {
        return new Target() {
            @Override
            public GatewaySettings.Db settings() {
                return new GatewaySettings.Db("", "", "", 4, Duration.ofSeconds(5), Duration.ZERO, 2);
            }

            @Override
            public void close() {
            }

            @Override
            public String toString() {
                return "embedded H2 (MariaDB mode)";
            }
        };
    }

    /** A fresh database on the MariaDB server; fails (never skips) when the server is not up. */
    public static Target mariadb() {
        String server = mariadbServerUrl();
        String user = env("GATEWAY_TEST_MARIADB_USER", "root");
        String password = env("GATEWAY_TEST_MARIADB_PASSWORD", "");
        String name = "gw_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        execute(server, user, password, "CREATE DATABASE " + name + " CHARACTER SET utf8mb4");
        String url = server.endsWith("/") ? server + name : server + "/" + name;
        return new Target() {
            @Override
            public GatewaySettings.Db settings() {
                return new GatewaySettings.Db(url, user, password, 4, Duration.ofSeconds(5), Duration.ZERO, 2);
            }

            @Override
            public void close() {
                execute(server, user, password, "DROP DATABASE IF EXISTS " + name);
            }

            @Override
            public String toString() {
                return "MariaDB " + url.replaceFirst("^jdbc:mariadb://", "");
            }
        };
    }

    /** The {@code gateway.db.*} overrides that point a test gateway at this target. */
    public static java.util.Map<String, String> overrides(Target target) {
        GatewaySettings.Db db = target.settings();
        return java.util.Map.of("gateway.db.url", db.url(), "gateway.db.user", db.user(),
                "gateway.db.password", db.password());
    }

    private static void execute(String url, String user, String password, String sql) {
        try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new AssertionError("MariaDB at " + url + " is needed for this test (.ci/run starts it): "
                    + e.getMessage(), e);
        }
    }

    private static String env(String name, String defaultValue) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? defaultValue : value;
    }

    public static Path tempDir() {
        try {
            return java.nio.file.Files.createTempDirectory("gateway-db-test-");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
