package io.wagateway.delivery;

import io.helidon.dbclient.DbClient;
import io.wagateway.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The delivery workers' side of the outbox: claims and their outcome, on plain JDBC (batched, READ
 * COMMITTED, one short transaction each, on the delivery pool).
 *
 * <p>A claim is one transaction: {@code SELECT … FOR UPDATE SKIP LOCKED} of ready rows (a row
 * another worker has locked is skipped, never waited for), then a lease ({@code claimed_until})
 * and a token written on each. Two workers therefore never hold one row; a worker that dies leaves
 * its rows to the next claim once the lease ends. A lane (sink, target, session) is claimed only
 * as a run of its next waiting rows, without a gap, so its events go out in order even with
 * several workers or nodes.
 */
final class DeliveryClaims {

    /** Ids per {@code IN} list. */
    private static final int MAX_IN = 500;
    /** Passed over when no target is: no target has this id (subscriptions are UUIDs, untargeted rows ""). */
    private static final String NO_TARGET = "-";
    /** Tries of a write-back that lost a deadlock. */
    private static final int WRITE_BACK_ATTEMPTS = 5;

    private final Database database;
    private final DbClient db;

    DeliveryClaims(Database database) {
        this.database = database;
        this.db = database.client();
    }

    /**
     * Whether a round's write-back may run while the next round claims: a database server runs the
     * two side by side on its own cores; the embedded database writes every page changed since the
     * last commit at each commit, so there fewer, larger rounds cost less (measured: about 15% fewer
     * events/s with the two overlapped).
     */
    boolean overlapWriteBacks() {
        return !database.inProcess();
    }

