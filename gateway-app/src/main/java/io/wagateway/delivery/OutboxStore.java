package io.wagateway.delivery;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbRow;
import io.wagateway.store.Database;
import io.wagateway.store.Rows;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Comparator;
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

    /** Rows per JDBC batch of a replay. */
    private static final int BATCH = 500;

    private final Database database;
    private final DbClient db;

    OutboxStore(Database database) {
        this.database = database;
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

    /**
     * Queues the target's dead rows again in their place, but not one whose event a replay queued
     * again after it (that newer row stands for it).
     *
     * @return how many were queued
     */
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
    record StoredEvent(String eventId, String sessionId, String userId, String type, long createdAt) {
    }

    /**
     * The events of {@code [from, to)} of a session and of an owner's sessions ("" for any), at
     * most {@code limit}, in stored order: each session's order (the time of a
     * {@code message_received} is the sender's, so it cannot order them).
     */
    List<StoredEvent> events(long from, long to, String sessionId, String userId, int limit) {
        try (var rows = db.execute().namedQuery("select-outbox-events-in-range", from, to, sessionId, sessionId, userId,
                userId, limit)) {
            return rows.map(r -> new StoredEvent(Rows.string(r, "event_id"), Rows.string(r, "session_id"),
                            Rows.string(r, "user_id"), Rows.string(r, "type"), Rows.number(r, "created_at")))
                    .sorted(Comparator.comparingLong(StoredEvent::createdAt).thenComparing(StoredEvent::eventId))
                    .toList();
        }
    }

    /**
     * Queues the events for the destination: a new row each, inserted in the order given (the
     * events' own, {@link #events}), so that they go out in that order whether or not the
     * destination had a row of them before. Their earlier rows stay as they are (delivered or dead:
     * the history), but one still waiting for a retry is due now; it goes out before the new rows,
     * as it was queued first. One transaction: a claim sees all of the new rows or none.
     *
     * @return how many were queued
     */
    long replay(List<StoredEvent> events, Destination d, long now) {
        if (events.isEmpty()) {
            return 0;
        }
        try (Connection c = database.dataSource().getConnection()) {
            // No gap locks: a lookup that finds no row would otherwise lock the gap where the
            // events' appends insert their rows, and hold every session's writes until the commit.
            c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            c.setAutoCommit(false);
            try (PreparedStatement due = c.prepareStatement(database.statement("replay-make-waiting-due"));
                 PreparedStatement insert = c.prepareStatement(database.statement("insert-delivery"))) {
                int n = 0;
                for (StoredEvent e : events) {
                    due.setLong(1, now);
                    due.setString(2, e.eventId());
                    due.setString(3, d.sink());
                    due.setString(4, d.targetId());
                    due.setLong(5, now);
                    due.addBatch();
                    if (++n % BATCH == 0) {
                        due.executeBatch();
                    }
                }
                due.executeBatch();
                n = 0;
                for (StoredEvent e : events) {
                    insert.setString(1, e.eventId());
                    insert.setString(2, d.sink());
                    insert.setString(3, d.targetId());
                    insert.setString(4, e.sessionId());
                    insert.setString(5, e.userId());
                    insert.setString(6, e.type());
                    insert.setLong(7, now);
                    insert.setLong(8, now);
                    insert.addBatch();
                    if (++n % BATCH == 0) {
                        insert.executeBatch();
                    }
                }
                insert.executeBatch();
                c.commit();
                return events.size();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not queue the replay: " + e.getMessage(), e);
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
