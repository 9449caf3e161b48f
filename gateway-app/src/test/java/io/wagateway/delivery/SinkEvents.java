package io.wagateway.delivery;

import io.wagateway.api.SessionStatus;
import io.wagateway.api.SessionStatusChanged;
import io.wagateway.store.BatchedStatements;
import io.wagateway.store.Database;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** Events committed to the outbox for one sink, as the delivery tests start from. */
final class SinkEvents {

    private SinkEvents() {
    }

    /** @return the ids of {@code count} status events of session "s1", each committed on its own, in order */
    static List<String> append(Database db, Clock clock, String sink, int count) {
        Outbox outbox = new Outbox(new EventEnvelopes(io.wagateway.socket.EventPayloads::of),
                e -> List.of(new Destination(sink, "")), new BatchedStatements(db::statement), clock);
        List<String> appended = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            SessionStatusChanged e = new SessionStatusChanged("s1", "u1", SessionStatus.CONNECTING, null, null, null,
                    clock.instant());
            var tx = db.client().transaction();
            outbox.append(tx, e);
            tx.commit();
            appended.add(e.eventId());
        }
        return appended;
    }
}