    /**
     * Claims up to {@code limit} ready deliveries of the sink until {@code leaseUntil}.
     *
     * @param settled rows this worker delivered (or found dead) whose write-back is still running:
     *                they no longer hold back their lanes
     * @param passOver targets whose rows are left for a later claim (they could get no slot now)
     * @return the claimed rows in id order, with their envelopes
     */
    List<Claimed> claim(String sink, long now, int limit, long leaseUntil, String token, Set<Long> settled,
                        Set<String> passOver) throws SQLException {
        try (Connection c = database.deliveryDataSource().getConnection()) {
            c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            c.setAutoCommit(false);
            try {
                long first;
                try (PreparedStatement ps = c.prepareStatement(database.statement("select-first-waiting"))) {
                    ps.setString(1, sink);
                    try (ResultSet rs = ps.executeQuery()) {
                        first = rs.next() ? rs.getLong("first_id") : 0;
                        if (rs.wasNull()) {
                            c.commit();
                            return List.of();
                        }
                    }
                }
                List<String> skipped = passOver.isEmpty() ? List.of(NO_TARGET) : List.copyOf(passOver);
                Map<Long, Claimed> found = select(c, "claim-deliveries", 2, sink, first, now, skipped, limit);
                List<Long> claimed = gapless(c, sink, first, found, settled);
                if (claimed.size() < found.size()) {
                    // Rows behind a blocked lane's first row: look past such lanes, or a long one
                    // could fill every batch. Rows this transaction locked above stay its own.
                    found = select(c, "claim-deliveries-past-blocked-lanes", 4, sink, first, now, skipped, limit);
                    claimed = gapless(c, sink, first, found, settled);
                }
                if (claimed.isEmpty()) {
                    c.commit();
                    return List.of();
                }
                for (List<Long> chunk : chunks(claimed)) {
                    try (PreparedStatement mark = c.prepareStatement(inList("mark-deliveries-claimed", chunk.size()))) {
                        mark.setLong(1, leaseUntil);
                        mark.setString(2, token);
                        for (int i = 0; i < chunk.size(); i++) {
                            mark.setLong(3 + i, chunk.get(i));
                        }
                        mark.executeUpdate();
                    }
                }
                Map<Long, Claimed> rows = new HashMap<>();
                for (List<Long> chunk : chunks(claimed)) {
                    try (PreparedStatement ps = c.prepareStatement(inList("select-claimed-bodies", chunk.size()))) {
                        for (int i = 0; i < chunk.size(); i++) {
                            ps.setLong(1 + i, chunk.get(i));
                        }
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) {
                                Claimed k = found.get(rs.getLong("id"));
                                rows.put(k.id(), new Claimed(k.id(), k.eventId(), k.targetId(), k.sessionId(),
                                        rs.getString("user_id"), rs.getString("type"), rs.getLong("occurred_at"),
                                        k.attempts(), k.retryBase(), rs.getString("body")));
                            }
                        }
                    }
                }
                List<Long> orphans = claimed.stream().filter(id -> !rows.containsKey(id)).toList();
                if (!orphans.isEmpty()) {
                    // Its event is gone (a replay's row inserted while the pruner removed the event):
                    // nothing can ever be sent for it, and left to its lease it would come back forever.
                    try (PreparedStatement dead = c.prepareStatement(inList("mark-deliveries-orphaned", orphans.size()))) {
                        for (int i = 0; i < orphans.size(); i++) {
                            dead.setLong(1 + i, orphans.get(i));
                        }
                        dead.executeUpdate();
                    }
                }
                c.commit();
                List<Claimed> result = new ArrayList<>(rows.size());
                for (long id : claimed) {
                    if (rows.containsKey(id)) {
                        result.add(rows.get(id));
                    }
                }
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /**
     * Runs one of the claim selects; their parameters are the sink, the first id, {@code nows} times
     * now, the targets to pass over, the limit.
     */
    private Map<Long, Claimed> select(Connection c, String statement, int nows, String sink, long first, long now,
                                      List<String> passOver, int limit) throws SQLException {
        Map<Long, Claimed> found = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement(inList(statement, passOver.size()))) {
            int p = 1;
            ps.setString(p++, sink);
            ps.setLong(p++, first);
            for (int i = 0; i < nows; i++) {
                ps.setLong(p++, now);
            }
            for (String target : passOver) {
                ps.setString(p++, target);
            }
            ps.setInt(p, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long id = rs.getLong("id");
                    found.put(id, new Claimed(id, rs.getString("event_id"), rs.getString("target_id"),
                            rs.getString("session_id"), null, null, 0, rs.getInt("attempts"),
                            rs.getInt("retry_base"), null));
                }
            }
        }
        return found;
    }

    /**
     * Of the rows found, per lane only the run that are exactly the lane's next waiting rows: a row
     * another worker holds is locked, so the claim's select skipped it, and what follows must wait.
     */
    private List<Long> gapless(Connection c, String sink, long first, Map<Long, Claimed> found, Set<Long> settled)
            throws SQLException {
        if (found.isEmpty()) {
            return List.of();
        }
        long last = 0;
        for (long id : found.keySet()) {
            last = Math.max(last, id);
        }
        Map<String, Boolean> open = new HashMap<>();
        List<Long> claimed = new ArrayList<>(found.size());
        try (PreparedStatement ps = c.prepareStatement(database.statement("select-waiting-up-to"))) {
            ps.setString(1, sink);
            ps.setLong(2, first);
            ps.setLong(3, last);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long id = rs.getLong("id");
                    if (settled.contains(id)) {
                        continue;
                    }
                    String lane = rs.getString("target_id") + '\n' + rs.getString("session_id");
                    boolean mine = found.containsKey(id);
                    // A lane stays open while its waiting rows are all in this claim, from its first on.
                    if (open.computeIfAbsent(lane, k -> mine) && mine) {
                        claimed.add(id);
                    } else {
                        open.put(lane, false);
                    }
                }
            }
        }
        return claimed;
    }

    private String inList(String name, int n) {
        return Database.namedStatement(name, n);
    }

    private static List<List<Long>> chunks(List<Long> ids) {
        List<List<Long>> result = new ArrayList<>();
        for (int i = 0; i < ids.size(); i += MAX_IN) {
            result.add(ids.subList(i, Math.min(ids.size(), i + MAX_IN)));
        }
        return result;
    }

    /**
     * Writes back what became of claimed deliveries, in one transaction, only where the claim still
     * holds. A deadlock with another worker's claim (MariaDB) is retried: lost, the outcome would
     * make the rows wait for their lease and go out again.
     */
    void complete(List<Attempt> attempts, long now, String token) throws SQLException {
        for (int attempt = 1; ; attempt++) {
            try {
                writeBack(attempts, now, token);
                return;
            } catch (java.sql.SQLTransactionRollbackException e) {
                if (attempt == WRITE_BACK_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    private void writeBack(List<Attempt> attempts, long now, String token) throws SQLException {
        if (attempts.isEmpty()) {
            return;
        }
        List<Long> deliveredIds = new ArrayList<>();
        try (Connection c = database.deliveryDataSource().getConnection()) {
            // As the claim: no gap locks on the claim index, which the claims' marks keep changing.
            c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            c.setAutoCommit(false);
            try (PreparedStatement failed = c.prepareStatement(database.statement("mark-delivery-failed"));
                 PreparedStatement released = c.prepareStatement(database.statement("release-delivery"))) {
                boolean anyFailed = false;
                boolean anyReleased = false;
                for (Attempt a : attempts) {
                    switch (a) {
                        case Attempt.Delivered d -> deliveredIds.add(d.id());
                        case Attempt.Failed f -> {
                            failed.setString(1, f.dead() ? "DEAD" : "PENDING");
                            failed.setLong(2, now);
                            failed.setLong(3, f.nextAttemptAt());
                            failed.setString(4, f.error());
                            failed.setLong(5, f.id());
                            failed.setString(6, token);
                            failed.addBatch();
                            anyFailed = true;
                        }
                        case Attempt.Released r -> {
                            released.setLong(1, r.id());
                            released.setString(2, token);
                            released.addBatch();
                            anyReleased = true;
                        }
                    }
                }
                for (List<Long> chunk : chunks(deliveredIds)) {
                    try (PreparedStatement delivered = c.prepareStatement(inList("mark-deliveries-delivered", chunk.size()))) {
                        delivered.setLong(1, now);
                        delivered.setLong(2, now);
                        delivered.setString(3, token);
                        for (int i = 0; i < chunk.size(); i++) {
                            delivered.setLong(4 + i, chunk.get(i));
                        }
                        delivered.executeUpdate();
                    }
                }
                if (anyFailed) {
                    failed.executeBatch();
                }
                if (anyReleased) {
                    released.executeBatch();
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** Gives back the waiting rows of the sink a claim still holds (a worker stopping). */
    void release(String sink, String token) {
        db.execute().namedUpdate("release-deliveries-of-token", sink, token);
    }
}
