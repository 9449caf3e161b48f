package io.wagateway.socket;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wagateway.testing.LogCapture;
import io.wagateway.testing.TestGateway;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A client that stops answering pings is dropped, and the gateway's log says so (netty-socketio only debug-logs it). */
class PingTimeoutTest {

    @Test
    void aClientThatAnswersNoPingIsDroppedWithALogLineAndOneThatAnswersStays() throws Exception {
        try (TestGateway gw = TestGateway.start(Map.of("gateway.socketio.ping-interval", "300ms",
                "gateway.socketio.ping-timeout", "300ms"));
             LogCapture log = LogCapture.on(PingTimeouts.class.getName())) {
            String token = gw.api().loginAdmin().token();
            long before = gw.gateway().socketServer().pingTimeoutsDropped();
            RawSocketIoClient silent = RawSocketIoClient.connect(gw.socketPort(), token, false);
            RawSocketIoClient answering = RawSocketIoClient.connect(gw.socketPort(), token, true);
            String sid = silent.sid.get(5, TimeUnit.SECONDS);
            answering.sid.get(5, TimeUnit.SECONDS);

            // 300 ms + 300 ms after the handshake, give or take netty-socketio's timer.
            assertTrue(log.awaitMessage(m -> m.contains("Dropped the Socket.IO client " + sid) && m.contains("ping-interval"),
                    Duration.ofSeconds(20)), "logged: " + log.messages() + "; the client got " + silent.packets);
            assertTrue(gw.gateway().socketServer().pingTimeoutsDropped() > before);
            assertTrue(silent.toldToGo.get(10, TimeUnit.SECONDS), "the client got " + silent.packets);
            // Several intervals later, the client that answers every ping is still there.
            assertTrue(answering.pongs.get(10, TimeUnit.SECONDS) >= 3);
            assertFalse(answering.closed.isDone(), "a client that answers pings is kept");
        }
    }
}
