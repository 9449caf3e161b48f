package io.wagateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.wagateway.http.Json;
import io.wagateway.testing.ApiClient;
import io.wagateway.testing.LogCapture;
import io.wagateway.testing.NodeProcess;
import io.wagateway.testing.TestGateway;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Live sockets of the real socket.io-client are cut the moment their tokens are revoked. */
class SocketRevocationTest {

    private final LinkedBlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();

    @Test
    void disableAndLogoutCutTheirSocketsAtOnceAndNoOthers() throws Exception {
        try (TestGateway gw = TestGateway.start(Map.of());
             LogCapture log = LogCapture.on("io.wagateway.socket.Disconnector")) {
            ApiClient admin = gw.api().loginAdmin();
            ApiClient alice = admin.createUser("alice", "alice-password-1");
            ApiClient bob = admin.createUser("bob", "bob-password-12");
            ApiClient bobElsewhere = gw.api().login("bob", "bob-password-12");
            String aliceId = alice.get("/api/auth/me").json().get("id").asText();
            String bobId = bob.get("/api/auth/me").json().get("id").asText();
            try (NodeProcess node = NodeProcess.start(List.of("revocation-watch.mjs"),
                    Map.of("GATEWAY_URL", gw.socketUrl(), "TOKENS", String.join(",", alice.token(), bob.token(),
                            bobElsewhere.token())), this::record)) {
                for (int i = 0; i < 3; i++) {
                    assertEquals("connected", next().get("event").asText(), "all three sockets are accepted first");
                }

                assertEquals(200, admin.patch("/api/users/" + aliceId, Map.of("enabled", false)).status());
                assertCut(0, "User disabled");
                // The operator's side: why the socket went (the next ends within 10 s are counted, not logged).
                assertTrue(log.awaitMessage(m -> m.startsWith("Disconnected the Socket.IO client ")
                        && m.contains(": User disabled (user " + aliceId + ")"), Duration.ofSeconds(10)), log.messages().toString());

                assertEquals(204, bob.post("/api/auth/logout", null).status());
                assertCut(1, "Signed out");

                // Bob's other token was untouched by the logout: only the disable below ends it.
                assertEquals(200, admin.patch("/api/users/" + bobId, Map.of("enabled", false)).status());
                assertCut(2, "User disabled");
                assertEquals(0, node.await(Duration.ofSeconds(10)));
            }
        }
    }

    private void assertCut(int socket, String message) throws InterruptedException {
        JsonNode error = next();
        assertEquals(socket, error.get("socket").asInt(), error.toString());
        assertEquals("error", error.get("event").asText(), error.toString());
        assertEquals("UNAUTHORIZED", error.at("/payload/code").asText());
        assertEquals(message, error.at("/payload/message").asText());
        JsonNode gone = next();
        assertEquals(socket, gone.get("socket").asInt(), gone.toString());
        assertEquals("#disconnect", gone.get("event").asText());
        assertEquals("io server disconnect", gone.get("payload").asText());
    }

    private JsonNode next() throws InterruptedException {
        JsonNode event = events.poll(10, TimeUnit.SECONDS);
        assertTrue(event != null, "no socket event within 10 s");
        return event;
    }

    private void record(String line) {
        try {
            events.add(Json.MAPPER.readTree(line));
        } catch (java.io.IOException e) {
            System.out.println("node: " + line);
        }
    }
}
