package io.wagateway.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wagateway.config.ConfigException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fixture's own promise: the data directory it creates is gone once it is done with it. A
 * gateway that fails to start (here on a busy Socket.IO port, as SocketServerLifecycleTest does)
 * has already written its database, JWT secret and plugins there, and returns no fixture for the
 * test to close.
 */
class TestGatewayTest {

    @Test
    void aGatewayThatFailsToStartLeavesNoDataDirectoryBehind(@TempDir Path parent) throws Exception {
        Path dataDir = Files.createDirectory(parent.resolve("data"));
        try (ServerSocket busy = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            ConfigException e = assertThrows(ConfigException.class, () -> TestGateway.startOwning(dataDir,
                    Map.of("gateway.socketio.port", Integer.toString(busy.getLocalPort())), List.of()).close());
            assertEquals("gateway.socketio.port", e.key());
        }
        assertFalse(Files.exists(dataDir), () -> "left behind: " + contents(dataDir));
    }

    @Test
    void closingAGatewayRemovesItsDataDirectory(@TempDir Path parent) throws Exception {
        Path dataDir = Files.createDirectory(parent.resolve("data"));
        TestGateway gateway = TestGateway.startOwning(dataDir, Map.of(), List.of());
        assertTrue(Files.exists(dataDir.resolve("db")));
        gateway.close();
        assertFalse(Files.exists(dataDir), () -> "left behind: " + contents(dataDir));
    }

    private static List<Path> contents(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            return paths.toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
