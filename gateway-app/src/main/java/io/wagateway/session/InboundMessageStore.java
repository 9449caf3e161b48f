package io.wagateway.session;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbRow;
import io.wagateway.api.GatewayEvent;
import io.wagateway.event.EventOutbox;
import io.wagateway.store.Constraints;
import io.wagateway.store.GroupCommit;
import io.wagateway.store.Rows;
import java.util.List;

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
     * Stores the message and its event (for the sinks) in one transaction.
     *
     * @return false when the session already has a message with that id (the primary key says so)
     */
    public boolean insert(ReceivedMessage m, GatewayEvent event) {
        try {
            return writer.write(tx -> {
                tx.namedInsert("insert-inbound-message", m.sessionId(), m.messageId(), m.from(), m.fromName(),
                        m.chatId(), m.text(), m.type(), m.timestamp().toEpochMilli(), m.receivedAt().toEpochMilli());
                outbox.append(tx, event);
                return true;
            });
        } catch (RuntimeException e) {
            if (Constraints.isDuplicateKey(e)) {
                return false;
            }
            throw e;
        }
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
