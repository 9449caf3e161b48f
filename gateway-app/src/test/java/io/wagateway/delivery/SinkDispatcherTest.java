package io.wagateway.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wagateway.api.EventSink;
import io.wagateway.api.GatewayEvent;
import io.wagateway.api.RetriableException;
import io.wagateway.api.SessionStatus;
import io.wagateway.api.SessionStatusChanged;
import io.wagateway.event.EventBus;
import io.wagateway.plugin.RegisteredSink;
import io.wagateway.plugin.SinkRegistry;
import io.wagateway.testing.Await;
import io.wagateway.testkit.TestSinkContext;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Delivery to sinks: order, retries, skips, drops, sinks coming and going. */
class SinkDispatcherTest {

    private static final SinkDispatcher.Settings FAST =
            new SinkDispatcher.Settings(1_000, Duration.ofMillis(1), Duration.ofMillis(8), Duration.ofSeconds(5));

    private final EventBus bus = new EventBus();
    private final FakeRegistry registry = new FakeRegistry();
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable closeable : toClose.reversed()) {
            closeable.close();
        }
    }

    private SinkDispatcher dispatcher(SinkDispatcher.Settings settings) {
        SinkDispatcher dispatcher = new SinkDispatcher(bus, registry, settings, new EventEnvelopes(io.wagateway.socket.EventPayloads::of));
        toClose.add(dispatcher);
        dispatcher.start();
        return dispatcher;
    }

    private static GatewayEvent event(int n) {
        return new SessionStatusChanged("s-" + n, "u1", SessionStatus.CONNECTING, null, null, null, Instant.now());
    }

    private static List<String> sessions(int count) {
        return IntStream.range(0, count).mapToObj(n -> "s-" + n).toList();
    }

    private static SinkDispatcher.SinkStatus status(SinkDispatcher dispatcher, String name) {
        return dispatcher.status().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void everySinkGetsEveryEventInOrder() {
        TestSink fast = registry.add(new TestSink("fast", event -> { }));
        TestSink slow = registry.add(new TestSink("slow", event -> Thread.yield()));
        SinkDispatcher dispatcher = dispatcher(FAST);

        for (int n = 0; n < 500; n++) {
            bus.publish(event(n));
        }

        Await.until("500 events each", () -> fast.received.size() == 500 && slow.received.size() == 500,
                dispatcher::status);
        assertEquals(sessions(500), fast.sessionIds());
        assertEquals(sessions(500), slow.sessionIds());
        assertEquals(500, status(dispatcher, "slow").delivered());
    }

    @Test
    void retriableFailureIsRetriedThenDeliveredInOrder() {
        int[] failuresLeft = {3};
        TestSink flaky = registry.add(new TestSink("flaky", event -> {
            if (event.sessionId().equals("s-2") && failuresLeft[0]-- > 0) {
                throw new RetriableException("remote busy");
            }
        }));
        SinkDispatcher dispatcher = dispatcher(FAST);

        for (int n = 0; n < 5; n++) {
            bus.publish(event(n));
        }

        Await.until("5 events", () -> flaky.received.size() == 5, dispatcher::status);
        assertEquals(sessions(5), flaky.sessionIds());
        SinkDispatcher.SinkStatus status = status(dispatcher, "flaky");
        assertEquals(3, status.retries());
        assertEquals(0, status.skipped());
        assertEquals(5, status.delivered());
        assertEquals("RetriableException: remote busy", status.lastError());
    }

    @Test
    void otherFailureSkipsTheEventAndIsRecorded() {
        TestSink picky = registry.add(new TestSink("picky", event -> {
            if (event.sessionId().equals("s-1")) {
                throw new IllegalArgumentException("bad payload");
            }
        }));
        SinkDispatcher dispatcher = dispatcher(FAST);

        for (int n = 0; n < 3; n++) {
            bus.publish(event(n));
        }

        Await.until("2 events", () -> picky.received.size() == 2 && status(dispatcher, "picky").skipped() == 1,
                dispatcher::status);
        assertEquals(List.of("s-0", "s-2"), picky.sessionIds());
        SinkDispatcher.SinkStatus status = status(dispatcher, "picky");
        assertEquals("IllegalArgumentException: bad payload", status.lastError());
        assertNotNull(status.lastErrorAt());
    }

    @Test
    void fullQueueDropsAndCountsWithoutBlockingThePublisher() throws InterruptedException {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        TestSink stuck = registry.add(new TestSink("stuck", event -> {
            entered.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        SinkDispatcher dispatcher = dispatcher(new SinkDispatcher.Settings(2, Duration.ofMillis(1), Duration.ofMillis(8),
                Duration.ofSeconds(5)));

        bus.publish(event(0));
        assertTrue(entered.await(5, TimeUnit.SECONDS));
        for (int n = 1; n < 10; n++) {
            bus.publish(event(n)); // returns at once although the sink is stuck
        }
        SinkDispatcher.SinkStatus status = status(dispatcher, "stuck");
        assertEquals(2, status.queued());
        assertEquals(7, status.dropped());

        release.countDown();
        Await.until("3 events", () -> stuck.received.size() == 3, dispatcher::status);
        assertEquals(List.of("s-0", "s-1", "s-2"), stuck.sessionIds());
    }

    @Test
    void sinksComingAndGoingAreFollowed() {
        SinkDispatcher dispatcher = dispatcher(FAST);
        bus.publish(event(0)); // no sink yet: nobody gets it

        TestSink late = new TestSink("late", event -> { });
        RegisteredSink registered = registry.add(late, true);
        bus.publish(event(1));
        Await.until("event 1", () -> late.received.size() == 1, dispatcher::status);

        registry.remove(registered);
        assertTrue(dispatcher.status().isEmpty());
        bus.publish(event(2));
        assertEquals(List.of("s-1"), late.sessionIds(), "nothing delivered after removal");
    }

    @Test
    void retryingSinkIsStoppedPromptlyWhenRemoved() {
        TestSink down = new TestSink("down", event -> {
            throw new RetriableException("always down");
        });
        RegisteredSink registered = registry.add(down, true);
        SinkDispatcher dispatcher = dispatcher(new SinkDispatcher.Settings(10, Duration.ofSeconds(30),
                Duration.ofSeconds(30), Duration.ofSeconds(5)));
        bus.publish(event(0));
        Await.until("first attempt", () -> status(dispatcher, "down").retries() == 1, dispatcher::status);

        long before = System.nanoTime();
        registry.remove(registered); // interrupts the 30 s backoff
        assertTrue(Duration.ofNanos(System.nanoTime() - before).compareTo(Duration.ofSeconds(5)) < 0);
    }

    /** A sink on the test class path that records what it receives. */
    static final class TestSink implements EventSink {
        final BlockingQueue<GatewayEvent> received = new LinkedBlockingQueue<>();
        private final String name;
        private final Consumer<GatewayEvent> behaviour;

        TestSink(String name, Consumer<GatewayEvent> behaviour) {
            this.name = name;
            this.behaviour = behaviour;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public void deliver(GatewayEvent event) {
            behaviour.accept(event);
            received.add(event);
        }

        List<String> sessionIds() {
            return received.stream().map(GatewayEvent::sessionId).toList();
        }
    }

    /** A registry whose sinks the test adds and removes. */
    static final class FakeRegistry implements SinkRegistry {
        private final List<RegisteredSink> sinks = new CopyOnWriteArrayList<>();
        private final List<Listener> listeners = new CopyOnWriteArrayList<>();

        TestSink add(TestSink sink) {
            add(sink, false);
            return sink;
        }

        RegisteredSink add(TestSink sink, boolean announce) {
            RegisteredSink registered = new RegisteredSink(sink.name(), "test", sink, TestSinkContext.empty());
            sinks.add(registered);
            if (announce) {
                listeners.forEach(listener -> listener.sinkAdded(registered));
            }
            return registered;
        }

        void remove(RegisteredSink sink) {
            sinks.remove(sink);
            listeners.forEach(listener -> listener.sinkRemoving(sink));
        }

        @Override
        public List<RegisteredSink> sinks() {
            return List.copyOf(sinks);
        }

        @Override
        public AutoCloseable addSinkListener(Listener listener) {
            listeners.add(listener);
            sinks.forEach(listener::sinkAdded);
            return () -> listeners.remove(listener);
        }
    }
}
