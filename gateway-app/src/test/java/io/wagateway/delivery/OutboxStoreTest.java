package io.wagateway.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wagateway.api.QrCodeUpdated;
import io.wagateway.api.SessionStatus;
import io.wagateway.api.SessionStatusChanged;
import io.wagateway.session.Session;
import io.wagateway.session.SessionStore;
import io.wagateway.store.BatchedStatements;
import io.wagateway.store.Database;
import io.wagateway.testing.OnBothDatabases;
import io.wagateway.testing.DatabasePerTest;
import io.wagateway.testing.TestDatabases;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The outbox's rows on both databases: claims, lanes, write-backs guarded by the claim, pruning, the shared transaction. */
class OutboxStoreTest {

    @RegisterExtension
    final DatabasePerTest database = new DatabasePerTest();
    private Database db;
    private OutboxStore store;
    private DeliveryClaims claims;
    private Outbox outbox;
    /** Where the events appended next are queued (the outbox asks at each append). */
    private volatile List<Destination> destinations = List.of(new Destination("s", ""));

    private void open(Supplier<TestDatabases.Target> which) {
        db = database.on(which.get());
        store = new OutboxStore(db);
        claims = new DeliveryClaims(db);
        outbox = new Outbox(new EventEnvelopes(io.wagateway.socket.EventPayloads::of),
                e -> destinations, new BatchedStatements(db::statement), Clock.systemUTC());
    }

    /** What {@link Deliveries#replay} does: the stored events of the session, queued for the destination. */
    private void replay(Destination to, String session) {
        store.replay(store.events(0, Long.MAX_VALUE, session, "", 1000), to, System.currentTimeMillis());
    }

    private static List<String> eventIds(List<Claimed> batch) {
        return batch.stream().map(Claimed::eventId).toList();
    }

    private static List<Attempt> dead(List<Claimed> batch, long now) {
        return batch.stream().<Attempt>map(c -> new Attempt.Failed(c.id(), true, now, "HTTP 400")).toList();
    }

    private SessionStatusChanged append(String session) {
        SessionStatusChanged e = new SessionStatusChanged(session, "u1", SessionStatus.CONNECTING, null, null, null,
                Instant.now());
        var tx = db.client().transaction();
        outbox.append(tx, e);
        tx.commit();
        return e;
    }

