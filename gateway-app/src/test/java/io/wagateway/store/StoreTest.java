package io.wagateway.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbExecute;
import io.wagateway.api.CredentialStore;
import io.wagateway.api.MessageStatus;
import io.wagateway.api.SessionStatus;
import io.wagateway.api.StatusReason;
import io.wagateway.auth.Role;
import io.wagateway.auth.User;
import io.wagateway.auth.UserStore;
import io.wagateway.session.CredentialRepository;
import io.wagateway.session.InboundMessageStore;
import io.wagateway.session.Message;
import io.wagateway.session.MessageStore;
import io.wagateway.session.ReceivedMessage;
import io.wagateway.session.Session;
import io.wagateway.session.SessionStore;
import io.wagateway.testing.OnBothDatabases;
import io.wagateway.testing.TestDatabases;
import io.wagateway.testing.TestGateway;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The store's behaviour, the same on the embedded database and on MariaDB (named in each test's title). */
class StoreTest {

    /** V1__users_and_sessions.sql and V2__credentials_and_messages.sql. */

    private TestDatabases.Target target;
    private Path dataDir;
    private Database db;

    private void open(Supplier<TestDatabases.Target> which) {
        target = which.get();
        dataDir = TestDatabases.tempDir();
        db = Database.open(target.settings(), dataDir);
    }

    @AfterEach
    void closeDatabase() {
        if (db != null) {
            db.close();
        }
        if (target != null) {
            target.close();
        }
        if (dataDir != null) {
            TestGateway.deleteTree(dataDir);
        }
    }

    @OnBothDatabases
    void migrationsAreRecordedAndIdempotent(Supplier<TestDatabases.Target> which) throws Exception {
        open(which);
        assertEquals(0, db.migrations().migrate(), "a migrated schema is left alone");
        // Flyway also writes a marker row without a version when it creates its table.
        try (Connection c = db.dataSource().getConnection();
             ResultSet rs = c.createStatement().executeQuery("SELECT version, type, success FROM "
                     + Migrations.HISTORY_TABLE + " WHERE version IS NOT NULL ORDER BY installed_rank")) {
            // Every script, in order (a version may be missing from this branch: V5 came before V4 was merged).
            List<String> applied = new ArrayList<>();
            while (rs.next()) {
                applied.add(rs.getString("version"));
                assertEquals("SQL", rs.getString("type"));
                assertTrue(rs.getBoolean("success"));
            }
            assertEquals(TestDatabases.migrationVersions().stream().map(String::valueOf).toList(), applied);
            assertFalse(Tables.exists(c, LegacySchemaVersion.TABLE), "no legacy table on a new database");
        }
    }

    @OnBothDatabases
    void usersAreUniqueByName(Supplier<TestDatabases.Target> which) {
        open(which);
        UserStore users = new UserStore(db.client());
        User alice = user("alice");
        assertTrue(users.insert(alice));
        assertFalse(users.insert(user("alice")), "the same name twice is refused");
        assertEquals(alice, users.findByName("alice").orElseThrow());
        assertEquals(alice, users.findById(alice.id()).orElseThrow());
        assertEquals(1, users.count());
        assertTrue(users.findByName("bob").isEmpty());
    }

    @OnBothDatabases
    void sessionsKeepStatusAndAreListedPerUser(Supplier<TestDatabases.Target> which) {
        open(which);
        UserStore users = new UserStore(db.client());
        SessionStore sessions = new SessionStore(db.client());
        User alice = user("alice");
        User bob = user("bob");
        users.insert(alice);
        users.insert(bob);
        Session a1 = session(alice, "a1");
        Session b1 = session(bob, "b1");
        sessions.insert(a1);
        sessions.insert(b1);
        assertEquals(List.of(a1), sessions.listOfUser(alice.id()));
        assertEquals(2, sessions.listAll().size());

        Instant later = a1.updatedAt().plusSeconds(5);
        Session connected = a1.withStatus(SessionStatus.CONNECTED, null, "+6281234567890", "Ünïcode 名前 😀", later);
        sessions.updateStatus(connected);
        assertEquals(connected, sessions.find(a1.sessionId()).orElseThrow());
        assertEquals(List.of(connected), sessions.listByStatus(SessionStatus.CONNECTED));

        Session stopped = connected.withStatus(SessionStatus.DISCONNECTED, StatusReason.STOPPED, null, null, later);
        sessions.updateStatus(stopped);
        assertEquals(StatusReason.STOPPED, sessions.find(a1.sessionId()).orElseThrow().reason());
    }

