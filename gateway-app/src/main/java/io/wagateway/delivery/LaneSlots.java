package io.wagateway.delivery;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * A sink's concurrency, shared by its lanes across rounds: a lane takes a slot to run and gives it
 * back when it ends, also when it outlives the round that started it. So the sink never gets more
 * calls at once than its {@code maxConcurrency()}, however many rounds have lanes running.
 *
 * <p>Shared by target (a targeted sink, the webhook sink's subscriptions), the last free slot goes
 * only to a target that holds none: a slow receiver subscribed to many sessions, whose lanes outlive
 * round after round, then holds at most all but one slot, and another receiver's lanes still run
 * beside it instead of waiting for the slow one's deadline. A lone target therefore runs at most
 * {@code size - 1} lanes at once (one, for a sink of concurrency 1 or 2).
 *
 * <p>Thread-safe.
 */
final class LaneSlots {

    private final int size;
    private final boolean sharedByTarget;
    private final Map<String, Integer> held = new HashMap<>();
    private int taken;
    /** Counts slots given back, so that a waiter misses none given back before it waits. */
    private long given;

    LaneSlots(int size, boolean sharedByTarget) {
        if (size < 1) {
            throw new IllegalArgumentException("A sink has at least one slot, not " + size);
        }
        this.size = size;
        this.sharedByTarget = sharedByTarget;
    }

    /** @return whether a slot was taken for a lane of {@code target}; never waits */
    synchronized boolean tryTake(String target) {
        int free = size - taken;
        if (free == 0 || sharedByTarget && free == 1 && held.containsKey(target)) {
            return false;
        }
        taken++;
        held.merge(target, 1, Integer::sum);
        return true;
    }

    /** @return whether a slot is free now (for some target) */
    synchronized boolean anyFree() {
        return taken < size;
    }

    /**
     * @return the targets that could take no slot now although one is free (those holding one, when
     * the last free slot is kept for the others): a claim passes their rows over
     */
    synchronized Set<String> refused() {
        return sharedByTarget && size - taken == 1 ? Set.copyOf(held.keySet()) : Set.of();
    }

    synchronized void give(String target) {
        Integer mine = held.get(target);
        if (mine == null) {
            throw new IllegalStateException("No slot of target '" + target + "' is taken");
        }
        if (mine == 1) {
            held.remove(target);
        } else {
            held.put(target, mine - 1);
        }
        taken--;
        given++;
        notifyAll();
    }

    /** @return how many slots have been given back so far, for {@link #awaitGiven} */
    synchronized long given() {
        return given;
    }

    /** Waits until more than {@code seen} slots have been given back, at most {@code nanos}. */
    synchronized void awaitGiven(long seen, long nanos) throws InterruptedException {
        long end = System.nanoTime() + nanos;
        for (long left = nanos; given == seen && left > 0; left = end - System.nanoTime()) {
            wait(Math.max(1, left / 1_000_000), 0);
        }
    }

    /** @return slots taken now */
    synchronized int taken() {
        return taken;
    }
}
