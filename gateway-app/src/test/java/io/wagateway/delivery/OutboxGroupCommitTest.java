package io.wagateway.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wagateway.api.SessionStatus;
import io.wagateway.api.SessionStatusChanged;
import io.wagateway.store.BatchedStatements;
import io.wagateway.store.Database;
import io.wagateway.store.GroupCommit;
import io.wagateway.store.Rows;
import io.wagateway.testing.OnBothDatabases;
import io.wagateway.testing.GroupCommitFixture;
import io.wagateway.testing.HeldWriter;
import io.wagateway.testing.TestDatabases;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;

/**
 * The outbox inside a group commit: a batch's events and deliveries go in at the batch's end, as
 * multi-row inserts in the batch's transaction, so they commit with the changes or not at all.
 */
class OutboxGroupCommitTest {

    private GroupCommitFixture fx;
    private Database db;
    private Outbox outbox;
    private GroupCommit group;
    private ExecutorService callers;

    private void open(Supplier<TestDatabases.Target> which) {
        fx = GroupCommitFixture.open(which, d -> {
            BatchedStatements batched = new BatchedStatements(d::statement);
            outbox = new Outbox(new EventEnvelopes(io.wagateway.socket.EventPayloads::of),
                    e -> List.of(new Destination("a", ""), new Destination("b", "")), batched, Clock.systemUTC());
            return GroupCommit.start(d.client(), batched, Duration.ZERO, 1);
        });
        db = fx.db();
        group = fx.group();
        callers = fx.callers();
    }

    @AfterEach
    void close() {
        if (fx != null) {
            fx.close();
        }
    }

    private long count(String sql) {
        try (var c = db.dataSource().getConnection(); var s = c.createStatement(); var rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static SessionStatusChanged event(String session) {
        return new SessionStatusChanged(session, "u1", SessionStatus.CONNECTING, null, null, null, Instant.now());
    }

    @OnBothDatabases
    void aBatchsEventsGoInAtItsEndAndCommitWithIt(Supplier<TestDatabases.Target> which) throws Exception {
        open(which);
        CountDownLatch release = HeldWriter.hold(group, callers);
        int writes = 30;
        List<SessionStatusChanged> events = new ArrayList<>();
        List<CompletableFuture<Long>> seen = new ArrayList<>();
        for (int i = 0; i < writes; i++) {
            SessionStatusChanged e = event("s-" + i);
            events.add(e);
            // What the unit's own transaction sees right after its append: nothing yet.
            seen.add(CompletableFuture.supplyAsync(() -> group.write(tx -> {
                outbox.append(tx, e);
                return tx.get("SELECT COUNT(*) AS n FROM outbox_events WHERE event_id = ?", e.eventId())
                        .map(r -> Rows.number(r, "n")).orElse(-1L);
            }), callers));
        }
        HeldWriter.awaitQueued(group, writes);
        long commits = group.commits();
        release.countDown();
        for (CompletableFuture<Long> f : seen) {
            assertEquals(0L, f.get(30, TimeUnit.SECONDS), "the rows wait for the batch's end");
        }
        assertEquals(commits + 2, group.commits(), "the held write, then one commit for all " + writes);
        assertEquals(writes, count("SELECT COUNT(*) FROM outbox_events"));
        assertEquals(2L * writes, count("SELECT COUNT(*) FROM deliveries"), "one row per event and destination");
        for (SessionStatusChanged e : events) {
            assertEquals(2, count("SELECT COUNT(*) FROM deliveries WHERE event_id = '" + e.eventId() + "'"));
        }
    }

    @OnBothDatabases
    void aFailingWriteLeavesNoRowsAndTheOthersAreStoredOnce(Supplier<TestDatabases.Target> which) throws Exception {
        open(which);
        CountDownLatch release = HeldWriter.hold(group, callers);
        List<SessionStatusChanged> good = new ArrayList<>();
        List<CompletableFuture<Object>> done = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            SessionStatusChanged e = event("s-" + i);
            good.add(e);
            done.add(CompletableFuture.supplyAsync(() -> group.write(tx -> {
                outbox.append(tx, e);
                return null;
            }), callers));
        }
        SessionStatusChanged doomed = event("s-bad");
        CompletableFuture<Object> bad = CompletableFuture.supplyAsync(() -> group.write(tx -> {
            outbox.append(tx, doomed);
            throw new IllegalStateException("the change itself failed");
        }), callers);
        HeldWriter.awaitQueued(group, 5);
        release.countDown();
        for (CompletableFuture<Object> f : done) {
            f.get(30, TimeUnit.SECONDS);
        }
        assertThrows(Exception.class, () -> bad.get(30, TimeUnit.SECONDS));
        assertEquals(0, count("SELECT COUNT(*) FROM outbox_events WHERE event_id = '" + doomed.eventId() + "'"),
                "the failed change's event is not stored");
        assertEquals(good.size(), count("SELECT COUNT(*) FROM outbox_events"), "each good event once (the batch ran again one by one)");
        assertEquals(2L * good.size(), count("SELECT COUNT(*) FROM deliveries"));
    }
}