    @OnBothDatabases
    void credentialsArePerSessionAndReplaceable(Supplier<TestDatabases.Target> which) {
        open(which);
        CredentialRepository repo = new CredentialRepository(db.client());
        CredentialStore one = repo.forSession("s-1");
        CredentialStore two = repo.forSession("s-2");
        byte[] big = new byte[200_000];
        new java.util.Random(7).nextBytes(big);
        one.put("creds", "v1".getBytes());
        one.put("creds", "v2".getBytes());
        one.put("keys/pre-key-1", big);
        two.put("creds", "other".getBytes());
        assertArrayEquals("v2".getBytes(), one.get("creds").orElseThrow());
        assertArrayEquals(big, one.get("keys/pre-key-1").orElseThrow());
        assertEquals(Set.of("creds", "keys/pre-key-1"), one.keys());
        one.remove("creds");
        assertTrue(one.get("creds").isEmpty());
        one.clear();
        assertTrue(one.keys().isEmpty());
        assertArrayEquals("other".getBytes(), two.get("creds").orElseThrow(), "another session's entries stay");
        assertThrows(IllegalArgumentException.class, () -> one.put("", new byte[1]));
    }

    @OnBothDatabases
    void credentialsNobodyReadsAreRemovedAndNoOthers(Supplier<TestDatabases.Target> which) {
        open(which);
        Session kept = storedSession("kept");
        Session relinked = storedSession("relinked");
        CredentialRepository repo = new CredentialRepository(db.client());
        repo.forSession(kept.sessionId()).put("creds", new byte[] {1});
        CredentialStore lastLink = repo.forSession(relinked.sessionId());
        lastLink.put("keys/pre-key-1", new byte[] {4});
        repo.wipe(relinked.sessionId());
        assertTrue(repo.forSession(relinked.sessionId()).keys().isEmpty(), "wiped");
        lastLink.put("creds", new byte[] {5}); // the last link's write that lands after the wipe
        repo.forSession(relinked.sessionId()).put("creds", new byte[] {6});
        assertArrayEquals(new byte[] {6}, repo.forSession(relinked.sessionId()).get("creds").orElseThrow(),
                "the new link reads its own entry; the late one is beside it");
        repo.forSession("gone").put("creds", new byte[] {2});
        repo.forSession("gone").put("keys/pre-key-1", new byte[] {3});
        assertEquals(3, repo.deleteStale());
        assertTrue(repo.forSession("gone").keys().isEmpty());
        assertTrue(lastLink.keys().isEmpty(), "the late write of an earlier link is gone");
        assertEquals(Set.of("creds"), repo.forSession(kept.sessionId()).keys());
        assertEquals(Set.of("creds"), repo.forSession(relinked.sessionId()).keys());
        assertEquals(0, repo.deleteStale());
    }

    @OnBothDatabases
    void messagesKeepHistoryAndIdempotencyKeys(Supplier<TestDatabases.Target> which) {
        open(which);
        MessageStore messages = new MessageStore(db.client());
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Message m = new Message(UUID.randomUUID().toString(), "s-1", "+6281234567890", "halo 👋", MessageStatus.PENDING,
                null, "key-1", t0, t0, null, List.of());
        messages.insert(m);
        messages.updateStatus(m.messageId(), MessageStatus.SENT, null, t0.plusMillis(5), null, null);
        messages.updateStatus(m.messageId(), MessageStatus.DELIVERED, null, t0.plusMillis(9), t0.plusMillis(9), null);
        Message stored = messages.find("s-1", m.messageId()).orElseThrow();
        assertEquals(MessageStatus.DELIVERED, stored.status());
        assertEquals(t0.plusMillis(9), stored.deliveredAt());
        assertEquals("halo 👋", stored.text());
        assertEquals(List.of(MessageStatus.PENDING, MessageStatus.SENT, MessageStatus.DELIVERED),
                stored.history().stream().map(Message.StatusChange::status).toList());
        assertEquals(m.messageId(), messages.findByIdempotencyKey("s-1", "key-1").orElseThrow().messageId());
        assertTrue(messages.findByIdempotencyKey("s-2", "key-1").isEmpty(), "keys are per session");
        Message duplicate = new Message(UUID.randomUUID().toString(), "s-1", "+62", "x", MessageStatus.PENDING,
                null, "key-1", t0, t0, null, List.of());
        assertThrows(RuntimeException.class, () -> messages.insert(duplicate), "a key is used once per session");
        assertTrue(messages.find("s-1", duplicate.messageId()).isEmpty(), "the refused insert left nothing behind");
        assertEquals(1, messages.list("s-1", 10).size());
    }

