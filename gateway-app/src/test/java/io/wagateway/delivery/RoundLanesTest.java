package io.wagateway.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wagateway.testing.Await;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class RoundLanesTest {

    private static List<Claimed> lane(String target, String session, long... ids) {
        return java.util.Arrays.stream(ids)
                .mapToObj(id -> new Claimed(id, "e" + id, target, session, "u", "t", 0, 0, 0, "{}"))
                .toList();
    }

    /** Delivers every row; a lane of {@code hangingSession} first waits for {@code hung}, then does what {@code then} says. */
    private static BiConsumer<List<Claimed>, List<Attempt>> hangingIn(String hangingSession, CountDownLatch hung,
                                                                    Runnable then) {
        return (rows, attempts) -> {
            for (Claimed c : rows) {
                if (c.sessionId().equals(hangingSession) && c != rows.getFirst()) {
                    try {
                        hung.await();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    then.run();
                }
                attempts.add(new Attempt.Delivered(c.id()));
            }
        };
    }

    @Test
    void aLaneOutlivingThePatienceHandsItsOutcomeOverLateAndTheOthersDoNotWaitForIt() throws Exception {
        LaneSlots slots = new LaneSlots(2, false);
        RoundLanes lanes = new RoundLanes(slots, Duration.ofSeconds(2));
        CountDownLatch hung = new CountDownLatch(1);
        CompletableFuture<List<Attempt>> late = new CompletableFuture<>();
        RoundLanes.Outcome outcome = lanes.run(List.of(lane("", "s1", 1, 2), lane("", "s2", 3), lane("", "s3", 4)),
                hangingIn("s1", hung, () -> { }), late::complete);

        // Two slots: s1 hangs in one, s2 and then s3 take turns in the other.
        assertEquals(List.of(new Attempt.Delivered(3), new Attempt.Delivered(4)), outcome.attempts());
        assertEquals(3, outcome.started(), "the late lane counts as started");
        Await.until("s3 gave its slot back, the late lane keeps its own", () -> slots.taken() == 1);
        hung.countDown();
        assertEquals(List.of(new Attempt.Delivered(1), new Attempt.Delivered(2)), late.get(30, TimeUnit.SECONDS));
        lanes.awaitLanes();
        assertEquals(0, slots.taken(), "and gives it back when it ends");
    }

    @Test
    void aLateLaneThatThrowsStillHandsOverWhatItDid() throws Exception {
        RoundLanes lanes = new RoundLanes(new LaneSlots(1, false), Duration.ofMillis(50));
        CountDownLatch hung = new CountDownLatch(1);
        CompletableFuture<List<Attempt>> late = new CompletableFuture<>();
        RoundLanes.Outcome outcome = lanes.run(List.of(lane("", "s1", 1, 2)),
                hangingIn("s1", hung, () -> { throw new IllegalStateException("the database went away"); }), late::complete);
        assertEquals(List.of(), outcome.attempts());
        hung.countDown();
        // Row 1 was delivered before the lane threw: its outcome is written back, row 2 waits for its lease.
        assertEquals(List.of(new Attempt.Delivered(1)), late.get(30, TimeUnit.SECONDS));
    }

    @Test
    void anInterruptedRoundHandsOverWhatEndedAndGivesBackWhatNeverStarted() throws Exception {
        LaneSlots slots = new LaneSlots(2, false);
        RoundLanes lanes = new RoundLanes(slots, Duration.ofSeconds(30));
        CountDownLatch hung = new CountDownLatch(1);
        List<List<Attempt>> handedOver = new java.util.concurrent.CopyOnWriteArrayList<>();
        CompletableFuture<Void> running = new CompletableFuture<>();
        Thread worker = Thread.ofVirtual().start(() -> {
            try {
                lanes.run(List.of(lane("", "s1", 1, 2), lane("", "s2", 3), lane("", "s3", 4)), (rows, attempts) -> {
                    if (rows.getFirst().sessionId().equals("s2")) {
                        attempts.add(new Attempt.Delivered(3));
                        return;
                    }
                    running.complete(null);
                    try {
                        hung.await(); // s1, then s3 in s2's slot: both hang
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    rows.forEach(c -> attempts.add(new Attempt.Delivered(c.id())));
                }, handedOver::add);
            } catch (InterruptedException expected) {
                handedOver.add(List.of(new Attempt.Released(-1))); // marks that run() threw
            }
        });
        running.get(30, TimeUnit.SECONDS);
        Await.until("s2 ended and s3 took its slot", () -> slots.given() == 1 && slots.taken() == 2);
        worker.interrupt();
        Await.until("the round's ended lane handed over", () -> handedOver.contains(List.of(new Attempt.Delivered(3))),
                () -> handedOver);
        hung.countDown();
        Await.until("the running lanes handed theirs over when they ended", () -> handedOver.size() == 4, () -> handedOver);
        assertEquals(Set.of(List.of(new Attempt.Released(-1)), List.of(new Attempt.Delivered(3)),
                        List.of(new Attempt.Delivered(1), new Attempt.Delivered(2)), List.of(new Attempt.Delivered(4))),
                Set.copyOf(handedOver));
        worker.join();
    }

    @Test
    void lanesThatGetNoSlotWithinThePatienceAreGivenBackUntried() throws Exception {
        LaneSlots slots = new LaneSlots(1, false);
        assertTrue(slots.tryTake("")); // held by a lane of an earlier round
        RoundLanes lanes = new RoundLanes(slots, Duration.ofMillis(50));
        RoundLanes.Outcome outcome = lanes.run(List.of(lane("", "s1", 1, 2)),
                (rows, attempts) -> { throw new AssertionError("no slot, no delivery"); },
                attempts -> { throw new AssertionError("nothing started, nothing late"); });
        assertEquals(List.of(new Attempt.Released(1), new Attempt.Released(2)), outcome.attempts());
        assertEquals(0, outcome.started());
    }

    @Test
    void aRoundWhoseLanesEndInTimeTakesAllTheirOutcomes() throws Exception {
        RoundLanes lanes = new RoundLanes(new LaneSlots(4, true), Duration.ofSeconds(30));
        long start = System.nanoTime();
        RoundLanes.Outcome outcome = lanes.run(List.of(lane("a", "s1", 1), lane("b", "s1", 2)),
                (rows, attempts) -> rows.forEach(c -> attempts.add(new Attempt.Delivered(c.id()))),
                attempts -> { throw new AssertionError("none late"); });
        assertEquals(Set.of(new Attempt.Delivered(1), new Attempt.Delivered(2)), Set.copyOf(outcome.attempts()));
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(20), "it returns when they end, not at its patience");
    }
}
