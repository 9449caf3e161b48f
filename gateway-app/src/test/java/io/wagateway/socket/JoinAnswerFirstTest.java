package io.wagateway.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.wagateway.api.MessageStatus;
import io.wagateway.api.MessageStatusUpdated;
import io.wagateway.config.EnvOverrides;
import io.wagateway.config.GatewaySettings;
import io.wagateway.event.EventBus;
import io.wagateway.http.CorsPolicy;
import io.wagateway.testing.ApiClient;
import io.wagateway.testing.TestGateway;
import io.wagateway.testing.TestSessions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A client gets a room's events only after its {@code session_joined}, whichever thread publishes
 * them. A room's events need not come from the session's executor (the join's snapshot is ordered
 * against those only), so a broadcast can run at any instant of a join. The instant that matters
 * is made deterministic here: a Socket.IO server built from the gateway's real parts (token
 * service, session service, event bus) reads a clock that publishes an event to the room while
 * the join's answer is being made, on the joining thread, as another publisher could at that
 * very moment. Joining the room before queuing the answer let that event reach the client first.
 * An event published on another thread at that moment must wait until the join is done ({@link
 * RoomLocks}) and then reach the joiner too: a broadcast may not run inside a join's entry (the
 * answer queued, then the membership), whose middle is where such an event was lost to a client
 * already told it had joined.
 */
class JoinAnswerFirstTest {

    @ParameterizedTest
    @ValueSource(strings = {"websocket", "polling"})
    void anEventPublishedWhileAJoinIsAnsweredNeverReachesTheJoinerBeforeItsAnswer(String transport) throws Exception {
        // On the joining thread, the event comes before the entry: not for the joiner.
        joinWhilePublishing(transport, Runnable::run, 1, () -> { });
    }

    @ParameterizedTest
    @ValueSource(strings = {"websocket", "polling"})
    void anEventPublishedOnAnotherThreadWhileAJoinIsAnsweredReachesTheJoinerAfterItsAnswer(String transport)
            throws Exception {
        List<Thread> publishers = new CopyOnWriteArrayList<>();
        joinWhilePublishing(transport, publish -> publishers.add(onAnotherThreadUntilDoneOrWaitingForTheRoom(publish)), 2,
                () -> publishers.forEach(JoinAnswerFirstTest::awaitEnd));
    }