    @OnBothDatabases
    void keysFromOutsideMatchByteForByte(Supplier<TestDatabases.Target> which) {
        open(which);
        // MariaDB's default collation ignores case and trailing spaces (V11).
        MessageStore messages = new MessageStore(db.client());
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        List<String> keys = List.of("Order-7f3a", "ORDER-7F3A", "Order-7f3a ");
        for (String key : keys) {
            messages.insert(new Message(UUID.randomUUID().toString(), "s-1", "+62811", key, MessageStatus.PENDING,
                    null, key, t0, t0, null, List.of()));
        }
        for (String key : keys) {
            assertEquals(key, messages.findByIdempotencyKey("s-1", key).orElseThrow().text(), "the send of '" + key + "'");
        }
        assertTrue(messages.findByIdempotencyKey("s-1", "order-7f3a").isEmpty());

        InboundMessageStore inbound = new InboundMessageStore(db.client());
        for (String id : List.of("3EB0C4", "3eb0c4")) {
            assertTrue(inbound.insert(new ReceivedMessage("s-1", id, "+62822", null, "62822@s.whatsapp.net", id, "text",
                    t0, t0), null).join(), "a new message: " + id);
        }
        assertEquals(2, inbound.list("s-1", 10).size());

        CredentialStore credentials = new CredentialRepository(db.client()).forSession("s-1");
        credentials.put("keys/app-state-sync-key-AAAAAMtH", new byte[] {1});
        credentials.put("keys/app-state-sync-key-AAAAAMTH", new byte[] {2});
        assertArrayEquals(new byte[] {1}, credentials.get("keys/app-state-sync-key-AAAAAMtH").orElseThrow());
        assertArrayEquals(new byte[] {2}, credentials.get("keys/app-state-sync-key-AAAAAMTH").orElseThrow());
        assertEquals(2, credentials.keys().size());
    }

    @OnBothDatabases
    void aListReadsEveryHistoryInOneQuery(Supplier<TestDatabases.Target> which) {
        open(which);
        AtomicInteger statements = new AtomicInteger();
        MessageStore messages = new MessageStore(counting(db.client(), statements));
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        List<Message> sent = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Instant at = t0.plusSeconds(i);
            Message m = new Message(UUID.randomUUID().toString(), "s-1", "+62811", "m" + i, MessageStatus.PENDING,
                    null, null, at, at, null, List.of());
            messages.insert(m);
            sent.add(m);
        }
        // Message 2: SENT and DELIVERED in the same millisecond; by name DELIVERED sorts first.
        Instant same = t0.plusSeconds(2).plusMillis(7);
        messages.updateStatus(sent.get(2).messageId(), MessageStatus.SENT, null, same, null, null);
        messages.updateStatus(sent.get(2).messageId(), MessageStatus.DELIVERED, null, same, same, null);
        messages.updateStatus(sent.get(1).messageId(), MessageStatus.FAILED, "no such number", t0.plusSeconds(9), null, null);
        messages.insert(new Message(UUID.randomUUID().toString(), "s-2", "+62811", "other", MessageStatus.PENDING,
                null, null, t0.plusSeconds(20), t0.plusSeconds(20), null, List.of()));

