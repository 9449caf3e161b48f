package io.wagateway.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wagateway.api.MessageStatus;
import io.wagateway.api.SessionStatus;
import io.wagateway.event.EventOutbox;
import io.wagateway.store.Database;
import io.wagateway.store.GroupCommit;
import io.wagateway.testing.OnBothDatabases;
import io.wagateway.testing.Await;
import io.wagateway.testing.DatabasePerTest;
import io.wagateway.testing.TestDatabases;
import io.wagateway.testing.TestGateway;
import io.wagateway.testing.TestSessions;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A deleted session's messages go after its row, a chunk per transaction, outside the database
 * writer: the other sessions' writes do not wait for them, and what a crash leaves of them goes at
 * the next start.
 */
class SessionPurgeTest {

    @RegisterExtension
    final DatabasePerTest database = new DatabasePerTest();

    @OnBothDatabases
    void aDeleteDoesNotHoldUpTheOtherSessionsWritesWhileItsMessagesGo(Supplier<TestDatabases.Target> which)
            throws Exception {
        Database db = database.on(which.get());
        String big = TestSessions.stored(db.client(), "big");
        String other = TestSessions.stored(db.client(), "other");
        List<String> ids = storeMessages(db, big, 20);
        storeMessages(db, other, 2);

        try (GroupCommit writer = GroupCommit.start(db.client(), Duration.ofMillis(5));
             Connection locker = db.dataSource().getConnection();
             ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            SessionStore store = new SessionStore(db.client(), EventOutbox.NONE, writer);
            // Another client of the database holds one of the doomed messages: the delete cannot finish.
            locker.setAutoCommit(false);
            try (PreparedStatement lock = locker.prepareStatement("SELECT id FROM messages WHERE id = ? FOR UPDATE")) {
                lock.setString(1, ids.get(7));
                lock.executeQuery().close();
            }
            CompletableFuture<Boolean> deleted = CompletableFuture.supplyAsync(() -> {
                boolean gone = store.delete(big);
                store.purgeDeleted(big);
                return gone;
            }, threads);
            Await.until("the session's row to go", () -> store.find(big).isEmpty());

            CompletableFuture<Void> write = CompletableFuture.runAsync(() -> writer.write(tx ->
                    tx.namedUpdate("update-session-status", "CONNECTING", null, null, null, 1L, other)), threads);
            // Before the fix this write waited for the delete's shared transaction: until the lock
            // was released on MariaDB, until the lock wait failed the delete on H2.
            write.get(30, TimeUnit.SECONDS);
            assertEquals(SessionStatus.CONNECTING, store.find(other).orElseThrow().status());
            assertTrue(store.find(big).isEmpty(), "deleted while its messages are still held");

            locker.rollback();
            assertTrue(deleted.get(60, TimeUnit.SECONDS));
            // H2 gives up a lock wait sooner than MariaDB: then the purge tried again, or, when the
            // lock outlasted its tries too, left its mark for the next start, which finishes it as here.
            store.resumePurges();
        }
        assertEquals(0, count(db, "SELECT COUNT(*) FROM messages WHERE session_id = ?", big));
        assertEquals(0, count(db, "SELECT COUNT(*) FROM message_status_history WHERE message_id LIKE ?", big + "%"));
        assertEquals(0, count(db, "SELECT COUNT(*) FROM message_idempotency_keys WHERE session_id = ?", big));
        assertEquals(0, count(db, "SELECT COUNT(*) FROM inbound_messages WHERE session_id = ?", big));
        assertEquals(0, count(db, "SELECT COUNT(*) FROM session_purges WHERE session_id = ?", big));
        assertEquals(2, count(db, "SELECT COUNT(*) FROM messages WHERE session_id = ?", other), "another session's stay");
        assertEquals(2, count(db, "SELECT COUNT(*) FROM message_status_history WHERE message_id LIKE ?", other + "%"));
        assertEquals(1, count(db, "SELECT COUNT(*) FROM inbound_messages WHERE session_id = ?", other));
    }

