package io.wagateway.testing;

import io.wagateway.Gateway;
import io.wagateway.config.EnvOverrides;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A real gateway started in-process for a test: its HTTP and Socket.IO listeners bind port 0 (the
 * system picks a free port as it binds, so no other process can take it between a pick and the
 * bind) unless a test sets one, a temporary data directory (removed on close unless kept for a
 * restart test), the embedded database unless a test passes {@code gateway.db.url}.
 */
public final class TestGateway implements AutoCloseable {

    public static final String ADMIN = "admin";
    public static final String ADMIN_PASSWORD = "admin-password-for-tests";

    private final Path dataDir;
    private final boolean ownsDataDir;
    private final Map<String, String> settings;
    private Gateway gateway;
    private final int socketPort;

    private TestGateway(Path dataDir, boolean ownsDataDir, Map<String, String> overrides) {
        this(dataDir, ownsDataDir, overrides, List.of());
    }

    private TestGateway(Path dataDir, boolean ownsDataDir, Map<String, String> overrides, List<Path> extraPlugins) {
        this.dataDir = dataDir;
        this.ownsDataDir = ownsDataDir;
        this.settings = new HashMap<>();
        settings.put("server.port", "0");
        settings.put("server.host", "127.0.0.1");
        settings.put("gateway.socketio.host", "127.0.0.1");
        settings.put("gateway.socketio.port", "0");
        settings.put("gateway.data-dir", dataDir.toString());
        settings.put("gateway.plugins.dir", dataDir.resolve("plugins").toString());
        settings.put("gateway.admin.password", ADMIN_PASSWORD);
        // Short simulator timings so linking and acks happen within a test's patience.
        settings.put("gateway.engines.simulator.connect-delay", "50ms");
        settings.put("gateway.engines.simulator.ack-sent-delay", "20ms");
        settings.put("gateway.engines.simulator.ack-delivered-delay", "20ms");
        settings.put("gateway.engines.simulator.ack-read-delay", "20ms");
        settings.put("gateway.sessions.retry-initial-delay", "100ms");
        settings.put("gateway.sessions.retry-max-delay", "400ms");
        settings.putAll(overrides);
        installSimulator(Path.of(settings.get("gateway.plugins.dir")));
        extraPlugins.forEach(jar -> installJar(jar, Path.of(settings.get("gateway.plugins.dir"))));
        this.gateway = Gateway.start(EnvOverrides.load(Map.of(), settings));
        this.socketPort = gateway.socketPort(); // kept: a closed fixture still names the port it had
    }

    /** A gateway with a fresh temporary data directory, removed on close. */
    public static TestGateway start(Map<String, String> overrides) {
        return start(overrides, List.of());
    }

    /** A gateway with a fresh temporary data directory and these plugin jars beside the simulator's. */
    public static TestGateway start(Map<String, String> overrides, List<Path> extraPlugins) {
        try {
            return startOwning(Files.createTempDirectory("gateway-test-"), overrides, extraPlugins);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A gateway on a directory it owns: removed on close, and also when the gateway fails to start,
     * as then no fixture is returned for the test to close (a busy port, a start-up error a test
     * expects). Gateway.start has closed what it opened before it throws, so nothing of it writes
     * into the directory any more.
     */
    static TestGateway startOwning(Path dataDir, Map<String, String> overrides, List<Path> extraPlugins) {
        try {
            return new TestGateway(dataDir, true, overrides, extraPlugins);
        } catch (RuntimeException e) {
            deleteTree(dataDir);
            throw e;
        }
    }

    /** A gateway on an existing data directory, which is kept on close (restart tests own it). */
    public static TestGateway startOn(Path dataDir, Map<String, String> overrides) {
        return new TestGateway(dataDir, false, overrides);
    }

    public Gateway gateway() {
        return gateway;
    }

    public Path dataDir() {
        return dataDir;
    }

    public String httpUrl() {
        return "http://127.0.0.1:" + gateway.httpPort();
    }

    /** @return the port the Socket.IO listener bound (the system's pick unless the test set one) */
    public int socketPort() {
        return socketPort;
    }

    public String socketUrl() {
        return "http://127.0.0.1:" + socketPort();
    }

    public ApiClient api() {
        return new ApiClient(httpUrl());
    }

    /** Stops the gateway and, for a directory it created, removes it. */
    @Override
    public void close() {
        if (gateway != null) {
            gateway.close();
            gateway = null;
        }
        if (ownsDataDir) {
            deleteTree(dataDir);
        }
    }

    /** Copies the built simulator plugin jar into a plugins directory, as ./gateway run does. */
    public static void installSimulator(Path pluginsDir) {
        installJar(simulatorJar(), pluginsDir);
    }

    /** Copies a plugin jar into a plugins directory. */
    public static void installJar(Path jar, Path pluginsDir) {
        try {
            Files.createDirectories(pluginsDir);
            Files.copy(jar, pluginsDir.resolve(jar.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The simulator jar built by Maven before the host's tests. */
    public static Path simulatorJar() {
        return builtPluginJar("simulator");
    }

    /**
     * A built-in plugin's jar, built by Maven before the host's tests and named by the system
     * property {@code gateway.test.<plugin>-jar} (set in gateway-app's pom).
     */
    public static Path builtPluginJar(String plugin) {
        String property = System.getProperty("gateway.test." + plugin + "-jar");
        Path jar = property == null ? null : Path.of(property);
        if (jar == null || !Files.isRegularFile(jar)) {
            throw new IllegalStateException("The " + plugin + " plugin jar is not built (" + property
                    + "); run the tests with ./gateway test, which builds plugins first");
        }
        return jar;
    }

    public static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A port free right now, for what must know its port before it starts (a separate process);
     * another process may take it before it is bound, so fixtures that can bind port 0 and ask for
     * the bound port do that instead.
     */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
