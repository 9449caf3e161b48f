package io.wagateway.delivery;

import io.helidon.dbclient.DbExecute;
import io.wagateway.api.GatewayEvent;
import io.wagateway.event.EventOutbox;
import io.wagateway.store.BatchedStatements;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * The host's durable outbox: stores each event with its envelope and one delivery row per
 * destination (every started untargeted sink, every enabled webhook subscription that wants it),
 * in the transaction the session stores hand it. Runs on the session's executor, so a session's
 * rows are numbered in the order its events happened.
 *
 * <p>In a group commit's transaction the rows wait for the end of the batch
 * ({@link BatchedStatements}) and go in as two multi-row inserts, events first; still before the
 * commit, so the promise is the same: committed together with the change, or not at all.
 */
public final class Outbox implements EventOutbox {

    private final EventEnvelopes envelopes;
    private final Function<GatewayEvent, List<Destination>> destinations;
    private final BatchedStatements batched;
    private final Clock clock;

    Outbox(EventEnvelopes envelopes, Function<GatewayEvent, List<Destination>> destinations, BatchedStatements batched,
           Clock clock) {
        this.envelopes = Objects.requireNonNull(envelopes, "envelopes");
        this.destinations = Objects.requireNonNull(destinations, "destinations");
        this.batched = Objects.requireNonNull(batched, "batched");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public void append(DbExecute tx, GatewayEvent event) {
        long now = clock.millis();
        String body = envelopes.render(event);
        // Events before their deliveries, each in the order they happened: ids keep each session's order.
        batched.insert(tx, "insert-outbox-event", event.eventId(), event.sessionId(), event.userId(), event.type(),
                event.timestamp().toEpochMilli(), now, body);
        for (Destination d : destinations.apply(event)) {
            batched.insert(tx, "insert-delivery", event.eventId(), d.sink(), d.targetId(), event.sessionId(),
                    event.userId(), event.type(), now, now);
        }
    }
}
