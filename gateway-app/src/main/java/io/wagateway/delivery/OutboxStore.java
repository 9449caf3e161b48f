package io.wagateway.delivery;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbRow;
import io.wagateway.store.Constraints;
import io.wagateway.store.Database;
import io.wagateway.store.Rows;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The outbox's rows as the deliveries API, the metrics and retention see them, on the shared
 * client: lists, retries, replays, counts and pruning. The workers' claims are
 * {@link DeliveryClaims}.
 */
final class OutboxStore {

    /** Pending count and oldest pending creation time (epoch ms) of one sink. */
    record Backlog(long pending, long oldestCreatedAt) {
    }

    /**
     * Filters of the deliveries list; empty strings and the time bounds mean "any".
     *
     * @param userId   only deliveries of this owner's sessions, to sinks or to its own subscriptions ({@code ""}: all)
     * @param sink     a sink
     * @param targetId a subscription
     * @param status   PENDING, DELIVERED or DEAD
     * @param sessionId a session
     * @param from     created at or after (epoch ms)
     * @param to       created before (epoch ms)
     * @param limit    at most this many, newest first
     */
    record Filter(String userId, String sink, String targetId, String status, String sessionId, long from, long to,
                  int limit) {
    }

    private final DbClient db;

    OutboxStore(Database database) {
        this.db = database.client();
    }


    List<DeliveryRecord> list(Filter f) {
        try (var rows = db.execute().namedQuery("select-deliveries", f.userId(), f.userId(), f.userId(), f.sink(), f.sink(),
                f.targetId(), f.targetId(), f.status(), f.status(), f.sessionId(), f.sessionId(), f.from(), f.to(),
                f.limit())) {
            return rows.map(OutboxStore::map).toList();
        }
    }

    Optional<DeliveryRecord> find(long id) {
        return db.execute().namedGet("select-delivery", id).map(OutboxStore::map);
    }

    /** @return false when it is already waiting */
    boolean retry(long id, long now) {
        return db.execute().namedUpdate("retry-delivery", now, id) > 0;
    }

    long retryDead(String sink, String targetId, long now) {
        return db.execute().namedUpdate("retry-dead-deliveries-of-target", now, sink, targetId);
    }

    /** Marks every waiting delivery of the target dead (its subscription was disabled). */
    long killPending(String sink, String targetId, String reason) {
        return db.execute().namedUpdate("kill-pending-deliveries-of-target", reason, sink, targetId);
    }

    /** Drops the target's undelivered rows (its subscription was deleted). */
    long dropUndelivered(String sink, String targetId) {
        return db.execute().namedDelete("delete-pending-deliveries-of-target", sink, targetId);
    }

    /** An event of the outbox, as a replay reads it. */
    record StoredEvent(String eventId, String sessionId, String userId, String type) {
    }

    List<StoredEvent> events(long from, long to, String sessionId, int limit) {
        try (var rows = db.execute().namedQuery("select-outbox-events-in-range", from, to, sessionId, sessionId, limit)) {
            return rows.map(r -> new StoredEvent(Rows.string(r, "event_id"), Rows.string(r, "session_id"),
                    Rows.string(r, "user_id"), Rows.string(r, "type"))).toList();
        }
    }

    /** Queues the event for the destination again, or for the first time. */
    void replay(StoredEvent e, Destination d, long now) {
        if (db.execute().namedUpdate("replay-delivery", now, e.eventId(), d.sink(), d.targetId()) > 0) {
            return;
        }
        try {
            db.execute().namedInsert("insert-delivery", e.eventId(), d.sink(), d.targetId(), e.sessionId(), e.userId(),
                    e.type(), now, now);
        } catch (RuntimeException ex) {
            // Inserted meanwhile by the event's own append or another replay: queue that one.
            if (!Constraints.isDuplicateKey(ex)) {
                throw ex;
            }
            db.execute().namedUpdate("replay-delivery", now, e.eventId(), d.sink(), d.targetId());
        }
    }

    Map<String, Backlog> backlog() {
        Map<String, Backlog> result = new HashMap<>();
        try (var rows = db.execute().namedQuery("select-pending-by-sink")) {
            rows.forEach(r -> result.put(Rows.string(r, "sink"),
                    new Backlog(Rows.number(r, "n"), Rows.number(r, "oldest"))));
        }
        return result;
    }

    Map<String, Long> deadBySink() {
        Map<String, Long> result = new HashMap<>();
        try (var rows = db.execute().namedQuery("select-dead-by-sink")) {
            rows.forEach(r -> result.put(Rows.string(r, "sink"), Rows.number(r, "n")));
        }
        return result;
    }

    /**
     * Removes delivered rows created before {@code cutoff}, dead rows last tried before
     * {@code deadCutoff}, then the events before {@code cutoff} no row refers to any more.
     *
     * @return rows removed
     */
    long prune(long cutoff, long deadCutoff) {
        return db.execute().namedDelete("prune-delivered", cutoff) + db.execute().namedDelete("prune-dead", deadCutoff)
                + db.execute().namedDelete("prune-outbox-events", cutoff);
    }

    private static DeliveryRecord map(DbRow r) {
        String target = Rows.string(r, "target_id");
        Instant next = Rows.instant(r, "next_attempt_at");
        String status = Rows.string(r, "status");
        long claimedUntil = Rows.number(r, "claimed_until");
        return new DeliveryRecord(Rows.number(r, "id"), Rows.string(r, "event_id"), Rows.string(r, "sink"),
                target.isEmpty() ? null : target, Rows.string(r, "session_id"), Rows.string(r, "user_id"),
                Rows.string(r, "type"), status, (int) Rows.number(r, "attempts"),
                "PENDING".equals(status) ? next : null, "PENDING".equals(status) && claimedUntil > System.currentTimeMillis(),
                Rows.instant(r, "last_attempt_at"), Rows.string(r, "last_error"), Rows.instant(r, "created_at"),
                Rows.instant(r, "delivered_at"));
    }
}
