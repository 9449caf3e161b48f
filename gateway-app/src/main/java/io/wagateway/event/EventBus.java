package io.wagateway.event;

import io.wagateway.api.GatewayEvent;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Fans gateway events out to listeners (Socket.IO rooms, sink dispatcher). Listeners run on the
 * publisher's thread, in subscription order, and must not block: they hand work off. The session
 * service publishes a session's events from that session's ordered executor, and its message
 * status changes from the database writer as each commits, in the order the executor made them
 * (its later events wait for their own commits), so listeners see each session's events in the
 * order they happened.
 */
public final class EventBus {

    private static final Logger LOG = Logger.getLogger(EventBus.class.getName());

    private final CopyOnWriteArrayList<Consumer<GatewayEvent>> listeners = new CopyOnWriteArrayList<>();

    /** @return a handle that removes the listener when closed */
    public AutoCloseable subscribe(Consumer<GatewayEvent> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /**
     * Runs {@code publishing}, which publishes events (those of one database commit), so that the
     * listeners that can hold their writes ({@link Holding}) send what it published together when it
     * returns: one write per Socket.IO client for the lot, not one per event as they come. On the
     * publisher's thread; a burst inside a burst ends with the outer one.
     */
    public void burst(Runnable publishing) {
        Runnable run = publishing;
        for (Consumer<GatewayEvent> listener : listeners) {
            if (listener instanceof Holding holding) {
                Runnable inner = run;
                run = () -> holding.holding(inner);
            }
        }
        run.run();
    }

    public void publish(GatewayEvent event) {
        for (Consumer<GatewayEvent> listener : listeners) {
            try {
                listener.accept(event);
            } catch (RuntimeException e) {
                // One broken listener must not stop delivery to the others.
                LOG.log(Level.WARNING, "Event listener failed on " + event.type() + " for " + event.sessionId(), e);
            }
        }
    }

    /** A listener that can hold the writes of the events published during a {@link #burst} until it ends. */
    public interface Holding {

        /** Runs {@code publishing}, then sends what the events it published left to send, even if it threw; must not block. */
        void holding(Runnable publishing);
    }
}
