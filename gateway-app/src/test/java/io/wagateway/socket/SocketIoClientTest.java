package io.wagateway.socket;

import io.wagateway.auth.Role;
import io.wagateway.auth.TokenService;
import io.wagateway.auth.User;
import io.wagateway.testing.ApiClient;
import io.wagateway.testing.NodeTestReport;
import io.wagateway.testing.TestGateway;
import io.wagateway.testing.TestSessions;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The Socket.IO endpoint driven by the real npm {@code socket.io-client} (4.8, from the lockfile):
 * this class starts the gateways, prepares users, sessions and tokens over REST, runs
 * {@code src/test/node/socketio.test.mjs} with {@code node --test}, and reports each Node test
 * case as a JUnit test. The Node side publishes events through {@link ControlServer}.
 */
class SocketIoClientTest {

    private static final String SECRET = "socket-io-tests-hs256-secret-0123456789abcdef";
    private static final String PASSWORD = "password-for-socket-tests";
    private static final Duration NODE_TIMEOUT = Duration.ofMinutes(3);
    private static final Map<String, String> LIMITS = Map.of(
            "gateway.socketio.events-per-second", "10",
            "gateway.socketio.max-rooms-per-socket", "3",
            "gateway.socketio.max-sockets-per-user", "6",
            "gateway.socketio.max-payload-bytes", "16384");

    @TestFactory
    Stream<DynamicTest> realSocketIoClient() throws Exception {
        Map<String, String> mainSettings = new LinkedHashMap<>(LIMITS);
        mainSettings.put("gateway.auth.jwt-secret", SECRET);
        mainSettings.put("gateway.cors.origins", "http://allowed.example");
        List<DynamicTest> cases;
        try (TestGateway main = TestGateway.start(mainSettings);
             TestGateway shortTokens = TestGateway.start(Map.of("gateway.auth.token-ttl", "3s"));
             ControlServer control = new ControlServer()) {
            control.gateway("main", main);
            control.gateway("short", shortTokens);
            cases = NodeTestReport.run("socketio.test.mjs", List.of(), "GATEWAY_SOCKETIO_TEST",
                    prepare(main, shortTokens, control), NODE_TIMEOUT);
        }
        return cases.stream();
    }

    /** Users, sessions and tokens for the scenarios, handed to Node as JSON. */
    private static Map<String, Object> prepare(TestGateway main, TestGateway shortTokens, ControlServer control) {
        ApiClient admin = main.api().loginAdmin();
        Map<String, Object> users = new LinkedHashMap<>();
        Map<String, Object> sessions = new LinkedHashMap<>();
        users.put("admin", user(admin));
        for (String name : List.of("alice", "bob", "carol", "flooder", "capped")) {
            ApiClient client = admin.createUser(name, PASSWORD);
            users.put(name, user(client));
            int count = name.equals("carol") ? 4 : 2;
            for (int i = 1; i <= count; i++) {
                String sessionId = TestSessions.create(main, client, name + " phone " + i);
                control.owner(sessionId, userId(client));
                sessions.put(name + i, sessionId);
            }
            if (name.equals("alice")) {
                // Started by the late-join test: the simulator gives it a pending QR code.
                String linking = TestSessions.create(main, client, "alice linking");
                control.owner(linking, userId(client));
                sessions.put("aliceLinking", linking);
                // Linked and sent a message by the message_received test, through the simulator.
                String inbound = TestSessions.create(main, client, "alice inbox");
                control.owner(inbound, userId(client));
                sessions.put("aliceInbox", inbound);
            }
        }
        Map<String, Object> expired = new LinkedHashMap<>();
        // A correctly signed token whose exp is an hour ago.
        String aliceId = (String) ((Map<?, ?>) users.get("alice")).get("id");
        expired.put("token", new TokenService(SECRET.getBytes(StandardCharsets.UTF_8), Duration.ofMinutes(5),
                Clock.fixed(Instant.now().minus(Duration.ofHours(1)), ZoneOffset.UTC))
                .issue(new User(aliceId, "alice", "", Role.USER, Instant.now())).token());

        ApiClient shortAdmin = shortTokens.api().loginAdmin();
        ApiClient dave = shortAdmin.createUser("dave", PASSWORD);
        String daveSession = TestSessions.create(shortTokens, dave, "dave phone");
        control.owner(daveSession, userId(dave));

        Map<String, Object> config = new LinkedHashMap<>();
        config.put("control", control.url());
        config.put("main", Map.of("httpUrl", main.httpUrl(), "socketUrl", main.socketUrl(),
                "allowedOrigin", "http://allowed.example"));
        config.put("short", Map.of("httpUrl", shortTokens.httpUrl(), "socketUrl", shortTokens.socketUrl(),
                "username", "dave", "password", PASSWORD, "sessionId", daveSession, "ttlSeconds", 3));
        config.put("users", users);
        config.put("sessions", sessions);
        config.put("expiredToken", expired.get("token"));
        config.put("limits", Map.of("eventsPerSecond", 10, "maxRoomsPerSocket", 3, "maxSocketsPerUser", 6,
                "maxPayloadBytes", 16384));
        return config;
    }

    private static Map<String, Object> user(ApiClient client) {
        return Map.of("id", userId(client), "token", client.token());
    }

    private static String userId(ApiClient client) {
        return client.get("/api/auth/me").json().get("id").asText();
    }
}
