package io.wagateway.socket;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Consumer;

/**
 * What a burst of events on one thread left to send, sent when the burst ends: the
 * {@link RoomBroadcaster#holding} of the writers below the broadcaster. A holding inside a
 * holding ends with the outer one.
 *
 * @param <T> what is held (a lane to drain, a client to answer), each sent once
 */
final class BurstHold<T> {

    private final ThreadLocal<Set<T>> held = new ThreadLocal<>();
    private final Consumer<T> send;

    /** @param send what to do with each held item when the holding ends; must not block */
    BurstHold(Consumer<T> send) {
        this.send = send;
    }

    /** Runs {@code publishing}, then sends what it held, also when it threw. */
    void run(Runnable publishing) {
        if (held.get() != null) {
            publishing.run();
            return;
        }
        Set<T> items = new LinkedHashSet<>();
        held.set(items);
        try {
            publishing.run();
        } finally {
            held.remove();
            items.forEach(send);
        }
    }

    /** @return whether a holding runs on this thread; then it sends {@code item} when it ends */
    boolean hold(T item) {
        Set<T> items = held.get();
        if (items == null) {
            return false;
        }
        items.add(item);
        return true;
    }

    /** @return whether a holding runs on this thread */
    boolean active() {
        return held.get() != null;
    }
}
