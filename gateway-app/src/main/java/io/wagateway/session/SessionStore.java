package io.wagateway.session;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbRow;
import io.wagateway.api.SessionStatus;
import io.wagateway.api.GatewayEvent;
import io.wagateway.api.StatusReason;
import io.wagateway.event.EventOutbox;
import io.wagateway.store.Constraints;
import io.wagateway.store.GroupCommit;
import io.wagateway.store.Rows;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Sessions in the database, with their credentials and messages (both ways) removed together. */
public final class SessionStore {

    private final DbClient db;
    private final EventOutbox outbox;
    private final GroupCommit writer;
    private final SessionPurge purge;

    public SessionStore(DbClient db) {
        this(db, EventOutbox.NONE);
    }

    /** @param outbox stores each status change's event in the change's transaction */
    public SessionStore(DbClient db, EventOutbox outbox) {
        this(db, outbox, GroupCommit.direct(db));
    }

    /**
     * @param outbox stores each status change's event in the change's transaction
     * @param writer the group commit the status changes and their events go through (its owner closes it)
     */
    public SessionStore(DbClient db, EventOutbox outbox, GroupCommit writer) {
        this.db = db;
        this.outbox = outbox;
        this.writer = writer;
        this.purge = new SessionPurge(db);
    }

    /** @return false when the id is taken */
    public boolean insert(Session s) {
        if (db.execute().namedGet("select-session-purge", s.sessionId()).isPresent()) {
            // A deleted session of this id still has messages going (a clock set back): they are not the new one's.
            return false;
        }
        try {
            db.execute().namedInsert("insert-session", s.sessionId(), s.userId(), s.name(), s.engine(), s.status().name(),
                    reason(s.reason()), s.phoneNumber(), s.displayName(), s.createdAt().toEpochMilli(),
                    s.updatedAt().toEpochMilli());
            return true;
        } catch (RuntimeException e) {
            if (Constraints.isDuplicateKey(e) && find(s.sessionId()).isPresent()) {
                return false;
            }
            throw e;
        }
    }

    public Optional<Session> find(String sessionId) {
        return db.execute().namedGet("select-session", sessionId).map(SessionStore::map);
    }

    public List<Session> listOfUser(String userId) {
        try (var rows = db.execute().namedQuery("select-sessions-of-user", userId)) {
            return rows.map(SessionStore::map).toList();
        }
    }

    public List<Session> listAll() {
        try (var rows = db.execute().namedQuery("select-all-sessions")) {
            return rows.map(SessionStore::map).toList();
        }
    }

    public List<Session> listByStatus(SessionStatus status) {
        try (var rows = db.execute().namedQuery("select-sessions-by-status", status.name())) {
            return rows.map(SessionStore::map).toList();
        }
    }

    public void updateStatus(Session s) {
        db.execute().namedUpdate("update-session-status", s.status().name(), reason(s.reason()), s.phoneNumber(),
                s.displayName(), s.updatedAt().toEpochMilli(), s.sessionId());
    }

    /** Stores the status change and its event (for the sinks) in one transaction. */
    public void updateStatus(Session s, GatewayEvent event) {
        writer.write(tx -> {
            writer.batched().update(tx, "update-session-status", s.sessionId(), s.status().name(), reason(s.reason()),
                    s.phoneNumber(), s.displayName(), s.updatedAt().toEpochMilli());
            outbox.append(tx, event);
            return null;
        });
    }

    /**
     * Stores an event that changes no stored state (a QR code) for the sinks, with its delivery rows
     * in one transaction: a crash between the statements must not leave the event without them.
     */
    public void recordEvent(GatewayEvent event) {
        writer.write(tx -> {
            outbox.append(tx, event);
            return null;
        });
    }

    /**
     * Removes the session's row and credentials, and marks its messages (both ways) for
     * {@link #purgeDeleted}. In one transaction through the writer the session's other writes go
     * through, so that none queued before it commits after it: with one writer thread, the
     * session's inbound messages and status changes do not wait for their commits, and the queue
     * runs them first (in an earlier batch, or earlier in this one); with several writer threads, or
     * none, each was committed before the session went on. The messages are not removed in that
     * shared transaction: a busy session's would hold up every other session's writes.
     *
     * @return false when there was no such session
     */
    public boolean delete(String sessionId) {
        return delete(sessionId, null);
    }

    /**
     * As {@link #delete(String)}, storing {@code last}, the session's last event, for the sinks in
     * the same transaction (null: none).
     *
     * @return false when there was no such session
     */
    public boolean delete(String sessionId, GatewayEvent last) {
        return writer.write(tx -> {
            // Rows the batch's earlier writes left to its end (history, status) go in first, so the purge finds them.
            writer.batched().writeWaiting(tx);
            tx.namedDelete("delete-credentials", sessionId);
            if (tx.namedDelete("delete-session", sessionId) == 0) {
                // Run again after a commit that failed once the database had applied it: deleted all
                // the same, its last event stored with it.
                return tx.namedGet("select-session-purge", sessionId).isPresent();
            }
            purge.mark(tx, sessionId, System.currentTimeMillis());
            if (last != null) {
                outbox.append(tx, last);
            }
            return true;
        });
    }

    /**
     * Removes the messages (both ways) of a session {@link #delete} removed, a chunk per
     * transaction, outside the writer ({@link SessionPurge}); what a database error leaves of them
     * goes at the next start ({@link #resumePurges}).
     */
    public void purgeDeleted(String sessionId) {
        purge.runOrLeave(sessionId);
    }

    /** Removes what is left of the messages of sessions deleted before a crash or a database error. */
    public void resumePurges() {
        purge.resume();
    }

    /** {@link #purgeDeleted} on a virtual thread of its own: returns at once. */
    public void purgeDeletedInBackground(String sessionId) {
        purge.inBackground(sessionId);
    }

    /** {@link #resumePurges} on a virtual thread of its own: returns at once. */
    public void resumePurgesInBackground() {
        purge.resumeInBackground();
    }

    /** Stops the background purges after their current chunk, waiting at most {@code wait}; the rest waits for the next start. */
    public void stopPurges(Duration wait) throws InterruptedException {
        purge.close(wait);
    }

    private static String reason(StatusReason reason) {
        return reason == null ? null : reason.name();
    }

    private static Session map(DbRow row) {
        String reason = Rows.string(row, "reason");
        return new Session(Rows.string(row, "id"), Rows.string(row, "name"), Rows.string(row, "user_id"),
                Rows.string(row, "engine"), SessionStatus.valueOf(Rows.string(row, "status")),
                reason == null ? null : StatusReason.valueOf(reason), Rows.string(row, "phone_number"),
                Rows.string(row, "display_name"), Rows.instant(row, "created_at"), Rows.instant(row, "updated_at"));
    }
}
