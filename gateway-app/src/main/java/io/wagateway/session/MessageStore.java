package io.wagateway.session;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbExecute;
import io.helidon.dbclient.DbRow;
import io.wagateway.api.MessageStatus;
import io.wagateway.store.Rows;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Outgoing messages and their status history. */
public final class MessageStore {

    private final DbClient db;

    public MessageStore(DbClient db) {
        this.db = db;
    }

    /** Stores a new message with its first history entry, atomically. */
    public void insert(Message m) {
        var tx = db.transaction();
        try {
            tx.namedInsert("insert-message", m.messageId(), m.sessionId(), m.to(), m.text(), m.status().name(),
                    m.error(), m.idempotencyKey(), millis(m.createdAt()), millis(m.updatedAt()), millis(m.deliveredAt()));
            tx.namedInsert("insert-message-history", m.messageId(), m.status().name(), millis(m.updatedAt()), m.error());
            tx.commit();
        } catch (RuntimeException e) {
            tx.rollback();
            throw e;
        }
    }

    /** Records a new status with its history entry, atomically. */
    public void updateStatus(String messageId, MessageStatus status, String error, Instant at, Instant deliveredAt) {
        var tx = db.transaction();
        try {
            tx.namedUpdate("update-message-status", status.name(), error, millis(at), millis(deliveredAt), messageId);
            tx.namedInsert("insert-message-history", messageId, status.name(), millis(at), error);
            tx.commit();
        } catch (RuntimeException e) {
            tx.rollback();
            throw e;
        }
    }

    /** Records that the engine got the message (or may have: it is recorded right before). */
    public void markHandedOver(String messageId, Instant at) {
        db.execute().namedUpdate("mark-message-handed", millis(at), messageId);
    }

    /** A {@code PENDING} message; {@code handedAt} is null while its engine never got it. */
    public record Pending(String messageId, String to, String text, Instant handedAt) {
    }

    /** @return the session's {@code PENDING} messages, oldest first */
    public List<Pending> pending(String sessionId) {
        try (var rows = db.execute().namedQuery("select-pending-messages-of-session", sessionId)) {
            return rows.map(row -> new Pending(Rows.string(row, "id"), Rows.string(row, "recipient"),
                    Rows.string(row, "body"), Rows.instant(row, "handed_at"))).toList();
        }
    }

    /** @return the sessions that have {@code PENDING} messages */
    public Set<String> sessionsWithPending() {
        try (var rows = db.execute().namedQuery("select-sessions-with-pending-messages")) {
            return rows.map(row -> Rows.string(row, "session_id")).collect(java.util.stream.Collectors.toSet());
        }
    }

    public Optional<Message> find(String sessionId, String messageId) {
        return db.execute().namedGet("select-message", sessionId, messageId).map(row -> map(row, db.execute()));
    }

    public Optional<Message> findByIdempotencyKey(String sessionId, String key) {
        return db.execute().namedGet("select-message-by-idempotency-key", sessionId, key)
                .map(row -> map(row, db.execute()));
    }

    /** @return the newest messages first */
    public List<Message> list(String sessionId, int limit) {
        DbExecute exec = db.execute();
        List<DbRow> rows;
        try (var stream = exec.namedQuery("select-messages-of-session", sessionId, limit)) {
            rows = stream.toList();
        }
        return rows.stream().map(row -> map(row, exec)).toList();
    }

    private static Message map(DbRow row, DbExecute exec) {
        String id = Rows.string(row, "id");
        List<Message.StatusChange> history;
        try (var rows = exec.namedQuery("select-message-history", id)) {
            history = rows.map(h -> new Message.StatusChange(MessageStatus.valueOf(Rows.string(h, "status")),
                    Rows.instant(h, "at"), Rows.string(h, "error"))).toList();
        }
        // The history table orders equal timestamps by name; the lifecycle order is the real one.
        history = history.stream().sorted(java.util.Comparator.comparing(Message.StatusChange::at)
                .thenComparing(c -> c.status().ordinal())).toList();
        return new Message(id, Rows.string(row, "session_id"), Rows.string(row, "recipient"), Rows.string(row, "body"),
                MessageStatus.valueOf(Rows.string(row, "status")), Rows.string(row, "error"),
                Rows.string(row, "idempotency_key"), Rows.instant(row, "created_at"), Rows.instant(row, "updated_at"),
                Rows.instant(row, "delivered_at"), history);
    }

    private static Long millis(Instant instant) {
        return instant == null ? null : instant.toEpochMilli();
    }
}
