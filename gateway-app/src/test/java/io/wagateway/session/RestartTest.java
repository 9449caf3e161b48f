package io.wagateway.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.wagateway.api.SessionStatus;
import io.wagateway.api.SessionStatusChanged;
import io.wagateway.testing.OnBothDatabases;
import io.wagateway.testing.ApiClient;
import io.wagateway.testing.EventRecorder;
import io.wagateway.testing.TestDatabases;
import io.wagateway.testing.TestGateway;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/** A restart on the same data keeps users, sessions and links: CONNECTED sessions come back without a scan. */
class RestartTest {

    @OnBothDatabases
    void restartKeepsUsersSessionsAndLinks(Supplier<TestDatabases.Target> which) throws Exception {
        Path dataDir = TestDatabases.tempDir();
        try (TestDatabases.Target db = which.get()) {
            Map<String, String> settings = new HashMap<>(TestDatabases.overrides(db));
            if (db.settings().embedded()) {
                settings.clear();
            }
            String linked;
            String linking;
            try (TestGateway first = TestGateway.startOn(dataDir, settings);
                 EventRecorder events = new EventRecorder(first.gateway().events())) {
                ApiClient alice = first.api().loginAdmin().createUser("alice", "alice-password-1");
                linked = alice.post("/api/sessions", Map.of("name", "survivor")).json().get("sessionId").asText();
                linking = alice.post("/api/sessions", Map.of("name", "half-linked")).json().get("sessionId").asText();
                alice.post("/api/sessions/" + linked + "/start", null);
                events.qr(linked);
                alice.post("/api/sessions/" + linked + "/actions/scan",
                        Map.of("phoneNumber", "+6285555555555", "displayName", "Survivor"));
                events.status(linked, SessionStatus.CONNECTED);
                alice.post("/api/sessions/" + linking + "/start", null);
                events.qr(linking);
            }
            try (TestGateway second = TestGateway.startOn(dataDir, settings)) {
                ApiClient alice = second.api().login("alice", "alice-password-1");
                EventRecorder events = new EventRecorder(second.gateway().events());
                // The resume started during start-up: subscribe first, then read the state in the session's
                // event order; if it is not CONNECTED yet, the CONNECTED event is still to come.
                var snapshot = new java.util.concurrent.atomic.AtomicReference<SessionStatusChanged>();
                second.gateway().sessions().withSnapshot(linked, snap -> snapshot.set(snap.status())).join();
                if (snapshot.get().status() != SessionStatus.CONNECTED) {
                    events.status(linked, SessionStatus.CONNECTED);
                }
                assertEquals("CONNECTED", alice.get("/api/sessions/" + linked).json().get("status").asText(),
                        "resumed without a scan");
                assertEquals("+6285555555555", alice.get("/api/sessions/" + linked).json().get("phoneNumber").asText());
                // Its restart transition was queued at start-up: a snapshot runs after it.
                second.gateway().sessions().withSnapshot(linking, snap -> { }).join();
                var half = alice.get("/api/sessions/" + linking).json();
                assertEquals("DISCONNECTED", half.get("status").asText());
                assertEquals("GATEWAY_RESTARTED", half.get("reason").asText());
                assertEquals(2, alice.get("/api/sessions").json().size());
                assertEquals(404, alice.get("/api/sessions/" + linked + "/qr").status(), "no QR was needed");
                events.close();
            }
        } finally {
            TestGateway.deleteTree(dataDir);
        }
    }
}
