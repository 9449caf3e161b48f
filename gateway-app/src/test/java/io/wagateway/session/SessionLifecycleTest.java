package io.wagateway.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wagateway.api.GatewayEvent;
import io.wagateway.api.QrCodeUpdated;
import io.wagateway.api.SessionStatus;
import io.wagateway.api.SessionStatusChanged;
import io.wagateway.api.StatusReason;
import io.wagateway.testing.ApiClient;
import io.wagateway.testing.EventRecorder;
import io.wagateway.testing.TestGateway;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every transition of the state machine, driven over REST against the simulator engine plugin. */
class SessionLifecycleTest {

    private static TestGateway gw;
    private static ApiClient alice;
    private EventRecorder events;

    @BeforeAll
    static void start() {
        gw = TestGateway.start(Map.of(
                "gateway.engines.simulator.qr-first-ttl", "400ms",
                "gateway.engines.simulator.qr-ttl", "200ms",
                "gateway.engines.simulator.qr-max-attempts", "3",
                // One reconnect per loss: lostConnectionReconnectsByItself shows a connect resets the count.
                "gateway.sessions.reconnect-max-attempts", "1"));
        alice = gw.api().loginAdmin().createUser("alice", "alice-password-1");
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    @BeforeEach
    void record() {
        events = new EventRecorder(gw.gateway().events());
    }

    @AfterEach
    void stopRecording() throws Exception {
        events.close();
    }

    private String newSession(String name) {
        return alice.post("/api/sessions", Map.of("name", name)).json().get("sessionId").asText();
    }

    private void post(String id, String what, int expected) {
        ApiClient.Response r = alice.post("/api/sessions/" + id + "/" + what, null);
        assertEquals(expected, r.status(), what + ": " + r.body());
    }

    private QrCodeUpdated startLinking(String id) {
        post(id, "start", 202);
        events.status(id, SessionStatus.CONNECTING);
        events.status(id, SessionStatus.QR_REQUIRED);
        return events.qr(id);
    }

    private void scan(String id, String phone, String name) {
        ApiClient.Response r = alice.post("/api/sessions/" + id + "/actions/scan",
                Map.of("phoneNumber", phone, "displayName", name));
        assertEquals(200, r.status(), r.body());
        SessionStatusChanged connected = events.status(id, SessionStatus.CONNECTED);
        assertEquals(phone, connected.phoneNumber());
        assertEquals(name, connected.displayName());
    }

    @Test
    void startShowsRotatingQrCodesUntilTimeout() {
        String id = newSession("rotating");
        QrCodeUpdated first = startLinking(id);
        assertEquals(1, first.attempt());
        assertTrue(first.qrCode().matches("2@[A-Za-z0-9+/=]+(,[A-Za-z0-9+/=]+){3}"), first.qrCode());
        ApiClient.Response qr = alice.get("/api/sessions/" + id + "/qr");
        assertEquals(200, qr.status());
        assertEquals("QR_REQUIRED", qr.json().get("status").asText());
        assertTrue(qr.json().get("qrCode").asText().startsWith("2@"), qr.body());
        assertTrue(qr.json().get("attempt").asInt() >= 1 && qr.json().get("expiresAt").asText().endsWith("Z"), qr.body());
        QrCodeUpdated second = events.qr(id);
        QrCodeUpdated third = events.qr(id);
        assertEquals(List.of(2, 3), List.of(second.attempt(), third.attempt()));
        assertTrue(!second.qrCode().equals(first.qrCode()) && !third.qrCode().equals(second.qrCode()), "QR rotates");
        SessionStatusChanged timeout = events.status(id, SessionStatus.DISCONNECTED);
        assertEquals(StatusReason.QR_TIMEOUT, timeout.reason());
        assertEquals(404, alice.get("/api/sessions/" + id + "/qr").status(), "no QR pending after the timeout");
        assertEquals("QR_TIMEOUT", alice.get("/api/sessions/" + id).json().get("reason").asText());
    }

    @Test
    void scanLinksThenStopAndStartReconnectWithoutQr() {
        String id = newSession("linked");
        startLinking(id);
        post(id, "start", 409);
        scan(id, "+6281234567890", "John Doe");
        assertEquals(404, alice.get("/api/sessions/" + id + "/qr").status());
        var session = alice.get("/api/sessions/" + id).json();
        assertEquals("CONNECTED", session.get("status").asText());
        assertEquals("+6281234567890", session.get("phoneNumber").asText());
        assertEquals("John Doe", session.get("displayName").asText());

        post(id, "stop", 202);
        assertEquals(StatusReason.STOPPED, events.status(id, SessionStatus.DISCONNECTED).reason());
        post(id, "stop", 409);
        post(id, "start", 202);
        events.status(id, SessionStatus.CONNECTING);
        GatewayEvent next = events.nextOf(id);
        assertTrue(next instanceof SessionStatusChanged s && s.status() == SessionStatus.CONNECTED,
                "stored credentials connect without a QR: " + next);
        post(id, "stop", 202);
    }

    @Test
    void logoutDropsCredentialsSoTheNextStartNeedsAScan() {
        String id = newSession("logout");
        startLinking(id);
        scan(id, "+6281111111111", "Logout Me");
        post(id, "logout", 202);
        SessionStatusChanged out = events.status(id, SessionStatus.DISCONNECTED);
        assertEquals(StatusReason.LOGGED_OUT, out.reason());
        assertNull(out.phoneNumber());
        QrCodeUpdated qr = startLinking(id);
        assertEquals(1, qr.attempt(), "a new scan is needed");
        // The new link keeps its credentials under the session's epoch now, where a restart looks for them.
        scan(id, "+6281111111112", "Linked Again");
        CredentialRepository credentials = new CredentialRepository(gw.gateway().database().client());
        assertFalse(credentials.forSession(id).keys().isEmpty(), "the new link's credentials are the session's");
        post(id, "logout", 202);
        assertEquals(StatusReason.LOGGED_OUT, events.status(id, SessionStatus.DISCONNECTED).reason());
        assertEquals(Set.of(), credentials.forSession(id).keys());
    }

    @Test
    void phoneLogoutUnlinksAndDropsCredentials() {
        String id = newSession("phone-logout");
        startLinking(id);
        scan(id, "+6282222222222", "Phone");
        assertEquals(200, alice.post("/api/sessions/" + id + "/actions/phone-logout", null).status());
        assertEquals(StatusReason.LOGGED_OUT, events.status(id, SessionStatus.DISCONNECTED).reason());
        startLinking(id);
        post(id, "stop", 202);
    }

    @Test
    void actionsAreCheckedByStateAndEngine() {
        String id = newSession("actions");
        ApiClient.Response notStarted = alice.post("/api/sessions/" + id + "/actions/scan",
                Map.of("phoneNumber", "+6281234567890", "displayName", "X"));
        assertEquals(409, notStarted.status());
        startLinking(id);
        ApiClient.Response unknown = alice.post("/api/sessions/" + id + "/actions/teleport", null);
        assertEquals(404, unknown.status());
        ApiClient.Response invalid = alice.post("/api/sessions/" + id + "/actions/scan",
                Map.of("phoneNumber", "0812", "displayName", "X"));
        assertEquals(400, invalid.status());
        assertEquals("VALIDATION_ERROR", invalid.errorCode());
        ApiClient.Response tooEarly = alice.post("/api/sessions/" + id + "/actions/phone-logout", null);
        assertEquals(409, tooEarly.status());
        post(id, "stop", 202);
    }

    @Test
    void engineFailureGoesToErrorAndIsRetriedWithGrowingBackoff() {
        String id = newSession("crashy");
        startLinking(id);
        long firstGap = crashAndAwaitRetry(id);
        events.status(id, SessionStatus.QR_REQUIRED);
        long secondGap = crashAndAwaitRetry(id);
        assertTrue(firstGap >= 100, "first retry waits the initial delay: " + firstGap);
        assertTrue(secondGap >= 200, "the next waits twice as long: " + secondGap);
        events.status(id, SessionStatus.QR_REQUIRED);
        scan(id, "+6283333333333", "Survivor");
        post(id, "stop", 202);
    }

    private long crashAndAwaitRetry(String id) {
        assertEquals(200, alice.post("/api/sessions/" + id + "/actions/crash", Map.of("message", "boom")).status());
        SessionStatusChanged error = events.status(id, SessionStatus.ERROR);
        assertEquals(StatusReason.ENGINE_FAILED, error.reason());
        SessionStatusChanged retry = events.status(id, SessionStatus.CONNECTING);
        // The server's own timestamps (milliseconds, truncated): at most 1 ms is lost to truncation.
        return Duration.between(error.timestamp(), retry.timestamp()).toMillis() + 1;
    }

    @Test
    void lostConnectionReconnectsByItself() {
        String id = newSession("flaky-network");
        startLinking(id);
        scan(id, "+6284444444444", "Roamer");
        // Each reconnect connects, which resets the count: the limit of one reconnect in a row is never reached.
        for (int drop = 1; drop <= 3; drop++) {
            assertEquals(200, alice.post("/api/sessions/" + id + "/actions/drop-connection", null).status());
            assertEquals(StatusReason.CONNECTION_LOST, events.status(id, SessionStatus.DISCONNECTED).reason(), "drop " + drop);
            events.status(id, SessionStatus.CONNECTING);
            assertEquals("+6284444444444", events.status(id, SessionStatus.CONNECTED).phoneNumber(), "drop " + drop);
        }
        post(id, "stop", 202);
    }

    @Test
    void stoppingAFailedSessionCancelsItsRetry() {
        String id = newSession("give-up");
        startLinking(id);
        assertEquals(200, alice.post("/api/sessions/" + id + "/actions/crash", null).status());
        events.status(id, SessionStatus.ERROR);
        post(id, "stop", 202);
        events.status(id, SessionStatus.DISCONNECTED);
        List<GatewayEvent> later = events.drain(Duration.ofMillis(600)).stream()
                .filter(e -> e.sessionId().equals(id)).toList();
        assertEquals(List.of(), later, "no retry after stop");
    }

    @Test
    void deletingARunningSessionStopsIt() {
        String id = newSession("delete-running");
        startLinking(id);
        assertEquals(204, alice.delete("/api/sessions/" + id).status());
        List<GatewayEvent> later = events.drain(Duration.ofMillis(500)).stream()
                .filter(e -> e.sessionId().equals(id) && e instanceof QrCodeUpdated).toList();
        assertEquals(List.of(), later, "the engine stopped with the session");
    }
}
