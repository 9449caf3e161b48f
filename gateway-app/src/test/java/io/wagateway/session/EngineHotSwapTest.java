package io.wagateway.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.wagateway.api.SessionStatus;
import io.wagateway.api.StatusReason;
import io.wagateway.testing.ApiClient;
import io.wagateway.testing.EventRecorder;
import io.wagateway.testing.TestGateway;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The simulator's jar removed and dropped in again while a session is linked, without a restart. */
class EngineHotSwapTest {

    @Test
    void sessionsWaitForTheirEngineAndResumeWithoutAScan() throws Exception {
        try (TestGateway gw = TestGateway.start(Map.of("gateway.plugins.debounce", "100ms"));
             EventRecorder events = new EventRecorder(gw.gateway().events())) {
            ApiClient alice = gw.api().loginAdmin().createUser("alice", "alice-password-1");
            String id = alice.post("/api/sessions", Map.of("name", "hot swap")).json().get("sessionId").asText();
            String idle = alice.post("/api/sessions", Map.of("name", "idle")).json().get("sessionId").asText();
            alice.post("/api/sessions/" + id + "/start", null);
            events.qr(id);
            alice.post("/api/sessions/" + id + "/actions/scan", Map.of("phoneNumber", "+6286666666666", "displayName", "Swap"));
            events.status(id, SessionStatus.CONNECTED);

            Path jar = gw.dataDir().resolve("plugins").resolve(TestGateway.simulatorJar().getFileName());
            Files.delete(jar);
            assertEquals(StatusReason.ENGINE_UNAVAILABLE, events.status(id, SessionStatus.ERROR).reason());
            ApiClient.Response noEngine = alice.post("/api/sessions/" + idle + "/start", null);
            assertEquals(409, noEngine.status(), "no engine, no start: " + noEngine.body());
            assertEquals(400, alice.post("/api/sessions", Map.of("name", "x")).status(), "the default engine is gone");

            // Dropped in the way ./gateway run does it: copied under another name, then renamed.
            Path part = jar.resolveSibling(jar.getFileName() + ".part");
            Files.copy(TestGateway.simulatorJar(), part);
            Files.move(part, jar, StandardCopyOption.ATOMIC_MOVE);
            events.status(id, SessionStatus.CONNECTING);
            assertEquals("+6286666666666", events.status(id, SessionStatus.CONNECTED).phoneNumber(),
                    "reconnected with its stored credentials");
            assertEquals("DISCONNECTED", alice.get("/api/sessions/" + idle).json().get("status").asText(),
                    "a session that was not running stays as it was");
        }
    }
}
