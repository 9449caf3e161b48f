package io.wagateway.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.helidon.dbclient.DbClient;
import io.wagateway.api.CredentialStore;
import io.wagateway.testing.OnBothDatabases;
import io.wagateway.testing.Await;
import io.wagateway.testing.DatabasePerTest;
import io.wagateway.testing.TestDatabases;
import io.wagateway.testing.TestSessions;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An engine's credential writes against a logout's or delete's wipe ("close, then clear"), on the
 * real credential store: a write already past its check when the wipe comes lands before the wipe,
 * never after it, and no write starts after the close; one that outlasts the close's bounded wait
 * lands in its own link's epoch, beside the next link's entries, and removes itself.
 */
class GuardedCredentialsTest {

    @RegisterExtension
    final DatabasePerTest database = new DatabasePerTest();

    @OnBothDatabases
    void aWipeWaitsForAWriteAlreadyPastItsCheckAndNoWriteStartsAfterIt(Supplier<TestDatabases.Target> which)
            throws Exception {
        DbClient db = database.on(which.get()).client();
        String session = TestSessions.stored(db, "s");
        CredentialRepository repo = new CredentialRepository(db);
        long firstLink = repo.epoch(session);
        CredentialsGate gate = new CredentialsGate(session, Duration.ofSeconds(30));
        HeldPut held = new HeldPut(repo.forSession(session));
        GuardedCredentials engine = new GuardedCredentials(held, gate, gate.pass(), () -> true);

        CompletableFuture<Void> write = CompletableFuture.runAsync(() -> engine.put("creds", new byte[] {1}));
        assertTrue(held.writing.await(30, TimeUnit.SECONDS), "the write got past its check");
        // The actor's logout: close, then wipe.
        CompletableFuture<Boolean> wiped = new CompletableFuture<>();
        Thread logout = Thread.ofPlatform().start(() -> {
            boolean waited = gate.close();
            repo.wipe(session);
            wiped.complete(waited);
        });
        Await.until("the logout waits for the write (or, unguarded, has wiped already)",
                () -> wiped.isDone() || logout.getState() == Thread.State.TIMED_WAITING, logout::getState);
        held.release.countDown();
        write.get(30, TimeUnit.SECONDS);
        assertTrue(wiped.get(30, TimeUnit.SECONDS), "the close saw the write end");

        assertEquals(Set.of(), repo.forEpoch(session, firstLink).keys(), "the write landed before the wipe, not after it");
        engine.put("creds", new byte[] {2});
        engine.clear();
        assertEquals(Set.of(), repo.forEpoch(session, firstLink).keys(), "nothing written after the close");
        GuardedCredentials next = new GuardedCredentials(repo.forSession(session), gate, gate.pass(), () -> true);
        next.put("creds", new byte[] {3});
        assertEquals(Set.of("creds"), repo.forSession(session).keys(), "an engine session opened after it writes");
    }

    @OnBothDatabases
    void aWriteThatOutlastsTheBoundNeverOverwritesTheNextLinkAndTakesItselfBack(Supplier<TestDatabases.Target> which)
            throws Exception {
        DbClient db = database.on(which.get()).client();
        CredentialRepository repo = new CredentialRepository(db);
        StuckWrite stuck = writeStuckPastAClose(db, repo);
        try {
            repo.wipe(stuck.session());
            // The account is linked again before the stuck write ends.
            GuardedCredentials next = new GuardedCredentials(repo.forSession(stuck.session()), stuck.gate(),
                    stuck.gate().pass(), () -> true);
            next.put("creds", new byte[] {3});
        } finally {
            stuck.held().release.countDown();
        }
        stuck.write().get(30, TimeUnit.SECONDS);
        assertArrayEquals(new byte[] {3}, repo.forSession(stuck.session()).get("creds").orElseThrow(),
                "the late write landed beside the new link's entry, not over it");
        assertEquals(Set.of(), repo.forEpoch(stuck.session(), stuck.link()).keys(), "and took itself back once it landed");
        assertEquals(0, repo.deleteStale(), "nothing left for the next start to remove");
    }

    @OnBothDatabases
    void aWriteThatOutlastsADeletesBoundLeavesNothingBehind(Supplier<TestDatabases.Target> which) throws Exception {
        DbClient db = database.on(which.get()).client();
        CredentialRepository repo = new CredentialRepository(db);
        StuckWrite stuck = writeStuckPastAClose(db, repo);
        try {
            assertTrue(new SessionStore(db).delete(stuck.session()));
        } finally {
            stuck.held().release.countDown();
        }
        stuck.write().get(30, TimeUnit.SECONDS);
        assertEquals(Set.of(), repo.forEpoch(stuck.session(), stuck.link()).keys(),
                "the late write took itself back once it landed");
        assertEquals(0, repo.deleteStale(), "nothing left behind the deleted session");
    }

    /** An engine session's write of {@code creds}, held past its check while its session's gate closed without it. */
    private record StuckWrite(String session, long link, CredentialsGate gate, HeldPut held, CompletableFuture<Void> write) {
    }

    private static StuckWrite writeStuckPastAClose(DbClient db, CredentialRepository repo) throws InterruptedException {
        String session = TestSessions.stored(db, "s");
        long link = repo.epoch(session);
        CredentialsGate gate = new CredentialsGate(session, Duration.ofMillis(200));
        HeldPut held = new HeldPut(repo.forSession(session));
        GuardedCredentials engine = new GuardedCredentials(held, gate, gate.pass(), () -> true);
        CompletableFuture<Void> write = CompletableFuture.runAsync(() -> engine.put("creds", new byte[] {1}));
        assertTrue(held.writing.await(30, TimeUnit.SECONDS), "the write got past its check");
        // An engine thread stuck in a write must not hold a logout or a delete for good.
        assertFalse(gate.close(), "gave up while the write is still held");
        assertFalse(write.isDone());
        return new StuckWrite(session, link, gate, held, write);
    }

    /** The real store, its {@code put} held after the guard's check and before the database write. */
    private static final class HeldPut implements CredentialStore {
        final CountDownLatch writing = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        private final CredentialStore store;

        HeldPut(CredentialStore store) {
            this.store = store;
        }

        @Override
        public Optional<byte[]> get(String key) {
            return store.get(key);
        }

        @Override
        public void put(String key, byte[] value) {
            writing.countDown();
            try {
                assertTrue(release.await(30, TimeUnit.SECONDS), "released");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            store.put(key, value);
        }

        @Override
        public void remove(String key) {
            store.remove(key);
        }

        @Override
        public Set<String> keys() {
            return store.keys();
        }

        @Override
        public void clear() {
            store.clear();
        }
    }
}
