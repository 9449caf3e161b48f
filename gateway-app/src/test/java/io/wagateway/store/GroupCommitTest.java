package io.wagateway.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wagateway.api.MessageStatus;
import io.wagateway.event.EventOutbox;
import io.wagateway.session.Message;
import io.wagateway.session.MessageStore;
import io.wagateway.testing.OnBothDatabases;
import io.wagateway.testing.GroupCommitFixture;
import io.wagateway.testing.HeldWriter;
import io.wagateway.testing.TestDatabases;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;

/** The group commit of message writes, on the embedded database and on MariaDB. */
class GroupCommitTest {

    private static final int WRITERS = 8;

    private GroupCommitFixture fx;
    private Database db;
    private GroupCommit group;
    private ExecutorService callers;

    private MessageStore open(Supplier<TestDatabases.Target> which) {
        use(GroupCommitFixture.open(which, d -> GroupCommit.start(d.client(), Duration.ZERO)));
        return new MessageStore(db.client(), EventOutbox.NONE, group);
    }

    @AfterEach
    void close() {
        if (fx != null) {
            fx.close();
        }
    }

    private void use(GroupCommitFixture fixture) {
        fx = fixture;
        db = fixture.db();
        group = fixture.group();
        callers = fixture.callers();
    }

    @OnBothDatabases
    void theWritesQueuedMeanwhileShareOneTransactionAndOneCommit(Supplier<TestDatabases.Target> which) throws Exception {
        MessageStore messages = open(which);
        CountDownLatch release = HeldWriter.hold(group, callers);
        List<Message> sent = new ArrayList<>();
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (int i = 0; i < WRITERS; i++) {
            Message m = message("s-" + i, UUID.randomUUID().toString());
            sent.add(m);
            done.add(CompletableFuture.runAsync(() -> messages.insert(m), callers));
        }
        HeldWriter.awaitQueued(group, WRITERS);
        assertTrue(done.stream().noneMatch(CompletableFuture::isDone), "nobody returns before the commit");
        long before = group.commits();
        long writtenBefore = group.written();
        release.countDown();
        CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        assertEquals(before + 2, group.commits(), "the held write's commit, then one for all " + WRITERS + " sessions");
        assertEquals(writtenBefore + 1 + WRITERS, group.written());
        for (Message m : sent) {
            assertEquals(MessageStatus.PENDING, messages.find(m.sessionId(), m.messageId()).orElseThrow().status());
        }
    }

    @OnBothDatabases
    void aFailingWriteInABatchFailsOnlyItsCaller(Supplier<TestDatabases.Target> which) throws Exception {
        MessageStore messages = open(which);
        Message existing = message("s-0", UUID.randomUUID().toString());
        messages.insert(existing);
        CountDownLatch release = HeldWriter.hold(group, callers);
        List<Message> good = new ArrayList<>();
        List<CompletableFuture<Void>> goodDone = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            Message m = message("s-" + i, UUID.randomUUID().toString());
            good.add(m);
            goodDone.add(CompletableFuture.runAsync(() -> messages.insert(m), callers));
        }
        // The same id again: the primary key refuses it, in the batch and alone.
        Message duplicate = message("s-9", existing.messageId());
        CompletableFuture<Void> bad = CompletableFuture.runAsync(() -> messages.insert(duplicate), callers);
        HeldWriter.awaitQueued(group, 4);
        release.countDown();
        CompletableFuture.allOf(goodDone.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        Exception refused = assertThrows(Exception.class, () -> bad.get(30, TimeUnit.SECONDS));
        assertTrue(refused.getCause() instanceof RuntimeException, "the caller gets the database's error: " + refused);
        for (Message m : good) {
            assertTrue(messages.find(m.sessionId(), m.messageId()).isPresent(), "a good write of the batch is stored");
        }
        assertTrue(messages.find("s-9", existing.messageId()).isEmpty(), "the bad write left nothing");
        assertEquals("s-0", messages.find("s-0", existing.messageId()).orElseThrow().sessionId());
        messages.insert(message("s-10", UUID.randomUUID().toString()));
    }

    @OnBothDatabases
    void withTwoWritersABatchCommitsWhileTheOtherWriterIsBusy(Supplier<TestDatabases.Target> which) throws Exception {
        use(GroupCommitFixture.open(which, d -> GroupCommit.start(d.client(), BatchedStatements.immediate(), Duration.ZERO, 2)));
        MessageStore messages = new MessageStore(db.client(), EventOutbox.NONE, group);
        CountDownLatch release = HeldWriter.hold(group, callers);
        try {
            List<Message> sent = new ArrayList<>();
            for (int i = 0; i < WRITERS; i++) {
                Message m = message("s-" + i, UUID.randomUUID().toString());
                sent.add(m);
                // Returns while the other writer still holds its transaction open: no waiting behind it.
                CompletableFuture.runAsync(() -> messages.insert(m), callers).get(30, TimeUnit.SECONDS);
            }
            for (Message m : sent) {
                assertTrue(messages.find(m.sessionId(), m.messageId()).isPresent(), "committed by the free writer");
            }
        } finally {
            release.countDown();
        }
    }