    @OnBothDatabases
    void twoWorkersNeverClaimOneRowAndEachSessionStaysInOrder(Supplier<TestDatabases.Target> which) throws Exception {
        open(which);
        Map<String, List<String>> appended = new HashMap<>();
        for (int i = 0; i < 240; i++) {
            String session = "s" + (i % 6);
            appended.computeIfAbsent(session, k -> new ArrayList<>()).add(append(session).eventId());
        }
        Set<Long> claimed = ConcurrentHashMap.newKeySet();
        List<Long> twice = Collections.synchronizedList(new ArrayList<>());
        Map<String, List<String>> done = new ConcurrentHashMap<>();
        Runnable worker = () -> {
            try {
                int idle = 0;
                while (idle < 20) {
                    String token = UUID.randomUUID().toString();
                    long now = System.currentTimeMillis();
                    List<Claimed> batch = claims.claim("s", now, 15, now + 60_000, token, Set.of(), Set.of());
                    if (batch.isEmpty()) {
                        idle++;
                        Thread.sleep(5);
                        continue;
                    }
                    idle = 0;
                    List<Attempt> results = new ArrayList<>();
                    for (Claimed c : batch) {
                        if (!claimed.add(c.id())) {
                            twice.add(c.id());
                        }
                        done.computeIfAbsent(c.sessionId(), k -> Collections.synchronizedList(new ArrayList<>())).add(c.eventId());
                        results.add(new Attempt.Delivered(c.id()));
                    }
                    claims.complete(results, System.currentTimeMillis(), token);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
        Thread a = Thread.ofPlatform().start(worker);
        Thread b = Thread.ofPlatform().start(worker);
        a.join(60_000);
        b.join(60_000);
        assertEquals(List.of(), twice, "no row claimed twice");
        assertEquals(240, claimed.size());
        assertEquals(appended, new HashMap<>(done), "every session's events in their order");
        assertTrue(store.backlog().getOrDefault("s", new OutboxStore.Backlog(0, 0)).pending() == 0);
    }

    @OnBothDatabases
    void aRetryHoldsBackItsLaneOnlyAndWriteBacksNeedTheClaim(Supplier<TestDatabases.Target> which) throws Exception {
        open(which);
        String first = append("a").eventId();
        append("a");
        String other = append("b").eventId();
        long now = System.currentTimeMillis();
        List<Claimed> batch = claims.claim("s", now, 10, now + 60_000, "t1", Set.of(), Set.of());
        assertEquals(3, batch.size());
        Claimed head = batch.getFirst();
        assertEquals(first, head.eventId());
        claims.complete(List.of(new Attempt.Failed(head.id(), false, now + 60_000, "HTTP 503"),
                new Attempt.Released(batch.get(1).id()), new Attempt.Delivered(batch.get(2).id())), now, "t1");
        List<Claimed> again = claims.claim("s", now + 1, 10, now + 60_000, "t2", Set.of(), Set.of());
        assertEquals(List.of(), again, "a's second event waits behind its retry; b's was delivered");
        DeliveryRecord failed = store.find(head.id()).orElseThrow();
        assertEquals("PENDING", failed.status());
        assertEquals(1, failed.attempts());
        assertEquals("HTTP 503", failed.lastError());
        assertEquals(other, store.find(batch.get(2).id()).orElseThrow().eventId());
        assertEquals("DELIVERED", store.find(batch.get(2).id()).orElseThrow().status());

        // Due again: claimed, then killed (a 410) and retried by hand meanwhile (the retry clears the
        // claim): the old claim's write-back is void.
        List<Claimed> due = claims.claim("s", now + 61_000, 10, now + 120_000, "t3", Set.of(), Set.of());
        assertEquals(2, due.size());
        store.killPending("s", "", "gone");
        assertTrue(store.retry(due.getFirst().id(), now));
        claims.complete(List.of(new Attempt.Failed(due.getFirst().id(), true, now, "late")), now, "t3");
        assertEquals("PENDING", store.find(due.getFirst().id()).orElseThrow().status());
    }

    @OnBothDatabases
    void aReplayGoesOutInTheEventsOrderWhetherOrNotTheyWereQueuedForItBefore(Supplier<TestDatabases.Target> which)
            throws Exception {
        open(which);
        Destination hook = new Destination("webhook", "sub-1");
        // Three events before the subscription existed, then one queued for it and delivered.
        List<String> a = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            a.add(append("a").eventId());
        }
        destinations = List.of(new Destination("s", ""), hook);
        a.add(append("a").eventId());
        long now = System.currentTimeMillis();
        List<Claimed> live = claims.claim("webhook", now, 10, now + 60_000, "t1", Set.of(), Set.of());
        assertEquals(a.subList(3, 4), eventIds(live));
        claims.complete(List.of(new Attempt.Delivered(live.getFirst().id())), now, "t1");

        replay(hook, "a");
        now = System.currentTimeMillis();
        assertEquals(a, eventIds(claims.claim("webhook", now, 10, now + 60_000, "t2", Set.of(), Set.of())),
                "the events' own order, not the ones queued before first");
    }

    @OnBothDatabases
    void retryDeadAfterAReplaySendsEachEventOnceInItsOrder(Supplier<TestDatabases.Target> which) throws Exception {
        open(which);
        Destination hook = new Destination("webhook", "sub-1");
        List<String> a = new ArrayList<>();
        a.add(append("a").eventId());
        destinations = List.of(new Destination("s", ""), hook);
        a.add(append("a").eventId());
        a.add(append("a").eventId());
        long now = System.currentTimeMillis();
        List<Claimed> live = claims.claim("webhook", now, 10, now + 60_000, "t1", Set.of(), Set.of());
        claims.complete(dead(live, now), now, "t1");
        // The receiver still refuses: the replay's deliveries are dead too.
        replay(hook, "a");
        now = System.currentTimeMillis();
        List<Claimed> replayed = claims.claim("webhook", now, 10, now + 60_000, "t2", Set.of(), Set.of());
        assertEquals(a, eventIds(replayed));
        claims.complete(dead(replayed, now), now, "t2");

        assertFalse(store.retry(live.getFirst().id(), now), "one the replay stands for is not retried on its own either");
        store.retryDead("webhook", "sub-1", now);
        now = System.currentTimeMillis();
        assertEquals(a, eventIds(claims.claim("webhook", now, 10, now + 60_000, "t3", Set.of(), Set.of())),
                "the replay's dead deliveries, in order; the older ones of the same events it stands for are left");
    }

    @OnBothDatabases
    void aReplayComesAfterWhatItsLaneHasWaitingAndMakesItsWaitingEventsDueNow(Supplier<TestDatabases.Target> which)
            throws Exception {
        open(which);
        String first = append("a").eventId();
        String second = append("a").eventId();
        long now = System.currentTimeMillis();
        List<Claimed> batch = claims.claim("s", now, 10, now + 60_000, "t1", Set.of(), Set.of());
        claims.complete(List.of(new Attempt.Failed(batch.getFirst().id(), false, now + 600_000, "HTTP 503"),
                new Attempt.Released(batch.get(1).id())), now, "t1");
        replay(new Destination("s", ""), "a");
        now = System.currentTimeMillis();
        assertEquals(List.of(first, second, first, second),
                eventIds(claims.claim("s", now, 10, now + 60_000, "t2", Set.of(), Set.of())),
                "the waiting ones first, no longer waiting for their retry, then the replay");
    }

    @OnBothDatabases
    void aDeliveryWhoseEventIsGoneIsMarkedDeadAndHoldsNothingBack(Supplier<TestDatabases.Target> which) throws Exception {
        open(which);
        long now = System.currentTimeMillis();
        // A replay's row for an event the pruner removed between the replay's read and its insert.
        store.replay(List.of(new OutboxStore.StoredEvent("gone-event", "a", "u1", "session_status_changed", now)),
                new Destination("s", ""), now);
        String next = append("a").eventId();
        now = System.currentTimeMillis();
        List<Claimed> batch = claims.claim("s", now, 10, now + 60_000, "t1", Set.of(), Set.of());
        assertEquals(List.of(next), batch.stream().map(Claimed::eventId).toList());
        DeliveryRecord orphan = store.list(new OutboxStore.Filter("", "s", "", "DEAD", "", 0, Long.MAX_VALUE, 10))
                .stream().filter(d -> d.eventId().equals("gone-event")).findFirst().orElseThrow();
        assertEquals("Its event is no longer stored", orphan.lastError());
        claims.complete(List.of(new Attempt.Delivered(batch.getFirst().id())), now, "t1");
        assertEquals(List.of(), claims.claim("s", now + 61_000, 10, now + 120_000, "t2", Set.of(), Set.of()),
                "nothing comes back after the lease");
    }

    @OnBothDatabases
    void aLongLaneWaitingForItsRetryDoesNotHoldBackAnotherSession(Supplier<TestDatabases.Target> which) throws Exception {
        open(which);
        append("a");
        for (int i = 0; i < 15; i++) {
            append("a");
        }
        String other = append("b").eventId();
        long now = System.currentTimeMillis();
        List<Claimed> all = claims.claim("s", now, 100, now + 60_000, "t1", Set.of(), Set.of());
        Claimed head = all.getFirst();
        List<Attempt> outcome = new ArrayList<>();
        outcome.add(new Attempt.Failed(head.id(), false, now + 60_000, "HTTP 503"));
        for (Claimed c : all.subList(1, all.size())) {
            outcome.add(new Attempt.Released(c.id()));
        }
        claims.complete(outcome, now, "t1");
        // The first ten ready rows are all a's, behind its retry: b's must still come out.
        List<Claimed> batch = claims.claim("s", now + 1, 10, now + 60_000, "t2", Set.of(), Set.of());
        assertEquals(List.of(other), batch.stream().map(Claimed::eventId).toList());
    }

    @OnBothDatabases
    void rowsSettledButNotYetWrittenBackLetTheirLaneGoOnAndNothingElse(Supplier<TestDatabases.Target> which)
            throws Exception {
        open(which);
        List<String> a = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            a.add(append("a").eventId());
        }
        long now = System.currentTimeMillis();
        List<Claimed> first = claims.claim("s", now, 2, now + 60_000, "t1", Set.of(), Set.of());
        assertEquals(a.subList(0, 2), first.stream().map(Claimed::eventId).toList());
        // Its write-back still running: unknown to the database, the lane waits behind the claim ...
        assertEquals(List.of(), claims.claim("s", now + 1, 10, now + 60_000, "t2", Set.of(), Set.of()));
        // ... unless the claim is told those rows are done; then only the ones after them come.
        Set<Long> settled = Set.of(first.get(0).id(), first.get(1).id());
        List<Claimed> next = claims.claim("s", now + 2, 10, now + 60_000, "t3", settled, Set.of());
        assertEquals(a.subList(2, 4), next.stream().map(Claimed::eventId).toList());
        // Only the first settled: the second still holds the lane.
        claims.release("s", "t3");
        assertEquals(List.of(), claims.claim("s", now + 3, 10, now + 60_000, "t4", Set.of(first.get(0).id()), Set.of()));
    }

    @OnBothDatabases
    void prunesDeliveredRowsAndTheirEventsButKeepsWaitingOnes(Supplier<TestDatabases.Target> which) throws Exception {
        open(which);
        append("a");
        append("b");
        long now = System.currentTimeMillis();
        List<Claimed> batch = claims.claim("s", now, 10, now + 60_000, "t", Set.of(), Set.of());
        claims.complete(List.of(new Attempt.Delivered(batch.getFirst().id())), now, "t");
        claims.release("s", "t");
        assertEquals(2, store.prune(now + 1000, now + 1000), "one delivered row and its event");
        assertEquals(1, store.backlog().get("s").pending());
        assertEquals(List.of("b"), store.events(0, Long.MAX_VALUE, "", "", 10).stream().map(OutboxStore.StoredEvent::sessionId).toList());
    }

    @OnBothDatabases
    void deadRowsStayForTheirRetentionThenGoWithTheirEvents(Supplier<TestDatabases.Target> which) throws Exception {
        open(which);
        append("a");
        append("b");
        long now = System.currentTimeMillis();
        List<Claimed> batch = claims.claim("s", now, 10, now + 60_000, "t", Set.of(), Set.of());
        claims.complete(List.of(new Attempt.Failed(batch.get(0).id(), true, now, "HTTP 400"),
                new Attempt.Failed(batch.get(1).id(), true, now, "HTTP 400")), now, "t");
        assertEquals(0, store.prune(now + 1000, now), "dead since now: kept, and their events with them");
        assertEquals("DEAD", store.find(batch.getFirst().id()).orElseThrow().status());
        assertEquals(4, store.prune(now + 1000, now + 1), "past the dead retention: both rows, then their events");
        assertTrue(store.find(batch.getFirst().id()).isEmpty());
        assertEquals(List.of(), store.events(0, Long.MAX_VALUE, "", "", 10));
    }

    @OnBothDatabases
    void aStateChangeAndItsEventCommitTogether(Supplier<TestDatabases.Target> which) {
        open(which);
        String user = UUID.randomUUID().toString();
        db.client().execute().namedInsert("insert-user", user, "owner", "owner", "x", "USER", true, 0, 0L);
        Instant t = Instant.parse("2026-12-01T10:00:00Z");
        Session s = new Session("sess-1", "n", user, "simulator", SessionStatus.DISCONNECTED, null, null, null, t, t);
        assertTrue(new SessionStore(db.client()).insert(s));
        SessionStore failing = new SessionStore(db.client(), (tx, e) -> {
            outbox.append(tx, e);
            throw new IllegalStateException("outbox full");
        });
        Session next = s.withStatus(SessionStatus.CONNECTING, null, null, null, t.plusSeconds(1));
        SessionStatusChanged event = new SessionStatusChanged("sess-1", user, SessionStatus.CONNECTING, null, null, null, t);
        assertThrows(IllegalStateException.class, () -> failing.updateStatus(next, event));
        assertEquals(SessionStatus.DISCONNECTED, new SessionStore(db.client()).find("sess-1").orElseThrow().status());
        assertEquals(List.of(), store.events(0, Long.MAX_VALUE, "", "", 10), "no event without its change");

        new SessionStore(db.client(), outbox).updateStatus(next, event);
        assertEquals(SessionStatus.CONNECTING, new SessionStore(db.client()).find("sess-1").orElseThrow().status());
        assertEquals(Set.of(event.eventId()), new HashSet<>(store.events(0, Long.MAX_VALUE, "", "", 10).stream()
                .map(OutboxStore.StoredEvent::eventId).toList()));
    }

    @OnBothDatabases
    void aQrCodeIsStoredWithAllItsDeliveriesOrNotAtAll(Supplier<TestDatabases.Target> which) {
        open(which);
        // The event row is written, then listing its destinations fails: nothing may stay behind.
        Outbox broken = new Outbox(new EventEnvelopes(io.wagateway.socket.EventPayloads::of), e -> {
            throw new IllegalStateException("subscriptions unavailable");
        }, new BatchedStatements(db::statement), Clock.systemUTC());
        QrCodeUpdated qr = new QrCodeUpdated("sess-1", "u1", "qr-text", 1, Instant.now().plusSeconds(60), Instant.now());
        assertThrows(IllegalStateException.class, () -> new SessionStore(db.client(), broken).recordEvent(qr));
        assertEquals(List.of(), store.events(0, Long.MAX_VALUE, "", "", 10), "no event without its deliveries");

        new SessionStore(db.client(), outbox).recordEvent(qr);
        assertEquals(1, store.events(0, Long.MAX_VALUE, "", "", 10).size());
    }
}
