package io.wagateway.session;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbRow;
import io.helidon.dbclient.DbTransaction;
import io.wagateway.api.GatewayEvent;
import io.wagateway.api.MessageStatus;
import io.wagateway.api.MessageStatusUpdated;
import io.wagateway.event.EventOutbox;
import io.wagateway.store.GroupCommit;
import io.wagateway.store.Rows;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Outgoing messages and their status history. The writes of the hot path (a new message, its
 * hand-over, each status change with its outbox rows) go through the {@link GroupCommit} writer:
 * they share a transaction and a commit with the other sessions' writes of the moment, and each
 * returns (or, for a status change, completes) once committed, so a caller still publishes only
 * what is stored.
 */
public final class MessageStore {

    private final DbClient db;
    private final EventOutbox outbox;
    private final GroupCommit writer;

    /** Each write its own transaction (tests, tools). */
    public MessageStore(DbClient db) {
        this(db, EventOutbox.NONE, GroupCommit.direct(db));
    }

    /**
     * @param outbox stores each status change's event in the change's transaction
     * @param writer the writes' group commit (its owner closes it)
     */
    public MessageStore(DbClient db, EventOutbox outbox, GroupCommit writer) {
        this.outbox = outbox;
        this.db = db;
        this.writer = writer;
    }

    /**
     * Stores a new message with its first history entry (and its idempotency key, which a session
     * uses once), atomically.
     */
    public void insert(Message m) {
        writer.write(tx -> {
            if (m.idempotencyKey() != null) {
                tx.namedInsert("insert-message-idempotency-key", m.sessionId(), m.idempotencyKey(), m.messageId());
            }
            tx.namedInsert("insert-message", m.messageId(), m.sessionId(), m.to(), m.text(), m.status().name(),
                    m.error(), m.idempotencyKey(), millis(m.createdAt()), millis(m.updatedAt()), millis(m.deliveredAt()));
            writer.batched().insert(tx, "insert-message-history", m.messageId(), m.status().name(),
                    millis(m.updatedAt()), m.error());
            return null;
        });
    }

    /** Records a new status with its history entry, atomically. */
    public void updateStatus(String messageId, MessageStatus status, String error, Instant at, Instant deliveredAt,
                             GatewayEvent event) {
        writer.write(tx -> {
            store(tx, messageId, status, error, at, deliveredAt, event);
            return null;
        });
    }

    /**
     * Reads the message and records the status change {@code decide} makes of it, with its history
     * entry and its event for the sinks, in one transaction: no read of its own before the write.
     * Queued without waiting for the commit ({@link GroupCommit#submit}): a session's changes keep
     * their order, and several of them share a commit.
     *
     * @param decide the change's event for the current message, or null for none
     * @return completes once committed (on the writer thread, in the order of the changes) with the
     *     stored event; empty when there is no such message or {@code decide} made no change
     */
    public CompletableFuture<Optional<MessageStatusUpdated>> changeStatus(String sessionId, String messageId,
                                                                        Function<Message, MessageStatusUpdated> decide) {
        return writer.submit(tx -> {
            writer.batched().beforeRead(tx, "update-message-status", messageId);
            MessageStatusUpdated event = tx.namedGet("select-message", sessionId, messageId)
                    .map(row -> decide.apply(map(row, List.of()))).orElse(null);
            if (event != null) {
                store(tx, messageId, event.status(), event.error(), event.timestamp(), event.deliveredAt(), event);
            }
            return Optional.ofNullable(event);
        });
    }

    private void store(DbTransaction tx, String messageId, MessageStatus status, String error, Instant at,
                       Instant deliveredAt, GatewayEvent event) {
        // Left to the batch's end: one UPDATE and one INSERT for the changes of every session in it.
        writer.batched().update(tx, "update-message-status", messageId, status.name(), error, millis(at),
                millis(deliveredAt));
        writer.batched().insert(tx, "insert-message-history", messageId, status.name(), millis(at), error);
        outbox.append(tx, event);
    }

    /**
     * Records that the engine got the messages (or may have: it is recorded right before), in one
     * write; with {@code at} null, that it did not.
     */
    public void markHandedOver(List<String> messageIds, Instant at) {
        if (messageIds.isEmpty()) {
            return;
        }
        writer.write(tx -> {
            for (String id : messageIds) {
                writer.batched().update(tx, "mark-message-handed", id, millis(at));
            }
            return null;
        });
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
        return db.execute().namedGet("select-message", sessionId, messageId).map(this::withHistory);
    }

    public Optional<Message> findByIdempotencyKey(String sessionId, String key) {
        return db.execute().namedGet("select-message-by-idempotency-key", sessionId, key).map(this::withHistory);
    }

    /** @return the newest messages first, read with their histories in one query */
    public List<Message> list(String sessionId, int limit) {
        Map<String, DbRow> messages = new LinkedHashMap<>();
        Map<String, List<Message.StatusChange>> histories = new HashMap<>();
        try (var rows = db.execute().namedQuery("select-messages-with-history-of-session", sessionId, limit)) {
            rows.forEach(row -> {
                String id = Rows.string(row, "id");
                messages.putIfAbsent(id, row);
                List<Message.StatusChange> history = histories.computeIfAbsent(id, k -> new ArrayList<>());
                if (Rows.string(row, "history_status") != null) {
                    history.add(change(row, "history_status", "history_at", "history_error"));
                }
            });
        }
        return messages.values().stream().map(row -> map(row, histories.get(Rows.string(row, "id")))).toList();
    }

    private Message withHistory(DbRow row) {
        try (var rows = db.execute().namedQuery("select-message-history", Rows.string(row, "id"))) {
            return map(row, rows.map(h -> change(h, "status", "at", "error")).toList());
        }
    }

    private static Message.StatusChange change(DbRow row, String status, String at, String error) {
        return new Message.StatusChange(MessageStatus.valueOf(Rows.string(row, status)), Rows.instant(row, at),
                Rows.string(row, error));
    }

    private static Message map(DbRow row, List<Message.StatusChange> history) {
        // The database orders equal timestamps by name; the lifecycle order is the real one.
        List<Message.StatusChange> ordered = history.stream().sorted(Comparator.comparing(Message.StatusChange::at)
                .thenComparing(c -> c.status().ordinal())).toList();
        return new Message(Rows.string(row, "id"), Rows.string(row, "session_id"), Rows.string(row, "recipient"),
                Rows.string(row, "body"), MessageStatus.valueOf(Rows.string(row, "status")), Rows.string(row, "error"),
                Rows.string(row, "idempotency_key"), Rows.instant(row, "created_at"), Rows.instant(row, "updated_at"),
                Rows.instant(row, "delivered_at"), ordered);
    }

    private static Long millis(Instant instant) {
        return instant == null ? null : instant.toEpochMilli();
    }
}