    /**
     * The event published while the join was answered must be broadcast before the test publishes
     * the next: two publishers on two threads have no order of their own, and on a busy machine the
     * one let go by the join could otherwise broadcast after the test's next event.
     */
    private static void awaitEnd(Thread publisher) {
        try {
            publisher.join(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
        if (publisher.isAlive()) {
            throw new AssertionError("the other publisher did not finish after the join");
        }
    }

    /**
     * Runs {@code publish} on a thread of its own and returns once it is done or waits for the
     * room's lock: the instant another publisher would broadcast, whether or not the join holds
     * the room then.
     */
    private static Thread onAnotherThreadUntilDoneOrWaitingForTheRoom(Runnable publish) {
        Thread publisher = Thread.ofPlatform().name("other-publisher").start(publish);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        try {
            while (publisher.isAlive() && !waitsForTheRoom(publisher)) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the other publisher neither finished nor waited for the room");
                }
                publisher.join(Duration.ofMillis(1));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
        return publisher;
    }

    private static boolean waitsForTheRoom(Thread thread) {
        StackTraceElement[] stack = thread.getStackTrace();
        return thread.getState() == Thread.State.BLOCKED && stack.length > 0
                && stack[0].getClassName().equals(RoomLocks.class.getName());
    }

    /**
     * @param publishAsTheJoinIsAnswered how the event published while the join is answered is published
     * @param joinerEvents               the room's events the joiner must get: that one or not, and the one after
     * @param beforeTheNext              waits until that event is broadcast, before the test publishes the next
     */
    private void joinWhilePublishing(String transport, Consumer<Runnable> publishAsTheJoinIsAnswered,
                                     long joinerEvents, Runnable beforeTheNext) throws Exception {
        try (TestGateway gw = TestGateway.start(Map.of())) {
            ApiClient user = gw.api().loginAdmin().createUser("joiner", "password-for-join-answer-tests");
            String room = TestSessions.create(gw, user, "join answer");
            String userId = user.get("/api/auth/me").json().get("id").asText();
            EventBus bus = gw.gateway().events();
            AtomicLong seq = new AtomicLong();
            Runnable publish = () -> bus.publish(new MessageStatusUpdated(room, userId, "m-" + seq.incrementAndGet(),
                    MessageStatus.SENT, null, null, Instant.now()));
            PublishingClock clock = new PublishingClock(() -> publishAsTheJoinIsAnswered.accept(publish));
            GatewaySettings settings = GatewaySettings.from(EnvOverrides.load(Map.of(), Map.of(
                    "gateway.socketio.host", "127.0.0.1", "gateway.socketio.port", "0")).get("gateway"));
            SocketServer server = SocketServer.start(settings.socketIo(), new CorsPolicy(settings.corsOrigins()),
                    gw.gateway().tokens(), gw.gateway().sessions(), bus, clock);
            try (server; FanOutProbe probe = new FanOutProbe("http://127.0.0.1:" + server.port(), List.of(
                    new FanOutProbe.Client("member", user.token(), room, transport, false),
                    new FanOutProbe.Client("joiner", user.token(), room, transport, true)))) {
                clock.arm();
                probe.join("joiner");
                beforeTheNext.run();
                publish.run(); // after the answer: the joiner must get it
                JsonNode report = probe.report(Map.of("member", 2L, "joiner", joinerEvents));
                JsonNode member = report.get("member");
                JsonNode joiner = report.get("joiner");
                assertEquals(1, clock.published(), "one event was published while the join was answered");
                assertEquals(2, member.get("received").asLong(), "both events went to the room: " + member);
                assertEquals(0, joiner.get("eventsBeforeJoined").asLong(),
                        "nothing of the room before session_joined: " + joiner);
                assertEquals(List.of("connected", "session_joined", "session_status_changed", "message_status_updated"),
                        names(joiner.get("sequence")), "the answer, the snapshot, then the room's events: " + joiner);
                assertEquals(joinerEvents, joiner.get("received").asLong(), joiner.toString());
                assertEquals(2, joiner.get("lastSeq").asLong(), joiner.toString());
                assertEquals(0, joiner.get("gaps").asLong() + joiner.get("outOfOrder").asLong(), joiner.toString());
            }
        }
    }

    private static List<String> names(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    /**
     * The system clock, except that once armed, the first read made while a client enters a room
     * (in {@code SessionRoomHandlers.enterRoom}: the answer's timestamp) first publishes an event
     * (on the reading thread, or on another that it lets go as far as the room). Matched by method, not class: the same class reads the clock on the
     * I/O thread before the join, where publishing would test nothing (and a renamed method fails
     * the test's count instead of passing it).
     */
    private static final class PublishingClock extends Clock {

        private final Runnable publish;
        private final AtomicBoolean armed = new AtomicBoolean();
        private final AtomicInteger published = new AtomicInteger();

        PublishingClock(Runnable publish) {
            this.publish = publish;
        }

        void arm() {
            armed.set(true);
        }

        int published() {
            return published.get();
        }

        @Override
        public Instant instant() {
            if (armed.get() && answeringAJoin() && armed.compareAndSet(true, false)) {
                publish.run();
                published.incrementAndGet();
            }
            return Instant.now();
        }

        private static boolean answeringAJoin() {
            return StackWalker.getInstance().walk(frames -> frames.anyMatch(
                    f -> f.getClassName().equals(SessionRoomHandlers.class.getName())
                            && f.getMethodName().equals("enterRoom")));
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException("a test clock in UTC");
        }
    }
}
