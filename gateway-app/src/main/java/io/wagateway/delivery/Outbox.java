package io.wagateway.delivery;

import io.helidon.dbclient.DbExecute;
import io.helidon.dbclient.DbTransaction;
import io.wagateway.api.GatewayEvent;
import io.wagateway.event.EventOutbox;
import io.wagateway.store.GroupCommit;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The host's durable outbox: stores each event with its envelope and one delivery row per
 * destination (every started untargeted sink, every enabled webhook subscription that wants it),
 * in the transaction the session stores hand it. Runs on the session's executor, so a session's
 * rows are numbered in the order its events happened.
 *
 * <p>In a group commit's transaction ({@link GroupCommit.Deferred}) the rows wait for the end of
 * the batch and go in as two multi-row inserts, events first; still before the commit, so the
 * promise is the same: committed together with the change, or not at all. Elsewhere each event's
 * rows are inserted at once.
 */
public final class Outbox implements EventOutbox, GroupCommit.Deferred {

    /** Rows per multi-row insert: well under any placeholder limit (8 per row). */
    private static final int ROWS_PER_STATEMENT = 500;

    /** An event held until its batch's end, with what it is delivered to. */
    private record Held(GatewayEvent event, String body, List<Destination> destinations, long at) {
    }

    private final EventEnvelopes envelopes;
    private final Function<GatewayEvent, List<Destination>> destinations;
    private final Function<String, String> statements;
    private final Clock clock;
    /** Events of the group-commit transactions in progress, by transaction; each is only touched by its writer thread. */
    private final Map<DbExecute, List<Held>> held = new ConcurrentHashMap<>();

    /** @param statements the SQL of a named statement (the multi-row inserts are expanded from it) */
    Outbox(EventEnvelopes envelopes, Function<GatewayEvent, List<Destination>> destinations,
           Function<String, String> statements, Clock clock) {
        this.envelopes = Objects.requireNonNull(envelopes, "envelopes");
        this.destinations = Objects.requireNonNull(destinations, "destinations");
        this.statements = Objects.requireNonNull(statements, "statements");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public void append(DbExecute tx, GatewayEvent event) {
        long now = clock.millis();
        String body = envelopes.render(event);
        List<Destination> to = destinations.apply(event);
        List<Held> batch = held.get(tx);
        if (batch != null) {
            batch.add(new Held(event, body, to, now));
            return;
        }
        tx.namedInsert("insert-outbox-event", event.eventId(), event.sessionId(), event.userId(), event.type(),
                event.timestamp().toEpochMilli(), now, body);
        for (Destination d : to) {
            tx.namedInsert("insert-delivery", event.eventId(), d.sink(), d.targetId(), event.sessionId(), event.userId(),
                    event.type(), now, now);
        }
    }

    @Override
    public void begin(DbTransaction tx) {
        held.put(tx, new ArrayList<>());
    }

    @Override
    public void flush(DbTransaction tx) {
        List<Held> batch = held.get(tx);
        if (batch == null || batch.isEmpty()) {
            return;
        }
        List<List<Object>> events = new ArrayList<>(batch.size());
        List<List<Object>> deliveries = new ArrayList<>(batch.size());
        for (Held h : batch) {
            GatewayEvent e = h.event();
            events.add(Arrays.asList(e.eventId(), e.sessionId(), e.userId(), e.type(), e.timestamp().toEpochMilli(),
                    h.at(), h.body()));
            for (Destination d : h.destinations()) {
                deliveries.add(Arrays.asList(e.eventId(), d.sink(), d.targetId(), e.sessionId(), e.userId(), e.type(),
                        h.at(), h.at()));
            }
        }
        // Events before their deliveries, each in the order they happened: ids keep each session's order.
        insertRows(tx, "insert-outbox-events", events);
        insertRows(tx, "insert-deliveries", deliveries);
        batch.clear();
    }

    @Override
    public void end(DbTransaction tx) {
        held.remove(tx);
    }

    private void insertRows(DbTransaction tx, String name, List<List<Object>> rows) {
        String row = statements.apply(name + "-row");
        for (int from = 0; from < rows.size(); from += ROWS_PER_STATEMENT) {
            List<List<Object>> chunk = rows.subList(from, Math.min(rows.size(), from + ROWS_PER_STATEMENT));
            String sql = statements.apply(name).replace(":rows", String.join(", ", Collections.nCopies(chunk.size(), row)));
            List<Object> params = new ArrayList<>(chunk.size() * chunk.getFirst().size());
            chunk.forEach(params::addAll);
            tx.createInsert(sql).params(params).execute();
        }
    }
}
