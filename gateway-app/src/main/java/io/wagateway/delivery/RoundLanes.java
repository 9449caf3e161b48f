package io.wagateway.delivery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Phaser;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Runs each round's lanes side by side, as the sink's {@link LaneSlots} allow, each on a virtual
 * thread, and waits for them at most a patience. A lane still running then goes on alone and hands
 * its outcome over when it ends, so the round's other lanes, and the next rounds' lanes of other
 * targets and sessions, do not wait for one slow receiver up to its deadline. A lane that got no
 * slot by then is given back untried.
 */
final class RoundLanes {

    private final LaneSlots slots;
    private final Duration patience;
    /** Lanes running, of any round. */
    private final Phaser running = new Phaser(1);

    RoundLanes(LaneSlots slots, Duration patience) {
        this.slots = slots;
        this.patience = patience;
    }

    /**
     * What a round did.
     *
     * @param attempts what became of the rows of the lanes that ended within the patience, and of
     *                 those of lanes that never started (given back)
     * @param started  lanes started, late ones included
     */
    record Outcome(List<Attempt> attempts, int started) {
    }

    /**
     * @param order       the round's lanes in the order they should get slots
     * @param deliverLane delivers a lane, adding what became of each row to the list, in order
     * @param late        takes the attempts of a lane that outlived the round, on the lane's thread
     *                    (also those of the round's ended and unstarted lanes when it is interrupted,
     *                    on a thread of its own)
     */
    Outcome run(List<List<Claimed>> order, BiConsumer<List<Claimed>, List<Attempt>> deliverLane,
                Consumer<List<Attempt>> late) throws InterruptedException {
        List<List<Claimed>> waiting = new LinkedList<>(order);
        List<Lane> started = new ArrayList<>(order.size());
        AtomicInteger ended = new AtomicInteger();
        long end = System.nanoTime() + patience.toNanos();
        try {
            startAndAwait(waiting, started, ended, end, deliverLane, late);
        } catch (InterruptedException e) {
            // The worker is stopping and gave up waiting: the lanes running hand over their own
            // outcome, what ended or never started is written back off this interrupted thread.
            List<Attempt> settled = settle(waiting, started);
            if (!settled.isEmpty()) {
                Thread.ofVirtual().start(() -> late.accept(settled));
            }
            throw e;
        }
        return new Outcome(settle(waiting, started), started.size());
    }

    /** Starts waiting lanes as slots come free, until every lane has ended or the patience is over. */
    private void startAndAwait(List<List<Claimed>> waiting, List<Lane> started, AtomicInteger ended, long end,
                               BiConsumer<List<Claimed>, List<Attempt>> deliverLane, Consumer<List<Attempt>> late)
            throws InterruptedException {
        while (true) {
            long seen = slots.given();
            Set<String> refused = new HashSet<>(); // until a slot is given back: one try per target
            for (Iterator<List<Claimed>> it = waiting.iterator(); it.hasNext(); ) {
                List<Claimed> rows = it.next();
                String target = rows.getFirst().targetId();
                if (refused.contains(target)) {
                    continue;
                }
                if (slots.tryTake(target)) {
                    it.remove();
                    started.add(start(rows, target, deliverLane, late, ended));
                } else {
                    refused.add(target);
                }
            }
            long left = end - System.nanoTime();
            if (waiting.isEmpty() && ended.get() == started.size() || left <= 0) {
                break;
            }
            // A lane ending gives its slot back, so this wakes both for a free slot and for an end.
            slots.awaitGiven(seen, left);
        }
    }

    /** @return the attempts of the lanes that ended and the unstarted lanes' rows given back; the others are late */
    private static List<Attempt> settle(List<List<Claimed>> waiting, List<Lane> started) {
        List<Attempt> outcome = new ArrayList<>();
        for (List<Claimed> rows : waiting) {
            for (Claimed c : rows) {
                outcome.add(new Attempt.Released(c.id()));
            }
        }
        for (Lane lane : started) {
            outcome.addAll(lane.endedOrLate());
        }
        return outcome;
    }

    /** Waits until no lane of any round is running, late ones included. */
    void awaitLanes() throws InterruptedException {
        running.awaitAdvanceInterruptibly(running.arrive());
    }

    private Lane start(List<Claimed> rows, String target, BiConsumer<List<Claimed>, List<Attempt>> deliverLane,
                       Consumer<List<Attempt>> late, AtomicInteger ended) {
        Lane lane = new Lane();
        running.register();
        Thread.ofVirtual().start(() -> {
            try {
                List<Attempt> attempts = new ArrayList<>(rows.size());
                try {
                    deliverLane.accept(rows, attempts);
                } finally {
                    // Also when the lane threw: what it did is written back, the rest waits for its lease.
                    boolean isLate = lane.end(attempts);
                    ended.incrementAndGet();
                    slots.give(target);
                    if (isLate) {
                        late.accept(attempts);
                    }
                }
            } finally {
                running.arriveAndDeregister();
            }
        });
        return lane;
    }

    /** A started lane: it ends within its round (the round takes its attempts) or late (it hands them over). */
    private static final class Lane {
        private List<Attempt> attempts;
        private boolean late;

        /** @return whether the round had already given up waiting (the attempts are the lane's to hand over) */
        synchronized boolean end(List<Attempt> done) {
            attempts = done;
            return late;
        }

        /** @return the attempts if ended; otherwise none, and the lane will hand them over when it ends */
        synchronized List<Attempt> endedOrLate() {
            if (attempts != null) {
                return attempts;
            }
            late = true;
            return List.of();
        }
    }
}