    @OnBothDatabases
    void theMessagesGoAChunkPerTransaction(Supplier<TestDatabases.Target> which) {
        Database db = database.on(which.get());
        String doomed = TestSessions.stored(db.client(), "doomed");
        storeMessages(db, doomed, 10);
        SessionPurge purge = new SessionPurge(db.client(), 3);
        db.client().execute().namedDelete("delete-session", doomed);
        purge.mark(db.client().execute(), doomed, 1L);

        // Four chunks of messages (3, 3, 3, 1), four of idempotency keys, one of inbound messages, the mark.
        assertEquals(10, purge.run(doomed));
        assertEquals(0, count(db, "SELECT COUNT(*) FROM messages WHERE session_id = ?", doomed));
        assertEquals(0, count(db, "SELECT COUNT(*) FROM message_status_history WHERE message_id LIKE ?", doomed + "%"));
        assertEquals(0, count(db, "SELECT COUNT(*) FROM session_purges"));
    }

    @Test
    void aDeleteRunAgainAfterItsCommitWasAppliedStillCountsAsDone() {
        Database db = database.on(TestDatabases.embedded());
        String doomed = TestSessions.stored(db.client(), "doomed");
        storeMessages(db, doomed, 2);
        SessionStore store = new SessionStore(db.client());
        assertTrue(store.delete(doomed));
        // As the group commit runs a write again whose commit reported a failure after the database applied it.
        assertTrue(store.delete(doomed), "its messages are still to go");
        store.purgeDeleted(doomed);
        assertEquals(0, count(db, "SELECT COUNT(*) FROM messages WHERE session_id = ?", doomed));
        assertFalse(store.delete(doomed), "gone for good");
    }

    @Test
    void whatACrashLeftOfADeletedSessionGoesAtTheNextStart() {
        Path dataDir = TestDatabases.tempDir();
        try {
            String interrupted;
            String kept;
            try (Database db = Database.open(TestDatabases.embedded().settings(), dataDir)) {
                interrupted = TestSessions.stored(db.client(), "interrupted");
                kept = TestSessions.stored(db.client(), "kept");
                storeMessages(db, interrupted, 5);
                storeMessages(db, kept, 3);
                // As a crash leaves it: the row gone, the mark and the messages still there.
                db.client().execute().namedDelete("delete-session", interrupted);
                new SessionPurge(db.client()).mark(db.client().execute(), interrupted, 1L);
            }
            try (TestGateway gw = TestGateway.startOn(dataDir, Map.of())) {
                Database db = gw.gateway().database();
                Await.until("the interrupted purge finished",
                        () -> count(db, "SELECT COUNT(*) FROM session_purges") == 0
                                && count(db, "SELECT COUNT(*) FROM messages WHERE session_id = ?", interrupted) == 0);
                assertEquals(0, count(db, "SELECT COUNT(*) FROM inbound_messages WHERE session_id = ?", interrupted));
                assertEquals(3, count(db, "SELECT COUNT(*) FROM messages WHERE session_id = ?", kept), "a live session's stay");
            }
        } finally {
            TestGateway.deleteTree(dataDir);
        }
    }

    @Test
    void aDeleteIsAnsweredOnceTheSessionIsGoneNotWhenItsMessagesAre() throws Exception {
        Path dataDir = TestDatabases.tempDir();
        try (TestGateway gw = TestGateway.startOn(dataDir, Map.of());
             ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            var admin = gw.api().loginAdmin();
            String doomed = TestSessions.create(gw, admin, "doomed");
            Database db = gw.gateway().database();
            List<String> ids = storeMessages(db, doomed, "doomed", 20);
            try (Connection locker = db.dataSource().getConnection()) {
                // Another client of the database holds one of its messages: they cannot all go yet.
                locker.setAutoCommit(false);
                try (PreparedStatement lock = locker.prepareStatement("SELECT id FROM messages WHERE id = ? FOR UPDATE")) {
                    lock.setString(1, ids.get(7));
                    lock.executeQuery().close();
                }
                // Before, the DELETE returned when the messages were gone: after the lock, or after
                // the purge's lock waits and tries (about 10 s on H2).
                int status = threads.submit(() -> admin.delete("/api/sessions/" + doomed).status()).get(5, TimeUnit.SECONDS);
                assertEquals(204, status);
                assertEquals(404, admin.get("/api/sessions/" + doomed).status(), "gone for everybody");
                assertTrue(count(db, "SELECT COUNT(*) FROM messages WHERE session_id = ?", doomed) > 0,
                        "its messages still going");
                locker.rollback();
            }
            Await.until("its messages gone", Duration.ofSeconds(30),
                    () -> count(db, "SELECT COUNT(*) FROM messages WHERE session_id = ?", doomed) == 0
                            && count(db, "SELECT COUNT(*) FROM session_purges") == 0,
                    () -> count(db, "SELECT COUNT(*) FROM messages WHERE session_id = ?", doomed) + " messages left");
            assertEquals(0, count(db, "SELECT COUNT(*) FROM inbound_messages WHERE session_id = ?", doomed));
        } finally {
            TestGateway.deleteTree(dataDir);
        }
    }

