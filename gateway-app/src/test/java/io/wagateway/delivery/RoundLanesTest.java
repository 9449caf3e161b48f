package io.wagateway.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class RoundLanesTest {

    private static List<Claimed> lane(String target, String session, long... ids) {
        return java.util.Arrays.stream(ids)
                .mapToObj(id -> new Claimed(id, "e" + id, target, session, "u", "t", 0, 0, 0, "{}"))
                .toList();
    }

    @Test
    void aLaneOutlivingThePatienceHandsItsOutcomeOverLateAndTheOthersDoNotWaitForIt() throws Exception {
        LaneSlots slots = new LaneSlots(2, false);
        RoundLanes lanes = new RoundLanes(slots, Duration.ofMillis(100));
        CountDownLatch hung = new CountDownLatch(1);
        CompletableFuture<List<Attempt>> late = new CompletableFuture<>();
        List<Attempt> outcome = lanes.run(List.of(lane("", "s1", 1, 2), lane("", "s2", 3), lane("", "s3", 4)),
                (rows, attempts) -> {
                    if (rows.getFirst().sessionId().equals("s1")) {
                        try {
                            hung.await();
                        } catch (InterruptedException e) {
                            throw new IllegalStateException(e);
                        }
                    }
                    rows.forEach(c -> attempts.add(new Attempt.Delivered(c.id())));
                }, late::complete);

        // Two slots: s1 hangs in one, s2 and then s3 take turns in the other.
        assertEquals(List.of(new Attempt.Delivered(3), new Attempt.Delivered(4)), outcome);
        assertEquals(1, slots.taken(), "the late lane keeps its slot");
        hung.countDown();
        assertEquals(List.of(new Attempt.Delivered(1), new Attempt.Delivered(2)), late.get(30, TimeUnit.SECONDS));
        lanes.awaitLanes();
        assertEquals(0, slots.taken(), "and gives it back when it ends");
    }

    @Test
    void lanesThatGetNoSlotWithinThePatienceAreGivenBackUntried() throws Exception {
        LaneSlots slots = new LaneSlots(1, false);
        assertTrue(slots.tryTake("")); // held by a lane of an earlier round
        RoundLanes lanes = new RoundLanes(slots, Duration.ofMillis(50));
        List<Attempt> outcome = lanes.run(List.of(lane("", "s1", 1, 2)),
                (rows, attempts) -> { throw new AssertionError("no slot, no delivery"); },
                attempts -> { throw new AssertionError("nothing started, nothing late"); });
        assertEquals(List.of(new Attempt.Released(1), new Attempt.Released(2)), outcome);
    }

    @Test
    void aRoundWhoseLanesEndInTimeTakesAllTheirOutcomes() throws Exception {
        RoundLanes lanes = new RoundLanes(new LaneSlots(4, true), Duration.ofSeconds(30));
        long start = System.nanoTime();
        List<Attempt> outcome = lanes.run(List.of(lane("a", "s1", 1), lane("b", "s1", 2)),
                (rows, attempts) -> rows.forEach(c -> attempts.add(new Attempt.Delivered(c.id()))),
                attempts -> { throw new AssertionError("none late"); });
        assertEquals(java.util.Set.of(new Attempt.Delivered(1), new Attempt.Delivered(2)), java.util.Set.copyOf(outcome));
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(20), "it returns when they end, not at its patience");
    }
}
