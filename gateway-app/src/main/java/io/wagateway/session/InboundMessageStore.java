package io.wagateway.session;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbRow;
import io.wagateway.api.GatewayEvent;
import io.wagateway.event.EventOutbox;
import io.wagateway.store.Constraints;
import io.wagateway.store.GroupCommit;
import io.wagateway.store.Rows;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Inbound messages: what arrived for the sessions' accounts. */
public final class InboundMessageStore {

    private final DbClient db;
    private final EventOutbox outbox;
    private final GroupCommit writer;

    public InboundMessageStore(DbClient db) {
        this(db, EventOutbox.NONE, GroupCommit.direct(db));
    }

    /**
     * @param outbox stores each arrival's event in the arrival's transaction
     * @param writer the group commit the arrivals go through (its owner closes it)
     */
    public InboundMessageStore(DbClient db, EventOutbox outbox, GroupCommit writer) {
        this.db = db;
        this.outbox = outbox;
        this.writer = writer;
    }

    /**
     * Stores the message and its event (for the sinks) in one transaction. Queued without waiting
     * for the commit ({@link GroupCommit#submit}): a burst of a session's arrivals shares commits
     * instead of waiting for one each, and their order is kept.
     *
     * @return completes once committed (on the writer thread, in the order of the writes) with
     *     false when the session already has a message with that id
     */
    public CompletableFuture<Boolean> insert(ReceivedMessage m, GatewayEvent event) {
        return writer.submit(tx -> {
            // Read in the batch's transaction, it sees a repeat queued earlier in the same batch,
            // which the primary key would only refuse by failing the whole batch.
            if (tx.namedGet("select-inbound-message-exists", m.sessionId(), m.messageId()).isPresent()) {
                return false;
            }
            tx.namedInsert("insert-inbound-message", m.sessionId(), m.messageId(), m.from(), m.fromName(),
                    m.chatId(), m.text(), m.type(), m.timestamp().toEpochMilli(), m.receivedAt().toEpochMilli());
            outbox.append(tx, event);
            return true;
        }).exceptionallyCompose(e -> Constraints.isDuplicateKey(e)
                // A row the check could not see (another connection's, committed after this
                // transaction's snapshot on MariaDB) is refused by the key: a repeat all the same.
                ? CompletableFuture.completedFuture(false)
                : CompletableFuture.failedFuture(e));
    }

    /** @return the newest arrivals first */
    public List<ReceivedMessage> list(String sessionId, int limit) {
        try (var rows = db.execute().namedQuery("select-inbound-messages-of-session", sessionId, limit)) {
            return rows.map(InboundMessageStore::map).toList();
        }
    }

    private static ReceivedMessage map(DbRow row) {
        return new ReceivedMessage(Rows.string(row, "session_id"), Rows.string(row, "message_id"),
                Rows.string(row, "sender"), Rows.string(row, "sender_name"), Rows.string(row, "chat_id"),
                Rows.string(row, "body"), Rows.string(row, "type"), Rows.instant(row, "sent_at"),
                Rows.instant(row, "received_at"));
    }
}
