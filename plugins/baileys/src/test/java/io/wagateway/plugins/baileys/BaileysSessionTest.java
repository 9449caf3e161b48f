package io.wagateway.plugins.baileys;

import static io.wagateway.plugins.baileys.StubHarness.line;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wagateway.api.ActionException;
import io.wagateway.api.ActionException.Kind;
import io.wagateway.api.InboundMessage;
import io.wagateway.api.MessageStatus;
import io.wagateway.api.OutgoingMessage;
import io.wagateway.api.PluginException;
import io.wagateway.api.StatusReason;
import io.wagateway.testkit.EngineFact.Connected;
import io.wagateway.testkit.EngineFact.Disconnected;
import io.wagateway.testkit.EngineFact.Failed;
import io.wagateway.testkit.EngineFact.Qr;
import io.wagateway.testkit.EngineFact.Received;
import io.wagateway.testkit.EngineFact.Status;
import io.wagateway.testkit.RecordingEngineContext;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A baileys session against the stub worker: each worker event's mapping onto the host's context. */
class BaileysSessionTest {

    static final String SID = StubHarness.SID;
    static final String PHONE = "+6281234567890";
    /** Stub creds of a linked account: the stub opens at once with them. */
    static final String LINKED_CREDS = "{\"me\":{\"id\":\"6281234567890:3@s.whatsapp.net\",\"lid\":\"99887766554433:3@lid\",\"name\":\"Budi\"}}";
    static final Duration QUIET = Duration.ofMillis(300);

    private final StubHarness stub = new StubHarness();

    @AfterEach
    void close() {
        stub.close();
    }

    private RecordingEngineContext linked() {
        BaileysCredentials.saveCreds(stub.store, LINKED_CREDS);
        RecordingEngineContext ctx = stub.context(SID);
        stub.open(ctx).start();
        assertEquals(new Connected(PHONE, "Budi", null).phoneNumber(), ctx.next(Connected.class).phoneNumber());
        return ctx;
    }

    // ---- linking ----

    @Test
    void qrCodesArePassedRawWithAttemptAndExpiry() {
        RecordingEngineContext ctx = stub.context(SID);
        stub.open(ctx).start();

        Qr first = ctx.next(Qr.class);
        assertEquals("2@stub-" + SID + "-1,noise,identity,adv", first.code());
        assertEquals(1, first.attempt());
        assertTrue(first.expiresAt().isAfter(Instant.now().plusSeconds(50)), "first QR lives ~60 s: " + first.expiresAt());

        String raw = "2@ref/with+odd=chars,\\\"quoted\\\",ü";
        stub.emit(line("type", "qr", "sessionId", SID, "qr", raw, "attempt", 2, "expiresAt", 1_764_614_420_000L));
        Qr second = ctx.next(Qr.class);
        assertEquals(raw, second.code(), "the QR string must reach the host untouched");
        assertEquals(2, second.attempt());
        assertEquals(Instant.ofEpochMilli(1_764_614_420_000L), second.expiresAt());
    }

    @Test
    void openReportsThePhoneNumberAndName() {
        RecordingEngineContext ctx = stub.context(SID);
        stub.open(ctx).start();
        ctx.next(Qr.class);

        stub.emit(line("type", "connection", "sessionId", SID, "state", "open", "phoneNumber", PHONE, "displayName", "Budi Santoso"));
        Connected connected = ctx.next(Connected.class);
        assertEquals(PHONE, connected.phoneNumber());
        assertEquals("Budi Santoso", connected.displayName());
    }

    @Test
    void theRestartAfterAScanIsNoFlap() {
        RecordingEngineContext ctx = stub.context(SID);
        stub.open(ctx).start();
        ctx.next(Qr.class);

        // What the worker says around a 515: it reconnects by itself, and only the open is news.
        stub.emit(line("type", "creds", "sessionId", SID, "creds", LINKED_CREDS),
                line("type", "log", "sessionId", SID, "level", "info", "msg", "restart required (515): reconnecting"),
                line("type", "connection", "sessionId", SID, "state", "connecting"),
                line("type", "connection", "sessionId", SID, "state", "open", "phoneNumber", PHONE, "displayName", "Budi"));
        assertEquals(PHONE, ctx.next(Connected.class).phoneNumber());
        ctx.assertNoFactWithin(QUIET);
        assertEquals(LINKED_CREDS, stub.store.texts().get(BaileysCredentials.CREDS), "stored before the open was reported");
    }

    @Test
    void openWithoutAPhoneNumberFailsInsteadOfReportingALid() {
        RecordingEngineContext ctx = stub.context(SID);
        stub.open(ctx).start();
        ctx.next(Qr.class);

        stub.emit(line("type", "connection", "sessionId", SID, "state", "open", "phoneNumber", "99887766554433@lid"));
        Failed failed = ctx.next(Failed.class);
        assertTrue(failed.message().contains("phone number"), failed.message());
    }

