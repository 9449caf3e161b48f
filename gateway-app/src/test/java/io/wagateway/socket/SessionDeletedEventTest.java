package io.wagateway.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wagateway.api.SessionStatus;
import io.wagateway.api.SessionStatusChanged;
import io.wagateway.api.StatusReason;
import io.wagateway.testing.ApiClient;
import io.wagateway.testing.EventRecorder;
import io.wagateway.testing.TestGateway;
import io.wagateway.testing.TestSessions;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A deleted session's room (and its sinks) get its last status, DISCONNECTED with reason DELETED. */
class SessionDeletedEventTest {

    @Test
    void aClientInTheRoomOfADeletedSessionIsToldSo() throws Exception {
        try (TestGateway gw = TestGateway.start(Map.of());
             EventRecorder events = new EventRecorder(gw.gateway().events())) {
            ApiClient admin = gw.api().loginAdmin();
            String id = TestSessions.create(gw, admin, "to delete");
            assertEquals(202, admin.post("/api/sessions/" + id + "/start", Map.of()).status());
            events.status(id, SessionStatus.QR_REQUIRED);
            assertEquals(200, admin.post("/api/sessions/" + id + "/actions/scan",
                    Map.of("phoneNumber", "+6281234567890", "displayName", "Phone")).status());
            events.status(id, SessionStatus.CONNECTED);

            RawSocketIoClient client = RawSocketIoClient.connect(gw.socketPort(), admin.token(), true);
            assertTrue(client.awaitPacket(p -> p.startsWith("42[\"connected\""), Duration.ofSeconds(10)), "" + client.packets);
            client.send("42[\"join_session\",\"" + id + "\"]");
            assertTrue(client.awaitPacket(p -> p.startsWith("42[\"session_status_changed\"") && p.contains("CONNECTED"),
                    Duration.ofSeconds(10)), "the snapshot: " + client.packets);

            assertEquals(204, admin.delete("/api/sessions/" + id).status());
            assertTrue(client.awaitPacket(p -> p.startsWith("42[\"session_status_changed\"")
                    && p.contains("\"status\":\"DISCONNECTED\"") && p.contains("\"reason\":\"DELETED\""),
                    Duration.ofSeconds(10)), "told: " + client.packets);
            SessionStatusChanged last = events.next(id, SessionStatusChanged.class, e -> e.reason() == StatusReason.DELETED);
            assertEquals(SessionStatus.DISCONNECTED, last.status());
            assertEquals(404, admin.get("/api/sessions/" + id).status());
        }
    }
}