    @OnBothDatabases
    void submittedWritesCompleteInTheirOrderRightAfterTheirCommit(Supplier<TestDatabases.Target> which) throws Exception {
        MessageStore messages = open(which);
        CountDownLatch release = HeldWriter.hold(group, callers);
        List<String> completed = java.util.Collections.synchronizedList(new ArrayList<>());
        List<CompletableFuture<Void>> done = new ArrayList<>();
        List<Message> sent = new ArrayList<>();
        for (int i = 0; i < WRITERS; i++) {
            Message m = message("s-1", UUID.randomUUID().toString());
            sent.add(m);
            // Each completion sees its own write committed (read on another connection).
            done.add(group.submit(tx -> {
                tx.namedInsert("insert-message", m.messageId(), m.sessionId(), m.to(), m.text(), m.status().name(),
                        null, null, m.createdAt().toEpochMilli(), m.updatedAt().toEpochMilli(), null);
                return m.messageId();
            }).thenAccept(id -> completed.add(messages.find("s-1", id).map(Message::messageId).orElse("missing"))));
        }
        assertTrue(done.stream().noneMatch(CompletableFuture::isDone), "submit returned before the commit");
        release.countDown();
        CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        assertEquals(sent.stream().map(Message::messageId).toList(), completed, "in submission order, each stored");
    }

    @OnBothDatabases
    void withTwoWritersSubmitWaitsForItsCommitAndAfterCloseItIsRefused(Supplier<TestDatabases.Target> which)
            throws Exception {
        use(GroupCommitFixture.open(which, d -> GroupCommit.start(d.client(), BatchedStatements.immediate(), Duration.ZERO, 2)));
        // Two batches may commit in either order: a caller's next write must not be in flight with this one.
        CompletableFuture<String> one = group.submit(tx -> "committed");
        assertTrue(one.isDone(), "returned only once committed");
        assertEquals("committed", one.get());
        group.close();
        CompletableFuture<String> late = group.submit(tx -> "never");
        Exception refused = assertThrows(Exception.class, () -> late.get(30, TimeUnit.SECONDS));
        assertTrue(refused.getCause() instanceof IllegalStateException, "refused: " + refused);
    }

    @org.junit.jupiter.api.Test
    void aBatchWaitsForMoreWhileWritesKeepComingButNotAfterAQuietSpellNorLongOnBlockedWriters() throws Exception {
        Duration wait = Duration.ofSeconds(3);
        long gap = wait.toNanos() / 5;
        use(GroupCommitFixture.open(TestDatabases::embedded, d -> GroupCommit.start(d.client(), wait)));
        MessageStore messages = new MessageStore(db.client(), EventOutbox.NONE, group);

        long started = System.nanoTime();
        messages.insert(message("s-1", UUID.randomUUID().toString()));
        long quiet = System.nanoTime() - started;
        assertTrue(quiet < wait.toNanos() - gap, "nothing came before it: committed at once, in " + quiet / 1_000_000 + " ms");

        started = System.nanoTime();
        messages.insert(message("s-1", UUID.randomUUID().toString()));
        long blocked = System.nanoTime() - started;
        assertTrue(blocked >= gap && blocked < wait.toNanos() - gap, "right after a commit, its caller waiting: waited for"
                + " more, but only until no other such write came for a fifth of the wait: " + blocked / 1_000_000 + " ms");

        started = System.nanoTime();
        group.submit(tx -> null).get(30, TimeUnit.SECONDS);
        long pipelined = System.nanoTime() - started;
        assertTrue(pipelined >= wait.toNanos(), "nobody waits for it: the whole wait, " + pipelined / 1_000_000 + " ms");
    }

    /** What the callers of one batch do when told of its commit (publish its events) runs inside the hook, at once. */
    @org.junit.jupiter.api.Test
    void aBatchTellsItsCallersOfItsCommitInsideTheCompletionsHook() throws Exception {
        ThreadLocal<Integer> hook = new ThreadLocal<>();
        java.util.concurrent.atomic.AtomicInteger hooks = new java.util.concurrent.atomic.AtomicInteger();
        use(GroupCommitFixture.open(TestDatabases::embedded, d -> GroupCommit.start(d.client(), BatchedStatements.immediate(),
                Duration.ZERO, 1, completions -> {
                    hook.set(hooks.incrementAndGet());
                    try {
                        completions.run();
                    } finally {
                        hook.remove();
                    }
                })));
        CountDownLatch release = HeldWriter.hold(group, callers);
        List<CompletableFuture<Integer>> told = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            told.add(group.submit(tx -> null).thenApply(done -> hook.get()));
        }
        HeldWriter.awaitQueued(group, 3);
        release.countDown();
        List<Integer> seen = new ArrayList<>();
        for (CompletableFuture<Integer> t : told) {
            seen.add(t.get(30, TimeUnit.SECONDS));
        }
        assertEquals(1, hooks.get(), "one batch of three, one hook (the held write alone needs none)");
        assertEquals(List.of(1, 1, 1), seen, "each caller was told inside it");
    }

    private static Message message(String sessionId, String id) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        return new Message(id, sessionId, "+62811", "hello", MessageStatus.PENDING, null, null, now, now, null, List.of());
    }
}
