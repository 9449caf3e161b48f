package io.wagateway.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wagateway.api.InboundMessage;
import io.wagateway.api.MessageReceived;
import io.wagateway.api.MessageStatus;
import io.wagateway.api.MessageStatusUpdated;
import io.wagateway.api.SessionStatus;
import io.wagateway.auth.Role;
import io.wagateway.auth.User;
import io.wagateway.auth.UserStore;
import io.wagateway.event.EventBus;
import io.wagateway.event.EventOutbox;
import io.wagateway.store.BatchedStatements;
import io.wagateway.store.GroupCommit;
import io.wagateway.testing.OnBothDatabases;
import io.wagateway.testing.Await;
import io.wagateway.testing.GroupCommitFixture;
import io.wagateway.testing.HeldWriter;
import io.wagateway.testing.TestDatabases;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;

/**
 * A session's delete against its writes queued for the group commit without waiting for their
 * commits (inbound messages, status changes): what was queued before the delete is removed with
 * the session, never committed after it, on one writer thread with the gateway's batched
 * statements (rows left to the batch's end).
 */
class SessionDeleteGroupCommitTest {

    private GroupCommitFixture fx;
    private GroupCommit group;
    private SessionStore sessions;
    private MessageStore messages;
    private InboundMessageStore inbound;
    private Session session;

    private void open(Supplier<TestDatabases.Target> which) {
        fx = GroupCommitFixture.open(which, d -> GroupCommit.start(d.client(),
                new BatchedStatements(d::statement, !d.inProcess()), Duration.ZERO, 1));
        group = fx.group();
        var client = fx.db().client();
        sessions = new SessionStore(client, EventOutbox.NONE, group);
        messages = new MessageStore(client, EventOutbox.NONE, group);
        inbound = new InboundMessageStore(client, EventOutbox.NONE, group);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        User owner = new User("u-1", "alice", "pbkdf2-sha256$210000$x$y", Role.USER, now);
        new UserStore(client).insert(owner);
        session = new Session("u-1-doomed-" + now.toEpochMilli(), "doomed", owner.id(), "simulator",
                SessionStatus.CONNECTED, null, null, null, now, now);
        assertTrue(sessions.insert(session));
    }

    @AfterEach
    void close() {
        if (fx != null) {
            fx.close();
        }
    }

    /**
     * An arrival and a status change queued by the session's executor, then its delete: all three
     * in one batch. The arrival's and the change's rows are removed with the session (the change's
     * history row, left to the batch's end, too), and their events are published before the delete
     * returns, never after the session is gone.
     */
    @OnBothDatabases
    void writesQueuedBeforeTheDeleteAreRemovedWithTheSessionAndPublishedBeforeItReturns(
            Supplier<TestDatabases.Target> which) throws Exception {
        open(which);
        EventBus bus = new EventBus();
        OutgoingMessages outgoing = new OutgoingMessages(messages, bus, Clock.systemUTC());
        InboundMessages arrivals = new InboundMessages(inbound, bus, Clock.systemUTC());
        Message sent = outgoing.store(session.sessionId(), "+62811", "hello", null);
        CompletableFuture<Boolean> deleted = new CompletableFuture<>();
        List<String> publishedBeforeDeleteReturned = Collections.synchronizedList(new ArrayList<>());
        bus.subscribe(event -> {
            if (!deleted.isDone()) {
                publishedBeforeDeleteReturned.add(event.getClass().getSimpleName());
            }
        });

        CountDownLatch release = HeldWriter.hold(group, fx.callers());
        long before = group.commits();
        CompletableFuture<Void> arrival = arrivals.received(session.sessionId(), session.userId(),
                new InboundMessage("3EB0A", "+62822", null, "62822@s.whatsapp.net", "hi", "text", Instant.now()));
        CompletableFuture<Void> change = outgoing.statusChanged(session.sessionId(), session.userId(),
                sent.messageId(), MessageStatus.SENT, null);
        deleted.completeAsync(() -> deleteAndPurge(session.sessionId()), fx.callers());
        Await.until("the delete queued behind them (or, outside the writer, done)",
                () -> deleted.isDone() || group.queued() >= 3, group::queued);
        release.countDown();
        assertTrue(deleted.get(30, TimeUnit.SECONDS), "the session was there to delete");
        arrival.get(30, TimeUnit.SECONDS);
        change.get(30, TimeUnit.SECONDS);

        assertEquals(2, group.commits() - before, "the held write's commit, then one for the three");
        assertEquals(List.of(), inbound.list(session.sessionId(), 10), "no inbound row left behind");
        assertEquals(Optional.empty(), messages.find(session.sessionId(), sent.messageId()));
        assertEquals(0, historyRows(sent.messageId()), "no history row left behind");
        assertEquals(List.of(MessageReceived.class.getSimpleName(), MessageStatusUpdated.class.getSimpleName()),
                publishedBeforeDeleteReturned, "what happened before the delete, told before it returned");
    }

    /**
     * A status change that read the message in its batch, then the session's delete: the change's
     * writes (its history row) must not land after the delete.
     */
    @OnBothDatabases
    void aStatusChangeThatReadTheMessageBeforeTheDeleteLeavesNothingBehind(Supplier<TestDatabases.Target> which)
            throws Exception {
        open(which);
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Message m = new Message("m-1", session.sessionId(), "+62811", "hello", MessageStatus.PENDING, null, null,
                t0, t0, null, List.of());
        messages.insert(m);
        CountDownLatch reading = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Optional<MessageStatusUpdated>> change = messages.changeStatus(session.sessionId(),
                m.messageId(), current -> {
                    // Held in the batch's transaction, between its read of the message and its writes.
                    reading.countDown();
                    await(release);
                    return new MessageStatusUpdated(session.sessionId(), session.userId(), m.messageId(),
                            MessageStatus.SENT, null, null, t0.plusMillis(5));
                });
        assertTrue(reading.await(30, TimeUnit.SECONDS), "the change read the message");
        Future<Boolean> deleted = fx.callers().submit(() -> deleteAndPurge(session.sessionId()));
        Await.until("the delete queued behind the change (or, outside the writer, done)",
                () -> deleted.isDone() || group.queued() >= 1, group::queued);
        release.countDown();
        assertTrue(deleted.get(30, TimeUnit.SECONDS));
        assertEquals(MessageStatus.SENT, change.get(30, TimeUnit.SECONDS).orElseThrow().status(),
                "stored before the delete: it happened while the session existed");

        assertEquals(Optional.empty(), messages.find(session.sessionId(), m.messageId()));
        assertEquals(0, historyRows(m.messageId()), "no history row left behind");
    }

    /** As {@link SessionService#delete}: the row through the writer, then the messages. */
    private boolean deleteAndPurge(String sessionId) {
        boolean deleted = sessions.delete(sessionId);
        sessions.purgeDeleted(sessionId);
        return deleted;
    }

    private long historyRows(String messageId) throws SQLException {
        try (Connection c = fx.db().dataSource().getConnection();
             PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM message_status_history WHERE message_id = ?")) {
            s.setString(1, messageId);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(30, TimeUnit.SECONDS), "released");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