    @Test
    void startWithStoredCredentialsConnectsWithoutAQr() {
        RecordingEngineContext ctx = linked();
        assertEquals(LINKED_CREDS, stub.startedWith(SID).get("creds"));
        ctx.assertNoFactWithin(QUIET);
    }

    // ---- disconnects ----

    @Test
    void loggedOutFromThePhoneClearsTheCredentials() {
        RecordingEngineContext ctx = linked();
        stub.emit(line("type", "keys", "sessionId", SID, "set", List.of(Map.of("t", "session", "id", "1.0", "data", "\"s\""))));
        stub.store.await(s -> s.containsKey("key/session/1.0"), "a session key");

        stub.emit(line("type", "connection", "sessionId", SID, "state", "close", "statusCode", 401, "reason", "LOGGED_OUT"));
        assertEquals(StatusReason.LOGGED_OUT, ctx.next(Disconnected.class).reason());
        assertEquals(Map.of(), stub.store.texts(), "every credential and key is gone");
    }

    @Test
    void qrTimeoutIsReported() {
        RecordingEngineContext ctx = stub.context(SID);
        stub.open(ctx).start();
        ctx.next(Qr.class);
        stub.emit(line("type", "connection", "sessionId", SID, "state", "close", "statusCode", 408, "reason", "QR_TIMEOUT"));
        assertEquals(StatusReason.QR_TIMEOUT, ctx.next(Disconnected.class).reason());
    }

    @Test
    void otherClosesAreConnectionLostAndKeepTheCredentials() {
        RecordingEngineContext ctx = linked();
        stub.emit(line("type", "connection", "sessionId", SID, "state", "close", "statusCode", 408, "reason", "CONNECTION_LOST",
                "error", "getaddrinfo ENOTFOUND web.whatsapp.com"));
        assertEquals(StatusReason.CONNECTION_LOST, ctx.next(Disconnected.class).reason());
        assertEquals(LINKED_CREDS, stub.store.texts().get(BaileysCredentials.CREDS));
    }

    @Test
    void replacedIsNotConnectionLostSoTheHostDoesNotFightTheOtherClient() {
        RecordingEngineContext ctx = linked();
        stub.emit(line("type", "connection", "sessionId", SID, "state", "close", "statusCode", 440, "reason", "REPLACED"));
        // REPLACED: the host keeps the credentials and schedules no reconnect.
        assertEquals(StatusReason.REPLACED, ctx.next(Disconnected.class).reason());
        assertEquals(LINKED_CREDS, stub.store.texts().get(BaileysCredentials.CREDS));
    }

    @Test
    void workerReasonsMapToStatusReasons() {
        assertEquals(StatusReason.LOGGED_OUT, SessionEvents.reasonFor("LOGGED_OUT"));
        assertEquals(StatusReason.QR_TIMEOUT, SessionEvents.reasonFor("QR_TIMEOUT"));
        assertEquals(StatusReason.CONNECTION_LOST, SessionEvents.reasonFor("CONNECTION_LOST"));
        assertEquals(StatusReason.REPLACED, SessionEvents.reasonFor("REPLACED"));
        assertEquals(StatusReason.CONNECTION_LOST, SessionEvents.reasonFor("SOMETHING_NEW"));
        assertEquals(StatusReason.CONNECTION_LOST, SessionEvents.reasonFor(null));
    }

    @Test
    void nothingIsReportedAfterStop() {
        RecordingEngineContext ctx = stub.context(SID);
        BaileysSession session = stub.open(ctx);
        session.start();
        ctx.next(Qr.class);
        Worker worker = stub.worker();
        stub.open(stub.context("other-session")).start(); // keeps the worker running
        session.stop();

        worker.writeRaw(line("type", "stub-emit", "lines", List.of(
                line("type", "qr", "sessionId", SID, "qr", "late", "attempt", 2, "expiresAt", 1L))));
        ctx.assertNoFactWithin(QUIET);
    }

    // ---- credentials ----

