package io.wagateway.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

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
        slots.awaitGiven(seen, TimeUnit.SECONDS.toNanos(30));
        assertEquals(seen + 1, slots.given(), "woken by the slot given back");
        giver.join();
        slots.awaitGiven(seen, TimeUnit.SECONDS.toNanos(30)); // given before the wait: returns at once
        assertTrue(slots.tryTake(""));
    }
}
