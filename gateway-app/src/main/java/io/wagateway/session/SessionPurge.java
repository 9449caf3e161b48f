package io.wagateway.session;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbExecute;
import io.helidon.dbclient.DbTransaction;
import io.wagateway.store.Database;
import io.wagateway.store.Rows;
import io.wagateway.store.Transactions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Removes a deleted session's messages (both ways, with their history and idempotency keys) after
 * its row is gone, a chunk per transaction, outside the database writer. In the writer's shared
 * transaction a busy session's rows held up every other session's writes until all were gone (19 s
 * for 100,000 messages on H2), and on MariaDB kept their locks that long.
 *
 * <p>The delete's transaction {@linkplain #mark marks} the session; {@link #run} removes the mark
 * once its rows are gone, and {@link #resume} runs, at start-up, what a crash or a database error
 * left marked. Only
 * a deleted session's rows are touched, and nothing writes them any more (its writes were queued
 * before the delete), so the chunks need no order with other writes.
 *
 * <p>A delete's purge and the start-up's run {@linkplain #inBackground in the background}, one
 * after the other: a session's removal is answered once its row is gone, not when 100,000
 * messages are. {@link #close} stops them between two chunks; what is left stays marked for the
 * next start.
 *
 * <p>Thread-safe; {@link #run} and {@link #runOrLeave} block (call them from a virtual thread).
 */
final class SessionPurge {

    /** Rows per transaction: each holds its locks, and its undo, only that long. */
    static final int CHUNK = 500;

    /** Between the tries of a purge that failed: a lock wait or a deadlock is over by then. */
    private static final List<Duration> PAUSES = List.of(Duration.ofSeconds(1), Duration.ofSeconds(5));

    private static final Logger LOG = Logger.getLogger(SessionPurge.class.getName());

    private final DbClient db;
    private final int chunk;
    private final Set<String> running = ConcurrentHashMap.newKeySet();
    private final Set<Thread> background = ConcurrentHashMap.newKeySet();
    private final CountDownLatch closing = new CountDownLatch(1);
    private final Semaphore oneAtATime = new Semaphore(1);

    SessionPurge(DbClient db) {
        this(db, CHUNK);
    }

    SessionPurge(DbClient db, int chunk) {
        if (chunk < 1) {
            throw new IllegalArgumentException("A chunk holds at least one row, not " + chunk);
        }
        this.db = db;
        this.chunk = chunk;
    }

    /** In the transaction that deletes the session's row: its other rows are still to go. */
    void mark(DbExecute tx, String sessionId, long deletedAt) {
        tx.namedInsert("insert-session-purge", sessionId, deletedAt);
    }

    /**
     * Removes a marked session's rows, then its mark.
     *
     * @return the transactions it took
     * @throws RuntimeException from the database; the mark stays, for {@link #resume}
     */
    int run(String sessionId) {
        int transactions = 0;
        int found;
        do {
            stopIfClosing();
            // The oldest first, along the session's index; then by key, so a chunk reads no other session's rows.
            List<Object> ids = new ArrayList<>(chunk);
            try (var rows = db.execute().namedQuery("select-message-ids-of-session-chunk", sessionId, chunk)) {
                rows.forEach(row -> ids.add(Rows.string(row, "id")));
            }
            if (!ids.isEmpty()) {
                Transactions.inTransaction(db, tx -> {
                    byIds(tx, "delete-message-history-of-messages", ids);
                    return byIds(tx, "delete-messages-by-id", ids);
                });
                transactions++;
            }
            found = ids.size();
        } while (found == chunk);
        transactions += inChunks("delete-message-idempotency-keys-of-session-chunk", sessionId);
        transactions += inChunks("delete-inbound-messages-of-session-chunk", sessionId);
        stopIfClosing();
        db.execute().namedDelete("delete-session-purge", sessionId);
        return transactions + 1;
    }

    /** Runs {@link #run} for every session still marked (at start-up: what a crash interrupted); one that fails stays marked. */
    void resume() {
        List<String> marked = new ArrayList<>();
        try (var rows = db.execute().namedQuery("select-session-purges")) {
            rows.forEach(row -> marked.add(Rows.string(row, "session_id")));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Could not read which deleted sessions still have messages to remove", e);
            return;
        }
        for (String sessionId : marked) {
            if (stopping()) {
                return;
            }
            LOG.info(() -> "Removing the remaining messages of deleted session " + sessionId);
            runOrLeave(sessionId);
        }
    }

    /** {@link #runOrLeave} on a virtual thread of its own; returns at once. */
    void inBackground(String sessionId) {
        background("session-purge-" + sessionId, () -> runOrLeave(sessionId));
    }

    /** {@link #resume} on a virtual thread of its own; returns at once. */
    void resumeInBackground() {
        background("session-purge", this::resume);
    }

    private void background(String name, Runnable purge) {
        if (stopping()) {
            return; // stopping: the mark stays for the next start
        }
        Thread thread = Thread.ofVirtual().name(name).unstarted(() -> {
            try {
                // One at a time: a deleted user's many sessions must not take every database connection.
                oneAtATime.acquire();
                try {
                    if (!stopping()) {
                        purge.run();
                    }
                } finally {
                    oneAtATime.release();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                background.remove(Thread.currentThread());
            }
        });
        background.add(thread);
        thread.start();
    }

    /**
     * Stops the background purges after their current chunk, and waits for them at most {@code wait}
     * (a chunk is a short transaction; the database closes after this). What is left stays marked.
     */
    void close(Duration wait) throws InterruptedException {
        closing.countDown();
        long end = System.nanoTime() + wait.toNanos();
        for (Thread thread : background) {
            thread.join(Duration.ofNanos(Math.max(1, end - System.nanoTime())));
        }
    }

    private boolean stopping() {
        return closing.getCount() == 0;
    }

    private void stopIfClosing() {
        if (stopping()) {
            throw new CancellationException("The gateway is stopping");
        }
    }

    /**
     * {@link #run}, tried again after a failure (a lock wait or a deadlock given up on), then left
     * for the next start with a warning. One purge per session at a time: a second call while one
     * runs (a delete's and the start-up's) returns at once.
     */
    void runOrLeave(String sessionId) {
        if (!running.add(sessionId)) {
            return;
        }
        try {
            for (int attempt = 0; ; attempt++) {
                try {
                    run(sessionId);
                    return;
                } catch (CancellationException e) {
                    leftForTheNextStart(sessionId);
                    return;
                } catch (RuntimeException e) {
                    if (stopping()) {
                        leftForTheNextStart(sessionId); // the stop cut its chunk short (the database closing)
                        return;
                    }
                    if (attempt == PAUSES.size()) {
                        LOG.log(Level.WARNING, "Could not remove all messages of deleted session " + sessionId
                                + " (the session is gone; the gateway's next start removes the rest)", e);
                        return;
                    }
                    Duration pause = PAUSES.get(attempt);
                    LOG.log(Level.INFO, "Removing the messages of deleted session " + sessionId + " failed; trying again in "
                            + pause.toSeconds() + " s", e);
                    if (closing.await(pause.toMillis(), TimeUnit.MILLISECONDS)) {
                        leftForTheNextStart(sessionId);
                        return;
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            running.remove(sessionId);
        }
    }

    private static void leftForTheNextStart(String sessionId) {
        LOG.info(() -> "Left the remaining messages of deleted session " + sessionId + " for the next start");
    }

    private static long byIds(DbTransaction tx, String statement, List<Object> ids) {
        return tx.createNamedDelete(statement + "-" + ids.size(), Database.namedStatement(statement, ids.size()))
                .params(ids).execute();
    }

    private int inChunks(String statement, String sessionId) {
        int transactions = 0;
        long removed;
        do {
            stopIfClosing();
            removed = db.execute().namedDelete(statement, sessionId, chunk);
            transactions++;
        } while (removed == chunk);
        return transactions;
    }
}
