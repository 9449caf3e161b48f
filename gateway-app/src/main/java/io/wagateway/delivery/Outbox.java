package io.wagateway.delivery;

import io.helidon.dbclient.DbExecute;
import io.wagateway.api.GatewayEvent;
import io.wagateway.event.EventOutbox;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * The host's durable outbox: stores each event with its envelope and one delivery row per
 * destination (every started untargeted sink, every enabled webhook subscription that wants it),
 * in the transaction the session stores hand it. Runs on the session's executor, so a session's
 * rows are numbered in the order its events happened.
 */
public final class Outbox implements EventOutbox {

    private final EventEnvelopes envelopes;
    private final Function<GatewayEvent, List<Destination>> destinations;
    private final Clock clock;

    Outbox(EventEnvelopes envelopes, Function<GatewayEvent, List<Destination>> destinations, Clock clock) {
        this.envelopes = Objects.requireNonNull(envelopes, "envelopes");
        this.destinations = Objects.requireNonNull(destinations, "destinations");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public void append(DbExecute tx, GatewayEvent event) {
        long now = clock.millis();
        tx.namedInsert("insert-outbox-event", event.eventId(), event.sessionId(), event.userId(), event.type(),
                event.timestamp().toEpochMilli(), now, envelopes.render(event));
        for (Destination d : destinations.apply(event)) {
            tx.namedInsert("insert-delivery", event.eventId(), d.sink(), d.targetId(), event.sessionId(), event.userId(),
                    event.type(), now, now);
        }
    }
}
