package io.wagateway.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class LaneSlotsTest {

    @Test
    void anUntargetedSinksLanesTakeEverySlot() {
        LaneSlots slots = new LaneSlots(3, false);
        for (int i = 0; i < 3; i++) {
            assertTrue(slots.tryTake(""), "slot " + i);
        }
        assertFalse(slots.tryTake(""), "no fourth");
        slots.give("");
        assertTrue(slots.tryTake(""), "one given back, one taken again");
        assertEquals(3, slots.taken());
    }

    @Test
    void theLastFreeSlotGoesOnlyToATargetHoldingNone() {
        LaneSlots slots = new LaneSlots(3, true);
        assertTrue(slots.tryTake("slow"));
        assertTrue(slots.tryTake("slow"));
        assertFalse(slots.tryTake("slow"), "the last slot is kept for another target");
        assertTrue(slots.tryTake("quick"), "which takes it");
        assertFalse(slots.tryTake("other"), "all taken");
        slots.give("slow");
        assertFalse(slots.tryTake("quick"), "quick holds one: the last free slot is not for it");
        assertTrue(slots.tryTake("other"));
        assertThrows(IllegalStateException.class, () -> slots.give("nobody"));
        assertThrows(IllegalArgumentException.class, () -> new LaneSlots(0, true));
    }

    @Test
    void aClaimPassesOverTheTargetsTheLastFreeSlotIsKeptFrom() {
        LaneSlots slots = new LaneSlots(3, true);
        assertEquals(Set.of(), slots.refused(), "two free: anyone may take one");
        assertTrue(slots.tryTake("slow"));
        assertTrue(slots.tryTake("slow"));
        assertEquals(Set.of("slow"), slots.refused());
        assertTrue(slots.anyFree());
        assertTrue(slots.tryTake("quick"));
        assertFalse(slots.anyFree());
        slots.give("slow");
        assertEquals(Set.of("slow", "quick"), slots.refused());
        LaneSlots untargeted = new LaneSlots(2, false);
        assertTrue(untargeted.tryTake(""));
        assertEquals(Set.of(), untargeted.refused(), "an untargeted sink's lanes share every slot");
    }

    @Test
    void aSinkOfOneSlotStillRunsALoneTarget() {
        LaneSlots slots = new LaneSlots(1, true);
        assertTrue(slots.tryTake("only"));
        assertFalse(slots.tryTake("other"));
    }

    @Test
    void aWaiterWakesWhenASlotIsGivenBackAndOtherwiseAtItsTimeout() throws Exception {
        LaneSlots slots = new LaneSlots(1, false);
        assertTrue(slots.tryTake(""));
        long seen = slots.given();
        long start = System.nanoTime();
        slots.awaitGiven(seen, TimeUnit.MILLISECONDS.toNanos(50));
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(50), "nothing given: the whole wait");
        Thread giver = Thread.ofVirtual().start(() -> slots.give(""));
        long woken = System.nanoTime();
        slots.awaitGiven(seen, TimeUnit.SECONDS.toNanos(30));
        assertTrue(System.nanoTime() - woken < TimeUnit.SECONDS.toNanos(20), "woken by the slot given back, not at the timeout");
        assertEquals(seen + 1, slots.given());
        giver.join();
        slots.awaitGiven(seen, TimeUnit.SECONDS.toNanos(30)); // given before the wait: returns at once
        assertTrue(slots.tryTake(""));
    }
}
