package io.wagateway.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.wagateway.api.MessageStatus;
import io.wagateway.api.MessageStatusUpdated;
import io.wagateway.api.SessionStatus;
import io.wagateway.testing.ApiClient;
import io.wagateway.testing.EventRecorder;
import io.wagateway.testing.TestDatabases;
import io.wagateway.testing.TestGateway;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A hand-over the database refuses, on MariaDB (a trigger refuses to set a message's hand-over
 * time): the engine does not get the message, the message fails saying why, and the session and
 * its engine go on (the next message is sent).
 */
class HandOverNotStoredTest {

    @Test
    void aMessageWhoseHandOverCannotBeStoredFailsAsNotSentAndTheSessionGoesOn() throws Exception {
        try (TestDatabases.Target db = TestDatabases.mariadb();
             TestGateway gw = TestGateway.start(TestDatabases.overrides(db));
             EventRecorder events = new EventRecorder(gw.gateway().events())) {
            ApiClient alice = gw.api().loginAdmin().createUser("alice", "alice-password-1");
            String session = alice.post("/api/sessions", Map.of("name", "sender")).json().get("sessionId").asText();
            assertEquals(202, alice.post("/api/sessions/" + session + "/start", null).status());
            events.qr(session);
            assertEquals(200, alice.post("/api/sessions/" + session + "/actions/scan",
                    Map.of("phoneNumber", "+6281234567890", "displayName", "Sender")).status());
            events.status(session, SessionStatus.CONNECTED);

            sql(db, "CREATE TRIGGER refuse_hand_over BEFORE UPDATE ON messages FOR EACH ROW BEGIN"
                    + " IF NEW.handed_at IS NOT NULL AND OLD.handed_at IS NULL THEN"
                    + " SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'hand-over refused by the test'; END IF; END");
            String refused = sent(alice, session, "refused");
            MessageStatusUpdated first = events.message(session, refused);
            assertEquals(MessageStatus.FAILED, first.status(), "the engine never had it, so no SENT comes first");
            assertEquals("Not sent: the gateway could not store its hand-over", first.error());

            sql(db, "DROP TRIGGER refuse_hand_over");
            String next = sent(alice, session, "after");
            assertEquals(MessageStatus.SENT, events.message(session, next).status(), "the engine session goes on");
            ApiClient.Response stored = alice.get("/api/sessions/" + session + "/messages/" + refused);
            assertEquals("FAILED", stored.json().get("status").asText(), stored.body());
        }
    }

    private static String sent(ApiClient alice, String session, String text) {
        ApiClient.Response r = alice.post("/api/sessions/" + session + "/messages", Map.of("to", "+6289876543210", "text", text));
        assertEquals(202, r.status(), r.body());
        return r.json().get("messageId").asText();
    }

    private static void sql(TestDatabases.Target db, String statement) throws SQLException {
        try (Connection c = DriverManager.getConnection(db.settings().url(), db.settings().user(), db.settings().password())) {
            c.createStatement().execute(statement);
        }
    }
}
