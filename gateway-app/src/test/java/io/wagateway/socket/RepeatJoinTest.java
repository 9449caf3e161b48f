package io.wagateway.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.wagateway.api.MessageStatus;
import io.wagateway.api.MessageStatusUpdated;
import io.wagateway.auth.Principal;
import io.wagateway.config.EnvOverrides;
import io.wagateway.config.GatewaySettings;
import io.wagateway.event.EventBus;
import io.wagateway.http.CorsPolicy;
import io.wagateway.session.SessionAccess;
import io.wagateway.session.SessionSnapshot;
import io.wagateway.testing.ApiClient;
import io.wagateway.testing.TestGateway;
import io.wagateway.testing.TestSessions;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Joining a room the socket is already in is harmless (the contract): when that second join fails
 * for a passing reason (its access check could not be made), the socket gets the error and stays
 * in the room, still getting its events. Only a join that finds the session gone or no longer the
 * caller's takes the socket out. The gateway's real parts, but an access check the test can make
 * fail or refuse.
 */
class RepeatJoinTest {

    @ParameterizedTest
    @ValueSource(strings = {"websocket", "polling"})
    void aRepeatJoinThatFailsForAPassingReasonLeavesTheSocketInTheRoom(String transport) throws Exception {
        JsonNode report = rejoinWhile(transport, Answer.FAIL, "error INTERNAL_ERROR", Map.of("member", 1L, "other", 1L));
        assertEquals(1, report.get("member").get("received").asLong(), "still in the room: " + report);
    }

    @ParameterizedTest
    @ValueSource(strings = {"websocket", "polling"})
    void aRepeatJoinThatFindsTheSessionNoLongerTheCallersTakesTheSocketOut(String transport) throws Exception {
        // The other socket, still a member, gets the two events; the refused one neither, nor the second.
        JsonNode report = rejoinWhile(transport, Answer.REFUSE, "error INVALID_SESSION", Map.of("other", 2L));
        assertEquals(0, report.get("member").get("received").asLong(), "out of the room: " + report);
    }

    private enum Answer { ALLOW, FAIL, REFUSE }

    /**
     * Two sockets join one room; the member joins again while the access check answers as {@code
     * answer}; then events are published (one per expected event of "other").
     */
    private static JsonNode rejoinWhile(String transport, Answer answer, String expectedOutcome,
                                        Map<String, Long> expected) throws Exception {
        try (TestGateway gw = TestGateway.start(Map.of())) {
            ApiClient user = gw.api().loginAdmin().createUser("rejoiner", "password-for-repeat-join-tests");
            String room = TestSessions.create(gw, user, "repeat join");
            String userId = user.get("/api/auth/me").json().get("id").asText();
            EventBus bus = gw.gateway().events();
            AtomicReference<Answer> access = new AtomicReference<>(Answer.ALLOW);
            SessionAccess sessions = new AnsweringAccess(gw.gateway().sessions(), access);
            GatewaySettings settings = GatewaySettings.from(EnvOverrides.load(Map.of(), Map.of(
                    "gateway.socketio.host", "127.0.0.1", "gateway.socketio.port", "0")).get("gateway"));
            SocketServer server = SocketServer.start(settings.socketIo(), new CorsPolicy(settings.corsOrigins()),
                    gw.gateway().tokens(), sessions, bus, Clock.systemUTC());
            try (server; FanOutProbe probe = new FanOutProbe("http://127.0.0.1:" + server.port(), List.of(
                    new FanOutProbe.Client("member", user.token(), room, transport, false),
                    new FanOutProbe.Client("other", user.token(), room, transport, false)))) {
                access.set(answer);
                assertEquals(expectedOutcome, probe.rejoin("member"));
                for (long i = 1; i <= expected.get("other"); i++) {
                    bus.publish(new MessageStatusUpdated(room, userId, "m-" + i, MessageStatus.SENT, null, null,
                            Instant.now()));
                }
                return probe.report(expected);
            }
        }
    }

    /** The gateway's session access, but for the access check while the test says otherwise. */
    private record AnsweringAccess(SessionAccess real, AtomicReference<Answer> answer) implements SessionAccess {

        @Override
        public boolean canAccess(Principal caller, String sessionId) {
            return switch (answer.get()) {
                case ALLOW -> real.canAccess(caller, sessionId);
                case FAIL -> throw new IllegalStateException("the database is not answering (test)");
                case REFUSE -> false;
            };
        }

        @Override
        public CompletableFuture<Void> withSnapshot(String sessionId, Consumer<SessionSnapshot> action) {
            return real.withSnapshot(sessionId, action);
        }
    }
}
