package io.wagateway.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wagateway.api.GatewayEvent;
import io.wagateway.api.MessageStatus;
import io.wagateway.api.MessageStatusUpdated;
import io.wagateway.event.EventBus;
import io.wagateway.event.EventOutbox;
import io.wagateway.store.Database;
import io.wagateway.store.GroupCommit;
import io.wagateway.testing.OnBothDatabases;
import io.wagateway.testing.GroupCommitFixture;
import io.wagateway.testing.HeldWriter;
import io.wagateway.testing.ManualClock;
import io.wagateway.testing.TestDatabases;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;

/** Many sessions' message writes through one group commit: each session's order is kept. */
class MessageGroupCommitTest {

    private static final int SESSIONS = 24;
    private static final List<MessageStatus> LIFECYCLE = List.of(MessageStatus.SENT, MessageStatus.DELIVERED, MessageStatus.READ);

    private GroupCommitFixture fx;

    @AfterEach
    void close() {
        if (fx != null) {
            fx.close();
        }
    }

    @OnBothDatabases
    void eachSessionsEventsAreStoredAndPublishedInTheirOrderWhileSessionsShareCommits(
            Supplier<TestDatabases.Target> which) throws Exception {
        fx = GroupCommitFixture.open(which, d -> GroupCommit.start(d.client(), Duration.ofMillis(2)));
        Database db = fx.db();
        GroupCommit group = fx.group();
        ExecutorService sessions = fx.callers();
        Map<String, List<MessageStatus>> stored = new ConcurrentHashMap<>();
        Map<String, List<MessageStatus>> published = new ConcurrentHashMap<>();
        // The outbox runs in the batch's transaction: it sees the order the rows are written in.
        MessageStore store = new MessageStore(db.client(), (tx, event) -> record(stored, event), group);
        EventBus bus = new EventBus();
        bus.subscribe(event -> record(published, event));
        OutgoingMessages messages = new OutgoingMessages(store, bus, Clock.systemUTC());

        long before = group.commits();
        List<CompletableFuture<Message>> done = new ArrayList<>();
        for (int i = 0; i < SESSIONS; i++) {
            String sessionId = "s-" + i;
            // As a session's actor does: the message and its hand-over wait for their commits, the
            // status changes do not (each is published once committed).
            done.add(CompletableFuture.supplyAsync(() -> {
                Message m = messages.store(sessionId, "+62811", "hello", null);
                messages.handedOver(List.of(m.messageId()));
                for (MessageStatus status : LIFECYCLE) {
                    messages.statusChanged(sessionId, "u-1", m.messageId(), status, null);
                }
                // A late SENT after READ moves nothing back: no write, no event.
                return messages.statusChanged(sessionId, "u-1", m.messageId(), MessageStatus.SENT, null).thenApply(v -> m);
            }, sessions).thenCompose(f -> f));
        }
        CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

        int writes = SESSIONS * (2 + LIFECYCLE.size());
        long commits = group.commits() - before;
        assertTrue(commits < writes, commits + " commits for " + writes + " writes: sessions shared commits");
        for (CompletableFuture<Message> f : done) {
            Message m = f.get();
            assertEquals(LIFECYCLE, stored.get(m.messageId()), "outbox order of " + m.sessionId());
            assertEquals(LIFECYCLE, published.get(m.messageId()), "published order of " + m.sessionId());
            Message found = store.find(m.sessionId(), m.messageId()).orElseThrow();
            assertEquals(MessageStatus.READ, found.status());
            assertEquals(List.of(MessageStatus.PENDING, MessageStatus.SENT, MessageStatus.DELIVERED, MessageStatus.READ),
                    found.history().stream().map(Message.StatusChange::status).toList());
            assertTrue(found.deliveredAt() != null, "delivered_at kept from DELIVERED");
        }
    }

    @OnBothDatabases
    void aSessionsStatusChangesShareACommitWithoutWaitingAndEachIsPublishedStoredInOrder(
            Supplier<TestDatabases.Target> which) throws Exception {
        fx = GroupCommitFixture.open(which, d -> GroupCommit.start(d.client(), Duration.ZERO));
        GroupCommit group = fx.group();
        MessageStore store = new MessageStore(fx.db().client(), EventOutbox.NONE, group);
        EventBus bus = new EventBus();
        List<MessageStatus> published = Collections.synchronizedList(new ArrayList<>());
        List<MessageStatus> storedWhenPublished = Collections.synchronizedList(new ArrayList<>());
        List<Instant> publishedAt = Collections.synchronizedList(new ArrayList<>());
        bus.subscribe(event -> {
            if (event instanceof MessageStatusUpdated u) {
                published.add(u.status());
                publishedAt.add(u.timestamp());
                // Another connection reads it: committed before it was published.
                storedWhenPublished.add(store.find(u.sessionId(), u.messageId()).orElseThrow().status());
            }
        });
        ManualClock clock = new ManualClock();
        OutgoingMessages messages = new OutgoingMessages(store, bus, clock);
        Message m = messages.store("s-1", "+62811", "hello", null);
        messages.handedOver(List.of(m.messageId()));

        CountDownLatch release = HeldWriter.hold(group, fx.callers());
        long before = group.commits();
        // All three queued by one caller while the writer is busy: none waits for the one before.
        List<CompletableFuture<Void>> changes = LIFECYCLE.stream()
                .map(status -> messages.statusChanged("s-1", "u-1", m.messageId(), status, null)).toList();
        assertTrue(changes.stream().noneMatch(CompletableFuture::isDone), "nothing committed while the writer is held");
        assertTrue(published.isEmpty(), "nothing published before its commit");
        Instant reported = clock.instant();
        clock.advance(Duration.ofMinutes(1)); // the batch runs later than the session took the reports
        release.countDown();
        CompletableFuture.allOf(changes.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

        assertEquals(2, group.commits() - before, "the held write's commit, then one for the three changes");
        assertEquals(LIFECYCLE, published);
        assertEquals(List.of(MessageStatus.READ, MessageStatus.READ, MessageStatus.READ), storedWhenPublished,
                "each event published after the one commit that stored all three");
        Message found = store.find("s-1", m.messageId()).orElseThrow();
        assertEquals(List.of(MessageStatus.PENDING, MessageStatus.SENT, MessageStatus.DELIVERED, MessageStatus.READ),
                found.history().stream().map(Message.StatusChange::status).toList());
        assertEquals(List.of(reported, reported, reported), publishedAt,
                "each change is timed when the session took it, not when its batch ran");
        assertEquals(List.of(reported, reported, reported),
                found.history().subList(1, found.history().size()).stream().map(Message.StatusChange::at).toList(),
                "the history's SENT, DELIVERED and READ");
        assertEquals(reported, found.deliveredAt());
    }

    private static void record(Map<String, List<MessageStatus>> into, GatewayEvent event) {
        if (event instanceof MessageStatusUpdated u) {
            into.computeIfAbsent(u.messageId(), k -> Collections.synchronizedList(new ArrayList<>())).add(u.status());
        }
    }
}
