package io.wagateway.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wagateway.testing.GatewayProcess;
import io.wagateway.testing.TestGateway;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The frontend guide's "Expected User Flow", steps 1-10, against the real {@code ./gateway run}
 * (a separate process, the packaged jar, the simulator jar from its plugins directory), driven by
 * {@code guide-flow.mjs} with the real socket.io-client: websocket+polling, and polling only.
 */
class GuideFlowIT {

    private static final String PASSWORD = "guide-flow-admin-password";
    private static Path dataDir;
    private static GatewayProcess gateway;
    private static int httpPort;
    private static int socketPort;

    @BeforeAll
    static void launch() throws Exception {
        dataDir = Files.createTempDirectory("gateway-e2e-");
        // Port 0: the system picks free ports as the gateway binds them; its ready line names them.
        gateway = GatewayProcess.start(Map.of(
                "GATEWAY_HTTP_PORT", "0",
                "GATEWAY_SOCKETIO_PORT", "0",
                "GATEWAY_DATA_DIR", dataDir.toString(),
                "GATEWAY_PLUGINS_DIR", dataDir.resolve("plugins").toString(),
                "GATEWAY_ADMIN_PASSWORD", PASSWORD,
                "GATEWAY_ENGINES_SIMULATOR_ACK_READ_DELAY", "100ms"));
        httpPort = gateway.httpPort();
        socketPort = gateway.socketPort();
    }

    @AfterAll
    static void stop() throws Exception {
        if (gateway != null) {
            assertTrue(gateway.stop(), "the gateway stops on SIGTERM");
            assertTrue(gateway.logged("Gateway stopped"), "a clean shutdown is logged:\n" + gateway.log());
        }
        TestGateway.deleteTree(dataDir);
    }

    @ParameterizedTest(name = "transports {0}")
    @ValueSource(strings = {"websocket,polling", "polling"})
    void theGuidesUserFlowRunsEndToEnd(String transports) throws Exception {
        Path nodeDir = Path.of(System.getProperty("gateway.test.node-dir"));
        ProcessBuilder pb = new ProcessBuilder("node", "guide-flow.mjs").directory(nodeDir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(Map.of(
                "GATEWAY_URL", "http://127.0.0.1:" + httpPort,
                "GATEWAY_SOCKET_URL", "http://127.0.0.1:" + socketPort,
                "GATEWAY_PASSWORD", PASSWORD,
                "GATEWAY_TRANSPORTS", transports));
        Process node = pb.start();
        String output;
        try {
            boolean done = node.waitFor(90, TimeUnit.SECONDS);
            output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(done, "guide-flow.mjs finished:\n" + output);
        } finally {
            node.destroyForcibly();
        }
        assertEquals(0, node.exitValue(), output);
        for (int step = 1; step <= 10; step++) {
            assertTrue(output.contains("✓ " + step + ". "), "step " + step + " ran:\n" + output);
        }
        assertTrue(output.contains("Guide flow complete."), output);
    }
}
