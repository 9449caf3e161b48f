package io.wagateway.web;

import io.wagateway.plugin.UploadablePluginJar;
import io.wagateway.testing.ApiClient;
import io.wagateway.testing.NodeTestReport;
import io.wagateway.testing.TestGateway;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The admin web UI in a real headless Chromium (Debian's {@code chromium}, driven by npm
 * {@code playwright-core} from the lockfile): this class starts one gateway (simulator jar, short
 * QR lifetime, slow enough acks to watch the ticks), prepares a USER and a plugin jar to upload,
 * runs {@code src/test/node/admin-ui.test.mjs} with {@code node --test}, and reports each Node test
 * case as a JUnit test. Screenshots go to {@code target/admin-ui-screenshots/}.
 */
class AdminUiBrowserTest {

    private static final Duration NODE_TIMEOUT = Duration.ofMinutes(4);
    private static final String USER_PASSWORD = "password-of-a-plain-user";
    static final Path SCREENSHOTS = Path.of("target", "admin-ui-screenshots").toAbsolutePath();

    @TestFactory
    Stream<DynamicTest> adminUiInChromium() throws Exception {
        Map<String, String> settings = new LinkedHashMap<>();
        // A QR rotates every 2 s (the first one too) and never runs out during the test.
        settings.put("gateway.engines.simulator.qr-first-ttl", "2s");
        settings.put("gateway.engines.simulator.qr-ttl", "2s");
        settings.put("gateway.engines.simulator.qr-max-attempts", "200");
        // Acks slow enough that the page shows each tick on its own.
        settings.put("gateway.engines.simulator.ack-sent-delay", "1000ms");
        settings.put("gateway.engines.simulator.ack-delivered-delay", "1000ms");
        settings.put("gateway.engines.simulator.ack-read-delay", "1000ms");
        Files.createDirectories(SCREENSHOTS);
        Path uploads = Files.createTempDirectory("admin-ui-upload-");
        Path dataDir = Files.createTempDirectory("admin-ui-gateway-");
        List<DynamicTest> cases;
        // Restarted under the open pages on the port its first start bound (see RestartControl).
        try (RestartControl gateway = new RestartControl(port -> {
            Map<String, String> onPort = new LinkedHashMap<>(settings);
            onPort.put("server.port", Integer.toString(port));
            return TestGateway.startOn(dataDir, onPort);
        })) {
            ApiClient admin = gateway.current().api().loginAdmin();
            ApiClient user = admin.createUser("ursula", USER_PASSWORD);
            Path jar = UploadablePluginJar.write(uploads, "webui-upload-sink.jar", "webui-upload", "webui-upload-sink");
            Map<String, Object> config = new LinkedHashMap<>();
            config.put("baseUrl", gateway.current().httpUrl());
            config.put("control", gateway.url());
            config.put("admin", Map.of("username", TestGateway.ADMIN, "password", TestGateway.ADMIN_PASSWORD));
            config.put("user", Map.of("username", "ursula", "password", USER_PASSWORD, "token", user.token()));
            config.put("pluginJar", jar.toString());
            config.put("pluginId", "webui-upload");
            config.put("screenshots", SCREENSHOTS.toString());
            cases = NodeTestReport.run("admin-ui.test.mjs", List.of("--test-concurrency=1"), "GATEWAY_ADMIN_UI_TEST",
                    config, NODE_TIMEOUT);
        } finally {
            TestGateway.deleteTree(uploads);
            TestGateway.deleteTree(dataDir);
        }
        return cases.stream();
    }
}
