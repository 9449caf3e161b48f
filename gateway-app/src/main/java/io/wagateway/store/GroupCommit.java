package io.wagateway.store;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbTransaction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Group commit: the writes of many callers share one transaction and one commit. A commit is what
 * a write costs (the database writes its log, or H2 its file chunk, per commit), so under load one
 * commit for every write queued meanwhile is most of the gain.
 *
 * <p>{@link #write} hands a unit of work to the writer thread and waits until it is committed (or
 * failed): the caller's promise is the same as with its own transaction — stored before it goes
 * on — and a caller that writes, waits, then writes again keeps its order. The writer takes what
 * is queued (waiting at most {@code maxWait} for more while writes keep coming, not after a quiet
 * spell, and not long once callers that wait stop coming: {@link #waitForMore}), runs it in one
 * transaction and commits
 * once. When the batch fails, each write runs again alone, in its own transaction, so a bad write
 * fails only its caller. The queue is bounded: when it is full, callers wait (back-pressure).
 *
 * <p>{@link #submit} queues a write without waiting for it: with one writer thread, one queue
 * and one thread make the commit order the submission order, so a caller (a session) may have
 * several writes in flight, and they share a batch instead of waiting for one commit each. The
 * returned future completes on the writer thread, in that order, right after the commit; what a
 * caller chains to it runs there, before the next write's future completes, and must not block.
 *
 * <p>Several writer threads may take from the one queue, each batch on its own connection: while
 * one batch waits for its commit to reach the disk, the next is already being written. Two
 * batches may then commit in either order, so order is kept by the callers: each waits for its
 * commit before it writes again ({@link #submit} waits too), and no two writes of one caller (one
 * session) are ever in flight together.
 *
 * <p>Callers block: call it from virtual threads or worker threads, never from an event loop.
 */
public final class GroupCommit implements AutoCloseable {

    /** A unit of work in the batch's transaction. It may run twice (alone after a failed batch): no side effects outside {@code tx}. */
    @FunctionalInterface
    public interface Work<T> {
        T run(DbTransaction tx);
    }

    private static final Logger LOG = Logger.getLogger(GroupCommit.class.getName());
    private static final int QUEUE_CAPACITY = 4096;
    private static final int MAX_BATCH = 512;
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(10);

    private final DbClient db;
    private final BatchedStatements batched;
    private final Duration maxWait;
    private final BlockingQueue<Queued<?>> queue;
    private final List<Thread> writers;
    private final Consumer<Runnable> completions;
    private final AtomicLong commits = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private volatile boolean closed;

    private GroupCommit(DbClient db, BatchedStatements batched, Duration maxWait, int threads,
                        Consumer<Runnable> completions) {
        this.db = db;
        this.batched = batched;
        this.maxWait = maxWait;
        this.completions = completions;
        this.queue = threads > 0 ? new ArrayBlockingQueue<>(QUEUE_CAPACITY) : null;
        List<Thread> list = new ArrayList<>(threads);
        for (int i = 1; i <= threads; i++) {
            list.add(Thread.ofPlatform().daemon().name("db-group-commit-" + i).unstarted(this::loop));
        }
        this.writers = List.copyOf(list);
    }

    /** Starts one writer thread; {@code maxWait} (0 for none) is how long a batch waits for more writes. */
    public static GroupCommit start(DbClient db, Duration maxWait) {
        return start(db, BatchedStatements.immediate(), maxWait, 1);
    }

    /**
     * Starts {@code threads} writer threads (at least one), each committing its own batches.
     *
     * @param batched the writes the units leave to the end of each transaction ({@link #batched()})
     */
    public static GroupCommit start(DbClient db, BatchedStatements batched, Duration maxWait, int threads) {
        return start(db, batched, maxWait, threads, Runnable::run);
    }

    /**
     * As {@link #start(DbClient, BatchedStatements, Duration, int)}, with each batch's callers told of
     * its commit inside {@code completions}: what they publish then, the events of one commit, can
     * go out together (the event bus's burst).
     *
     * @param completions runs the batch's completions it is given, on the writer thread, before it returns
     */
    public static GroupCommit start(DbClient db, BatchedStatements batched, Duration maxWait, int threads,
                                    Consumer<Runnable> completions) {
        if (threads < 1) {
            throw new IllegalArgumentException("At least one writer thread, not " + threads);
        }
        GroupCommit group = new GroupCommit(db, batched, maxWait, threads, completions);
        group.writers.forEach(Thread::start);
        return group;
    }

    /** No writer thread: each write is its own transaction on the caller's thread (tests, tools). */
    public static GroupCommit direct(DbClient db) {
        return new GroupCommit(db, BatchedStatements.immediate(), Duration.ZERO, 0, Runnable::run);
    }

    /**
     * Runs {@code work} in a transaction shared with other callers' writes and returns once it is committed.
     *
     * @throws RuntimeException what the work or its commit threw
     */
    public <T> T write(Work<T> work) {
        if (writers.isEmpty()) {
            return alone(work);
        }
        Queued<T> queued = enqueue(work, true);
        try {
            return queued.result().get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            // The write goes on (it may be committed already); the caller learns it was interrupted.
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the database writer", e);
        }
    }

    /**
     * Queues {@code work} and returns without waiting for its commit, where that keeps the order:
     * with one writer thread. With several, it waits as {@link #write} does and returns a completed
     * future. With none ({@link #direct}), it runs at once on the caller's thread.
     *
     * <p>Waits only while the queue is full (back-pressure).
     *
     * @return completed on the writer thread right after the commit, in submission order, or
     *     exceptionally with what the work or its commit threw
     */
    public <T> CompletableFuture<T> submit(Work<T> work) {
        if (writers.size() != 1) {
            try {
                return CompletableFuture.completedFuture(write(work));
            } catch (RuntimeException | Error e) {
                return CompletableFuture.failedFuture(e);
            }
        }
        try {
            return enqueue(work, false).result();
        } catch (IllegalStateException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private <T> Queued<T> enqueue(Work<T> work, boolean blocking) {
        if (closed) {
            throw new IllegalStateException("The database writer is closed");
        }
        Queued<T> queued = new Queued<>(work, new CompletableFuture<>(), blocking);
        try {
            queue.put(queued);
            if (closed) {
                // Raced with close(): once the writers are gone, what they left is refused, not left waiting.
                for (Thread writer : writers) {
                    writer.join(CLOSE_WAIT);
                }
                if (queue.remove(queued)) {
                    throw new IllegalStateException("The database writer is closed");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the database writer", e);
        }
        return queued;
    }

    /** @return where a unit leaves row writes to the end of its batch: one statement for the rows of many units */
    public BatchedStatements batched() {
        return batched;
    }

    /** @return the transactions committed so far (batches and writes run alone) */
    public long commits() {
        return commits.get();
    }

    /** @return the writes committed so far */
    public long written() {
        return written.get();
    }

    /** @return the writes waiting for a writer thread */
    public int queued() {
        return queue == null ? 0 : queue.size();
    }

    /** @param blocking whether its caller waits for the commit ({@link #write}) */
    private record Queued<T>(Work<T> work, CompletableFuture<T> result, boolean blocking) {
    }

    private void loop() {
        List<Queued<?>> batch = new ArrayList<>();
        long lastEnd = System.nanoTime() - maxWait.toNanos();
        while (!closed || !queue.isEmpty()) {
            try {
                Queued<?> first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                // Waiting pays only while writes keep coming: a write after a quiet spell commits at once.
                if (!maxWait.isZero() && System.nanoTime() - lastEnd < maxWait.toNanos()) {
                    waitForMore(batch);
                }
                queue.drainTo(batch, MAX_BATCH - batch.size());
                run(batch);
                lastEnd = System.nanoTime();
            } catch (InterruptedException e) {
                // Nobody interrupts it (H2 closes its file on an interrupted write): stop all the same.
                break;
            } catch (Throwable t) {
                // Never leave a caller waiting for a writer that died.
                LOG.log(Level.SEVERE, "Database writer failed", t);
                batch.forEach(q -> q.result().completeExceptionally(t));
            } finally {
                batch.clear();
            }
        }
        Queued<?> left;
        while ((left = queue.poll()) != null) {
            left.result().completeExceptionally(new IllegalStateException("The database writer is closed"));
        }
    }

    /**
     * Adds to {@code batch} what comes within {@code maxWait}. A caller that waits for its commit
     * ({@link #write}) and writes again at once (a REST client sending one message after the other)
     * comes back right after each commit: once the batch holds such a write and none has come for
     * a fifth of {@code maxWait}, they are all in, and waiting longer would only slow them down.
     */
    private void waitForMore(List<Queued<?>> batch) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + maxWait.toNanos();
        long gap = maxWait.toNanos() / 5;
        boolean blocking = batch.getFirst().blocking();
        long lastBlocking = start;
        while (batch.size() < MAX_BATCH) {
            long now = System.nanoTime();
            long until = blocking ? Math.min(deadline, lastBlocking + gap) : deadline;
            if (now >= until) {
                return;
            }
            Queued<?> next = queue.poll(until - now, TimeUnit.NANOSECONDS);
            if (next != null) {
                batch.add(next);
                if (next.blocking()) {
                    blocking = true;
                    lastBlocking = System.nanoTime();
                }
            }
        }
    }

    private void run(List<Queued<?>> batch) {
        if (batch.size() == 1) {
            runAlone(batch.getFirst());
            return;
        }
        List<Object> results = new ArrayList<>(batch.size());
        DbTransaction tx = db.transaction();
        batched.begin(tx);
        try {
            for (Queued<?> q : batch) {
                results.add(q.work().run(tx));
            }
            batched.flush(tx);
            tx.commit();
            commits.incrementAndGet();
            written.addAndGet(batch.size());
        } catch (RuntimeException | Error e) {
            rollback(tx);
            // One bad write must not fail the others: each runs again on its own. (A commit that
            // failed after the database applied it runs again too, as a caller retrying would.)
            LOG.log(Level.FINE, "A batch of " + batch.size() + " writes failed; running them one by one", e);
            batch.forEach(this::runAlone);
            return;
        } finally {
            batched.end(tx);
        }
        completions.accept(() -> {
            for (int i = 0; i < batch.size(); i++) {
                complete(batch.get(i), results.get(i));
            }
        });
    }

    @SuppressWarnings("unchecked")
    private static <T> void complete(Queued<T> q, Object result) {
        q.result().complete((T) result);
    }

    private <T> void runAlone(Queued<T> q) {
        try {
            q.result().complete(alone(q.work()));
        } catch (RuntimeException | Error e) {
            q.result().completeExceptionally(e);
        }
    }

    private <T> T alone(Work<T> work) {
        DbTransaction tx = db.transaction();
        batched.begin(tx);
        T result;
        try {
            result = work.run(tx);
            batched.flush(tx);
            tx.commit();
        } catch (RuntimeException | Error e) {
            rollback(tx);
            throw e;
        } finally {
            batched.end(tx);
        }
        commits.incrementAndGet();
        written.incrementAndGet();
        return result;
    }

    private static void rollback(DbTransaction tx) {
        try {
            tx.rollback();
        } catch (RuntimeException e) {
            // The connection is gone or the transaction already ended: the database discards it.
            LOG.log(Level.FINE, "Rollback failed", e);
        }
    }

    /** Commits what is queued, then stops the writer; later writes are refused. Call it before the database closes. */
    @Override
    public void close() {
        if (writers.isEmpty() || closed) {
            return;
        }
        closed = true;
        try {
            long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
            for (Thread writer : writers) {
                // Not interrupted: H2 closes its store file when a thread is interrupted in a write.
                if (!writer.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())))) {
                    LOG.warning(() -> "The database writer did not finish within " + CLOSE_WAIT);
                    break;
                }
            }
            // How much the batches shared: the figure to look at when tuning gateway.db.commit-wait.
            LOG.info(() -> "Database writer stopped: " + written() + " writes in " + commits() + " commits");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