        statements.set(0);
        List<Message> page = messages.list("s-1", 3);
        assertEquals(1, statements.get(), "one query for the page and its histories");
        assertEquals(List.of("m3", "m2", "m1"), page.stream().map(Message::text).toList(), "newest first, limit per message");
        assertEquals(List.of(MessageStatus.PENDING), statuses(page.get(0)));
        assertEquals(List.of(MessageStatus.PENDING, MessageStatus.SENT, MessageStatus.DELIVERED), statuses(page.get(1)));
        assertEquals(List.of(MessageStatus.PENDING, MessageStatus.FAILED), statuses(page.get(2)));
        assertEquals("no such number", page.get(2).history().get(1).error());
        for (Message m : page) {
            assertEquals(messages.find("s-1", m.messageId()).orElseThrow(), m, "a list shows what find shows");
        }
        assertTrue(messages.list("s-3", 10).isEmpty());
    }

    private static List<MessageStatus> statuses(Message m) {
        return m.history().stream().map(Message.StatusChange::status).toList();
    }

    /** The client with every statement run through {@code execute()} counted. */
    private static DbClient counting(DbClient client, AtomicInteger statements) {
        return proxy(DbClient.class, client, (method, result) -> method.getName().equals("execute")
                ? proxy(DbExecute.class, result, (m, r) -> {
                    statements.incrementAndGet();
                    return r;
                })
                : result);
    }

    private static <T> T proxy(Class<T> type, Object target, BiFunction<Method, Object, Object> after) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (p, method, args) -> {
            try {
                return after.apply(method, method.invoke(target, args));
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }));
    }

    @OnBothDatabases
    void deletingASessionRemovesItsCredentialsAndMessages(Supplier<TestDatabases.Target> which) {
        open(which);
        SessionStore sessions = new SessionStore(db.client());
        MessageStore messages = new MessageStore(db.client());
        Session s = storedSession("doomed");
        new CredentialRepository(db.client()).forSession(s.sessionId()).put("creds", new byte[] {1});
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        messages.insert(new Message(UUID.randomUUID().toString(), s.sessionId(), "+62811", "x", MessageStatus.PENDING,
                null, null, t0, t0, null, List.of()));
        InboundMessageStore inbound = new InboundMessageStore(db.client());
        inbound.insert(new ReceivedMessage(s.sessionId(), "3EB0", "+62822", null, "62822@s.whatsapp.net", "hi", "text",
                t0, t0), null);
        assertTrue(sessions.delete(s.sessionId()));
        sessions.purgeDeleted(s.sessionId());
        assertTrue(sessions.find(s.sessionId()).isEmpty());
        assertTrue(inbound.list(s.sessionId(), 10).isEmpty(), "inbound messages go with the session");
        assertTrue(new CredentialRepository(db.client()).forSession(s.sessionId()).keys().isEmpty());
        assertTrue(messages.list(s.sessionId(), 10).isEmpty());
        assertFalse(sessions.delete(s.sessionId()), "a second delete finds nothing");
    }

    @OnBothDatabases
    void noIndexOfTheOutboxLeadsWithTheSession(Supplier<TestDatabases.Target> which) throws Exception {
        open(which);
        // Every event goes to the outbox: an index led by session_id has one insertion point per busy
        // session, and on H2 each commit rewrites every leaf it touched (V9 dropped the last one).
        List<String> leading = indexColumns("outbox_events").stream().filter(c -> c.position() == 1)
                .map(IndexColumn::column).toList();
        assertFalse(leading.isEmpty(), "the outbox's indexes were found");
        assertFalse(leading.contains("session_id"), "first columns of the outbox's indexes: " + leading);
    }

    @OnBothDatabases
    void noIndexOfTheMessagesCoversTheIdempotencyKey(Supplier<TestDatabases.Target> which) throws Exception {
        open(which);
        // Most sends have no key: their uniqueness is kept in a table of its own (V10), so the
        // messages' index writes on every send and status change leave it out.
        List<IndexColumn> indexed = indexColumns("messages");
        assertFalse(indexed.isEmpty(), "the messages' indexes were found");
        assertTrue(indexed.stream().noneMatch(c -> c.column().equals("idempotency_key")),
                "columns of the messages' indexes: " + indexed);
    }

    /** A column of one of a table's indexes, as the JDBC driver lists it (names in lower case). */
    private record IndexColumn(String index, String column, int position) {
    }

    private List<IndexColumn> indexColumns(String table) throws SQLException {
        List<IndexColumn> columns = new ArrayList<>();
        try (Connection c = db.dataSource().getConnection();
             ResultSet rs = c.getMetaData().getIndexInfo(c.getCatalog(), null, table, false, false)) {
            while (rs.next()) {
                columns.add(new IndexColumn(rs.getString("INDEX_NAME").toLowerCase(Locale.ROOT),
                        rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT), rs.getShort("ORDINAL_POSITION")));
            }
        }
        return columns;
    }

    @Test
    void theEmbeddedDatabaseKeepsTheParsedStatementsOfABatch() throws Exception {
        open(TestDatabases::embedded);
        try (var c = db.dataSource().getConnection(); var s = c.createStatement();
             var rs = s.executeQuery("SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'QUERY_CACHE_SIZE'")) {
            assertTrue(rs.next());
            assertEquals("64", rs.getString(1), "H2's default of 8 is fewer than the statements of one group commit");
        }
    }

    private static User user(String name) {
        return new User(UUID.randomUUID().toString(), name, "pbkdf2-sha256$210000$x$y", Role.USER,
                Instant.now().truncatedTo(ChronoUnit.MILLIS));
    }

    /** A session of a new user, both stored. */
    private Session storedSession(String name) {
        User owner = user("owner-of-" + name);
        new UserStore(db.client()).insert(owner);
        Session session = session(owner, name);
        new SessionStore(db.client()).insert(session);
        return session;
    }

    private static Session session(User owner, String name) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        return new Session(owner.id() + "-" + name + "-" + now.toEpochMilli(), name, owner.id(), "simulator",
                SessionStatus.DISCONNECTED, null, null, null, now, now);
    }
}
