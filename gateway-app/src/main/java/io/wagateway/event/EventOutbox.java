package io.wagateway.event;

import io.helidon.dbclient.DbExecute;
import io.wagateway.api.GatewayEvent;

/**
 * Where an event is stored for the sinks before anything is told about it: the store that
 * persists a state change calls {@link #append} inside the same transaction, then the caller
 * publishes the event on the {@link EventBus} after the commit. So the sinks learn of a change
 * exactly when it is committed, and of none that was rolled back. The delivery pipeline
 * implements it; the session stores only see this interface.
 */
@FunctionalInterface
public interface EventOutbox {

    /** Stores nothing: for stores used without a delivery pipeline (tests, tools). */
    EventOutbox NONE = (tx, event) -> {
    };

    /**
     * Stores the event and its deliveries with the caller's statements.
     *
     * @param tx    the caller's transaction (or, for an event without a state change, a plain executor)
     * @param event the event, with its id
     * @throws RuntimeException when it cannot be stored: the caller rolls back and publishes nothing
     */
    void append(DbExecute tx, GatewayEvent event);
}
