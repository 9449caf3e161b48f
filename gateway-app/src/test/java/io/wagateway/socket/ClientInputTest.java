package io.wagateway.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What the endpoint reads from clients: join payloads, auth-less CONNECT packets, the event rate. */
class ClientInputTest {

    @Test
    void sessionIdFromStringOrObjectOnly() {
        assertEquals(Optional.of("s-1"), SessionRoomHandlers.sessionId("s-1"));
        assertEquals(Optional.of("s-1"), SessionRoomHandlers.sessionId(Map.of("sessionId", "s-1")));
        for (Object wrong : Arrays.asList(null, 42, "", " ", List.of("s-1"), Map.of(), Map.of("sessionId", 42),
                true, "x".repeat(129))) {
            assertEquals(Optional.empty(), SessionRoomHandlers.sessionId(wrong), String.valueOf(wrong));
        }
    }

    @Test
    void connectWithoutAuthIsRecognisedAloneAndInAPollingBatch() {
        assertTrue(HandshakeGuard.connectsWithoutAuth(buffer("40")));
        assertTrue(HandshakeGuard.connectsWithoutAuth(buffer("2\u001e40")));
        assertFalse(HandshakeGuard.connectsWithoutAuth(buffer("40{\"token\":\"x\"}")));
        assertFalse(HandshakeGuard.connectsWithoutAuth(buffer("40{}")));
        assertFalse(HandshakeGuard.connectsWithoutAuth(buffer("40/,{\"token\":\"x\"}")));
        assertTrue(HandshakeGuard.connectsWithoutAuth(buffer("40null")), "auth that is not an object");
        assertTrue(HandshakeGuard.connectsWithoutAuth(buffer("40[]")));
        assertTrue(HandshakeGuard.connectsWithoutAuth(buffer("40\"token\"")));
        assertTrue(HandshakeGuard.connectsWithoutAuth(buffer("40/,")));
        assertFalse(HandshakeGuard.connectsWithoutAuth(buffer("40/admin,")));
        assertFalse(HandshakeGuard.connectsWithoutAuth(buffer("42[\"join_session\",\"40\"]")));
    }

    @Test
    void tokenBucketAllowsTheBurstThenRefillsAtTheRate() {
        long t0 = 0;
        TokenBucket bucket = new TokenBucket(10, t0);
        for (int i = 0; i < 10; i++) {
            assertTrue(bucket.tryTake(t0));
        }
        assertFalse(bucket.tryTake(t0));
        assertTrue(bucket.tryTake(t0 + TimeUnit.MILLISECONDS.toNanos(100)));
        assertFalse(bucket.tryTake(t0 + TimeUnit.MILLISECONDS.toNanos(100)));
        long later = t0 + TimeUnit.SECONDS.toNanos(10);
        for (int i = 0; i < 10; i++) {
            assertTrue(bucket.tryTake(later), "refilled up to the burst, no more");
        }
        assertFalse(bucket.tryTake(later));
    }

    @Test
    void floodingIsNotifiedOncePerSecondAndFlaggedAbusiveOnce() {
        SocketState state = new SocketState(null, null, 10, 0);
        for (int i = 0; i < 10; i++) {
            assertEquals(SocketState.Rate.ALLOWED, state.rate(0));
        }
        assertEquals(SocketState.Rate.DROPPED_NOTIFY, state.rate(0));
        for (int i = 2; i < 50; i++) {
            assertEquals(SocketState.Rate.DROPPED, state.rate(1));
        }
        assertEquals(SocketState.Rate.ABUSIVE, state.rate(2));
        assertEquals(SocketState.Rate.DROPPED, state.rate(3));
    }

    @Test
    void roomReservationsRespectTheCap() {
        SocketState state = new SocketState(null, null, 10, 0);
        assertEquals(SocketState.Reservation.NEW, state.reserveRoom("a", 2));
        assertEquals(SocketState.Reservation.ALREADY, state.reserveRoom("a", 2));
        assertEquals(SocketState.Reservation.NEW, state.reserveRoom("b", 2));
        assertEquals(SocketState.Reservation.FULL, state.reserveRoom("c", 2));
        state.releaseRoom("a");
        assertEquals(SocketState.Reservation.NEW, state.reserveRoom("c", 2));
    }

    private static io.netty.buffer.ByteBuf buffer(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
    }
}