    @OnBothDatabases
    void aStopLeavesAnUnfinishedPurgeForTheNextStart(Supplier<TestDatabases.Target> which) throws Exception {
        Database db = database.on(which.get());
        String doomed = TestSessions.stored(db.client(), "doomed");
        List<String> ids = storeMessages(db, doomed, 20);
        SessionStore store = new SessionStore(db.client());
        try (Connection locker = db.dataSource().getConnection()) {
            locker.setAutoCommit(false);
            try (PreparedStatement lock = locker.prepareStatement("SELECT id FROM messages WHERE id = ? FOR UPDATE")) {
                lock.setString(1, ids.get(0));
                lock.executeQuery().close();
            }
            assertTrue(store.delete(doomed));
            store.purgeDeletedInBackground(doomed);
            Await.until("the purge waiting for the lock", () -> waitingForALock(db));
            long start = System.nanoTime();
            store.stopPurges(Duration.ofMillis(500)); // the gateway's stop, while the purge waits for the lock
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5), "the stop waited no longer than it said");
            locker.rollback();
        }
        store.stopPurges(Duration.ofSeconds(60)); // the chunk it was in ends; nothing after it runs
        assertEquals(1, count(db, "SELECT COUNT(*) FROM session_purges WHERE session_id = ?", doomed), "left marked");
        assertEquals(1, count(db, "SELECT COUNT(*) FROM inbound_messages WHERE session_id = ?", doomed));

        new SessionStore(db.client()).resumePurges(); // the next start
        assertEquals(0, count(db, "SELECT COUNT(*) FROM session_purges"));
        assertEquals(0, count(db, "SELECT COUNT(*) FROM messages WHERE session_id = ?", doomed));
        assertEquals(0, count(db, "SELECT COUNT(*) FROM inbound_messages WHERE session_id = ?", doomed));
    }

    @Test
    void anIdWhoseMessagesAreStillGoingIsNotGivenAgain() {
        Database db = database.on(TestDatabases.embedded());
        String doomed = TestSessions.stored(db.client(), "doomed");
        SessionStore store = new SessionStore(db.client());
        Session before = store.find(doomed).orElseThrow();
        assertTrue(store.delete(doomed)); // its purge not run yet: marked
        assertFalse(store.insert(before), "a new session under that id would lose its messages to the purge");
        store.purgeDeleted(doomed);
        assertTrue(store.insert(before), "free again once the purge is done");
    }

    /**
     * Whether the purge's delete of messages is under way on this test's database: with one of them
     * locked by the test, it waits for the lock (MariaDB lists the statement, not always the wait).
     */
    private static boolean waitingForALock(Database db) {
        String sql = db.inProcess()
                ? "SELECT COUNT(*) FROM INFORMATION_SCHEMA.SESSIONS WHERE BLOCKER_ID IS NOT NULL"
                : "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE DB = DATABASE() AND COMMAND = 'Query'"
                        + " AND INFO LIKE 'DELETE FROM messages %'";
        return count(db, sql) > 0;
    }

    /**
     * Stores {@code n} sent messages of the session (each with its history and an idempotency key;
     * ids prefixed by the session's, so their history can be counted) and one inbound message.
     *
     * @return the message ids
     */
    private static List<String> storeMessages(Database db, String sessionId, int n) {
        return storeMessages(db, sessionId, sessionId, n);
    }

    /** The same, with message ids prefixed by {@code prefix} (a real session's id is too long for one). */
    private static List<String> storeMessages(Database db, String sessionId, String prefix, int n) {
        MessageStore messages = new MessageStore(db.client());
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String id = prefix + "-" + i;
            Instant at = t0.plusMillis(i);
            messages.insert(new Message(id, sessionId, "+62811", "m" + i, MessageStatus.PENDING, null, "key-" + i,
                    at, at, null, List.of()));
            ids.add(id);
        }
        new InboundMessageStore(db.client()).insert(new ReceivedMessage(sessionId, "3EB0", "+62822", null,
                "62822@s.whatsapp.net", "hi", "text", t0, t0), null);
        return ids;
    }

    private static long count(Database db, String sql, String arg) {
        try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, arg);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long count(Database db, String sql) {
        try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql);
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