    @Test
    void credsAndEveryKeyFamilyAreStoredAndRestoredOnTheNextStart() {
        RecordingEngineContext ctx = stub.context(SID);
        BaileysSession session = stub.open(ctx);
        session.start();
        ctx.next(Qr.class);

        String longId = "120363025246125888@g.us::" + "9".repeat(200) + "@lid::0";
        List<String> families = List.of("pre-key", "session", "sender-key", "app-state-sync-key", "app-state-sync-version",
                "sender-key-memory", "lid-mapping", "device-list", "tctoken");
        List<Map<String, Object>> set = new java.util.ArrayList<>();
        for (String family : families) {
            set.add(Map.of("t", family, "id", "id-" + family, "data", "{\"family\":\"" + family + "\"}"));
        }
        set.add(Map.of("t", "sender-key", "id", longId, "data", "\"long\""));
        stub.emit(line("type", "creds", "sessionId", SID, "creds", LINKED_CREDS),
                line("type", "keys", "sessionId", SID, "set", set));
        Map<String, String> stored = stub.store.await(s -> s.keySet().stream().filter(k -> k.startsWith("key/")).count() == 10,
                "ten keys");
        assertEquals(LINKED_CREDS, stored.get("creds"));
        assertEquals(BaileysCredentials.FORMAT_VERSION, stored.get("format"));
        assertTrue(stored.containsKey("key/pre-key/id-pre-key"), stored.keySet().toString());
        assertTrue(stored.keySet().stream().allMatch(k -> k.length() <= 200), stored.keySet().toString());

        // One batch removes one key and changes another.
        stub.emit(line("type", "keys", "sessionId", SID, "set", List.of(
                Map.of("t", "pre-key", "id", "id-pre-key"),
                Map.of("t", "session", "id", "id-session", "data", "\"changed\""))));
        stub.store.await(s -> !s.containsKey("key/pre-key/id-pre-key") && s.get("key/session/id-session").contains("changed"),
                "the second batch applied");
        session.stop();

        // A new start (as after a gateway restart) hands everything to the worker.
        RecordingEngineContext again = stub.context(SID);
        stub.open(again).start();
        assertEquals(PHONE, again.next(Connected.class).phoneNumber());
        Map<String, Object> startedWith = stub.startedWith(SID);
        assertEquals(LINKED_CREDS, startedWith.get("creds"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> keys = (List<Map<String, Object>>) startedWith.get("keys");
        assertEquals(9, keys.size(), keys.toString());
        assertTrue(keys.contains(Map.of("t", "sender-key", "id", longId, "data", "\"long\"")), "the hashed name keeps its id");
        assertTrue(keys.contains(Map.of("t", "session", "id", "id-session", "data", "\"changed\"")));
        assertTrue(keys.contains(Map.of("t", "tctoken", "id", "id-tctoken", "data", "{\"family\":\"tctoken\"}")));
        assertFalse(keys.stream().anyMatch(k -> k.get("t").equals("pre-key")));
    }

    @Test
    void aCredentialWriteTheHostCannotStoreFailsTheSession() {
        io.wagateway.api.CredentialStore down = new io.wagateway.api.CredentialStore() {
            @Override
            public Optional<byte[]> get(String key) {
                return Optional.empty();
            }

            @Override
            public void put(String key, byte[] value) {
                throw new IllegalStateException("database down");
            }

            @Override
            public void remove(String key) {
                throw new IllegalStateException("database down");
            }

            @Override
            public java.util.Set<String> keys() {
                return java.util.Set.of();
            }

            @Override
            public void clear() {
            }
        };
        RecordingEngineContext ctx = new RecordingEngineContext(SID, io.wagateway.api.PluginConfig.of(Map.of()), down);
        BaileysSession session = new BaileysSession(ctx, stub.settings, stub.supervisor);
        try {
            session.start();
            ctx.next(Qr.class);
            stub.emit(line("type", "creds", "sessionId", SID, "creds", LINKED_CREDS));
            Failed failed = ctx.next(Failed.class);
            assertTrue(failed.message().contains("Could not store") && failed.message().contains("database down"), failed.message());
            ctx.assertNoFactWithin(QUIET);
        } finally {
            session.stop();
        }
    }

    @Test
    void logoutDeletesEverythingAndEndsTheSocket() {
        linked();
        BaileysSession session = stub.lastSession();
        stub.open(stub.context("other-session")).start(); // keeps the worker running to ask it
        stub.emit(line("type", "keys", "sessionId", SID, "set", List.of(Map.of("t", "pre-key", "id", "1", "data", "\"k\""))));
        stub.store.await(s -> s.containsKey("key/pre-key/1"), "a key");

        session.logout();
        assertEquals(Map.of(), stub.store.texts());
        assertNull(stub.startedWith(SID), "the worker no longer runs the session");
    }

    // ---- messages ----

    @Test
    void sendIsSentThenReceiptsMoveItForward() {
        RecordingEngineContext ctx = linked();
        BaileysSession session = lastSession();
        session.send(new OutgoingMessage("m-1", "+6289876543210", "halo"));
        Status sent = ctx.next(Status.class);
        assertEquals("m-1", sent.messageId());
        assertEquals(MessageStatus.SENT, sent.status());

        stub.emit(line("type", "message-status", "sessionId", SID, "waMessageId", "WA-m-1", "status", "DELIVERED"),
                line("type", "message-status", "sessionId", SID, "waMessageId", "unknown-id", "status", "READ"),
                line("type", "message-status", "sessionId", SID, "waMessageId", "WA-m-1", "status", "READ"));
        assertEquals(MessageStatus.DELIVERED, ctx.next(Status.class).status());
        Status read = ctx.next(Status.class);
        assertEquals("m-1", read.messageId());
        assertEquals(MessageStatus.READ, read.status());
        ctx.assertNoFactWithin(QUIET);
    }

    @Test
    void aRefusedSendIsFailed() {
        RecordingEngineContext ctx = linked();
        stub.stub("stub-config", "send", "error");
        lastSession().send(new OutgoingMessage("m-2", "+6289876543210", "halo"));
        Status failed = ctx.next(Status.class);
        assertEquals(MessageStatus.FAILED, failed.status());
        assertTrue(failed.error().contains("stub refuses to send"), failed.error());
    }

    @Test
    void aSendTheWorkerNeverAnswersFailsAtItsDeadline() {
        RecordingEngineContext ctx = linked();
        stub.stub("stub-config", "send", "silent");
        Instant before = Instant.now();
        lastSession().send(new OutgoingMessage("m-3", "+6289876543210", "halo"));
        Status failed = ctx.next(Status.class);
        assertEquals(MessageStatus.FAILED, failed.status());
        assertTrue(failed.error().contains("did not answer"), failed.error());
        assertFalse(failed.at().isBefore(before.plus(stub.settings.callTimeout())), "not before the deadline");
    }

    @Test
    void sendRefusedUnlessConnected() {
        RecordingEngineContext ctx = stub.context(SID);
        BaileysSession session = stub.open(ctx);
        session.start();
        ctx.next(Qr.class);
        assertThrows(PluginException.class, () -> session.send(new OutgoingMessage("m", "+6289876543210", "x")));
    }

    @Test
    void incomingMessagesAreHandedToTheHost() {
        RecordingEngineContext ctx = linked();
        stub.emit(line("type", "message-in", "sessionId", SID, "messageId", "3EB0ABC", "from", "+6289876543210",
                "fromPhone", "+6289876543210", "fromLid", "11223344556677@lid", "fromName", "Siti",
                "chatId", "6289876543210@s.whatsapp.net", "text", "halo juga", "messageType", "text",
                "timestamp", "2026-12-01T10:00:00.000Z"),
                line("type", "message-in", "sessionId", SID, "messageId", "broken"),
                line("type", "message-in", "sessionId", SID, "messageId", "3EB0DEF", "from", "11223344556677@lid",
                        "chatId", "11223344556677@lid", "messageType", "sticker", "timestamp", "2026-12-01T10:00:01.000Z"));
        InboundMessage first = ctx.next(Received.class).message();
        assertEquals(new InboundMessage("3EB0ABC", "+6289876543210", "Siti", "6289876543210@s.whatsapp.net",
                "halo juga", "text", Instant.parse("2026-12-01T10:00:00Z")), first);
        InboundMessage second = ctx.next(Received.class).message();
        assertEquals("3EB0DEF", second.messageId(), "the malformed one in between is skipped");
        assertEquals("11223344556677@lid", second.from());
        assertNull(second.text());
        assertNull(second.fromName());
    }

    // ---- pairing code ----

    @Test
    void pairAnswersTheWorkersCodeWhileLinking() {
        RecordingEngineContext ctx = stub.context(SID);
        BaileysSession session = stub.open(ctx);
        session.start();
        ctx.next(Qr.class);

        assertEquals(Map.of("code", "STUB1234"), session.action("pair", Map.of("phoneNumber", PHONE)));
        assertEquals(Kind.INVALID_PARAMS, assertThrows(ActionException.class,
                () -> session.action("pair", Map.of("phoneNumber", "0812"))).kind());
        assertEquals(Kind.INVALID_PARAMS, assertThrows(ActionException.class, () -> session.action("pair", Map.of())).kind());
        assertEquals(Kind.UNKNOWN_ACTION, assertThrows(ActionException.class, () -> session.action("scan", Map.of())).kind());
    }

    @Test
    void pairIsRefusedOnceConnected() {
        linked();
        ActionException e = assertThrows(ActionException.class, () -> lastSession().action("pair", Map.of("phoneNumber", PHONE)));
        assertEquals(Kind.NOT_ALLOWED_NOW, e.kind());
    }

    private BaileysSession lastSession() {
        return stub.lastSession();
    }
}
