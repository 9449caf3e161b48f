package io.wagateway.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wagateway.api.EngineContext;
import io.wagateway.api.EngineSession;
import io.wagateway.api.OutgoingMessage;
import io.wagateway.api.WhatsAppEngine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The engine lane's hand-over record against its deadlines. The deadlines are the lane's timer
 * tasks, held here and run when the test says, so "the deadline passed while the record was
 * stuck" needs no waiting for a clock.
 */
@Timeout(60)
class EngineLaneTest {

    private static final Duration DEADLINE = Duration.ofSeconds(10);
    private static final long PATIENCE_SECONDS = 10;

    private final ExecutorService engineThreads = Executors.newCachedThreadPool();
    private final HeldDeadlines deadlines = new HeldDeadlines();
    private final List<String> engineGot = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        engineThreads.shutdownNow();
        deadlines.shutdownNow();
    }

    @Test
    void aSlowHandOverRecordIsNotAnEngineThatHangs() throws Exception {
        CountDownLatch recording = new CountDownLatch(1);
        CountDownLatch recordMayEnd = new CountDownLatch(1);
        EngineLane lane = startedLane(new EngineLane.HandOvers() {
            @Override
            public void handedOver(List<String> messageIds) {
                recording.countDown();
                await(recordMayEnd);
            }

            @Override
            public void notHandedOver(List<String> messageIds) {
            }
        });

        CompletableFuture<Void> sent = lane.send(new OutgoingMessage("m1", "15550001", "hi"));
        await(recording);
        // Every deadline the lane has set so far runs out while the database write is still going.
        deadlines.runAll();
        recordMayEnd.countDown();

        sent.get(PATIENCE_SECONDS, TimeUnit.SECONDS); // not TimedOut: the engine never had the message late
        assertEquals(List.of("m1"), engineGot);
    }

    @Test
    void theEngineDoesNotGetAMessageWhoseHandOverCouldNotBeStoredAndTheNextSendRecordsOnlyItself() throws Exception {
        List<List<String>> records = new CopyOnWriteArrayList<>();
        EngineLane lane = startedLane(new EngineLane.HandOvers() {
            @Override
            public void handedOver(List<String> messageIds) {
                records.add(List.copyOf(messageIds));
                if (records.size() == 1) {
                    throw new IllegalStateException("The database writer is closed");
                }
            }

            @Override
            public void notHandedOver(List<String> messageIds) {
            }
        });

        CompletableFuture<Void> first = lane.send(new OutgoingMessage("m1", "15550001", "one"));
        ExecutionException failed = assertThrows(ExecutionException.class, () -> first.get(PATIENCE_SECONDS, TimeUnit.SECONDS));
        assertInstanceOf(EngineLane.HandOverNotRecorded.class, failed.getCause());
        lane.send(new OutgoingMessage("m2", "15550001", "two")).get(PATIENCE_SECONDS, TimeUnit.SECONDS);

        assertEquals(List.of("m2"), engineGot);
        // m1 went nowhere: it must not be recorded as handed over with the next send.
        assertEquals(List.of(List.of("m1"), List.of("m2")), records);
    }

    private EngineLane startedLane(EngineLane.HandOvers handOvers) throws Exception {
        EngineLane lane = new EngineLane(engineThreads, deadlines, DEADLINE, CompletableFuture.completedFuture(null),
                handOvers);
        lane.start(new RecordingEngine(), null).get(PATIENCE_SECONDS, TimeUnit.SECONDS);
        assertTrue(deadlines.count() > 0, "the lane sets its deadlines on the timers it is given");
        return lane;
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(PATIENCE_SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException("not reached in " + PATIENCE_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** An engine whose session only notes what it was given. */
    private final class RecordingEngine implements WhatsAppEngine {
        @Override
        public String name() {
            return "recording";
        }

        @Override
        public EngineSession open(EngineContext context) {
            return new EngineSession() {
                @Override
                public void start() {
                }

                @Override
                public void stop() {
                }

                @Override
                public void logout() {
                }

                @Override
                public void send(OutgoingMessage message) {
                    engineGot.add(message.messageId());
                }
            };
        }
    }

    /** Timers whose one-shot tasks wait here until {@link #runAll}; what the lane cancels never runs. */
    private static final class HeldDeadlines extends ScheduledThreadPoolExecutor {
        private final List<Held> held = new ArrayList<>();

        HeldDeadlines() {
            super(1);
        }

        private record Held(Runnable task, ScheduledFuture<?> handle) {
        }

        @Override
        public synchronized ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
            ScheduledFuture<?> handle = super.schedule(() -> { }, 1, TimeUnit.DAYS);
            held.add(new Held(command, handle));
            return handle;
        }

        synchronized int count() {
            return held.size();
        }

        /** Runs every task set so far and not cancelled, as if its time had come. */
        void runAll() {
            List<Held> due;
            synchronized (this) {
                due = List.copyOf(held);
            }
            due.stream().filter(h -> !h.handle().isCancelled()).forEach(h -> h.task().run());
        }
    }
}
