package io.wagateway.plugins.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wagateway.api.ActionException;
import io.wagateway.api.ActionException.Kind;
import io.wagateway.api.EngineSession;
import io.wagateway.api.InboundMessage;
import io.wagateway.api.OutgoingMessage;
import io.wagateway.api.PluginConfig;
import io.wagateway.api.PluginException;
import io.wagateway.api.StatusReason;
import io.wagateway.testkit.EngineFact.Connected;
import io.wagateway.testkit.EngineFact.Disconnected;
import io.wagateway.testkit.EngineFact.Failed;
import io.wagateway.testkit.EngineFact.Qr;
import io.wagateway.testkit.EngineFact.Received;
import io.wagateway.testkit.EngineFact.Status;
import io.wagateway.testkit.InMemoryCredentialStore;
import io.wagateway.testkit.RecordingEngineContext;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SimulatorSessionTest {

    private static final String PHONE = "+6281234567890";
    private static final String NAME = "Budi Santoso";
    /** Slack for timers measured against the wall clock. */
    private static final Duration SLACK = Duration.ofMillis(30);
    /** Longer than any configured timer below, so a missing fact would have been reported by then. */
    private static final Duration QUIET = Duration.ofMillis(350);

    private final SimulatorEngine engine = new SimulatorEngine();
    private final InMemoryCredentialStore store = new InMemoryCredentialStore();
    private final List<EngineSession> sessions = new ArrayList<>();

    @AfterEach
    void stopSessions() {
        sessions.forEach(EngineSession::stop);
    }

    // ---- linking ----

    @Test
    void firstQrComesAtOnceAndIsValidForQrFirstTtl() {
        RecordingEngineContext ctx = context(Map.of());
        Instant before = Instant.now();
        EngineSession session = open(ctx);
        session.start();
        Instant after = Instant.now();

        Qr qr = ctx.next(Qr.class);
        assertTrue(QrCodesTest.QR_SHAPE.matcher(qr.code()).matches(), qr.code());
        assertEquals(1, qr.attempt());
        assertFalse(qr.at().isAfter(after), "first QR must be reported by start()");
        assertFalse(qr.expiresAt().isBefore(before.plusMillis(200).minusMillis(1)), qr.expiresAt() + " vs " + before);
        assertFalse(qr.expiresAt().isAfter(after.plusMillis(200)), qr.expiresAt() + " vs " + after);
    }

    @Test
    void qrRotatesOnExpiryThenTimesOut() {
        RecordingEngineContext ctx = context(Map.of());
        EngineSession session = open(ctx);
        session.start();

        Qr first = ctx.next(Qr.class);
        Qr second = ctx.next(Qr.class);
        Qr third = ctx.next(Qr.class);
        Disconnected timeout = ctx.next(Disconnected.class);

        assertEquals(List.of(1, 2, 3), List.of(first.attempt(), second.attempt(), third.attempt()));
        assertEquals(3, List.of(ref(first), ref(second), ref(third)).stream().distinct().count(), "ref changes");
        assertEquals(keys(first), keys(second));
        assertEquals(keys(first), keys(third));
        assertEquals(Duration.ofMillis(100), Duration.between(first.expiresAt(), second.expiresAt()));
        assertEquals(Duration.ofMillis(100), Duration.between(second.expiresAt(), third.expiresAt()));
        // Each QR is replaced when it expires, not before.
        assertFalse(second.at().isBefore(first.expiresAt().minus(SLACK)), second.at() + " vs " + first.expiresAt());
        assertFalse(third.at().isBefore(second.expiresAt().minus(SLACK)));
        assertEquals(StatusReason.QR_TIMEOUT, timeout.reason());
        assertFalse(timeout.at().isBefore(third.expiresAt().minus(SLACK)));
        ctx.assertNoFactWithin(QUIET);
        assertEquals(Kind.NOT_ALLOWED_NOW, actionFails(session, "scan", scanParams()).kind());
        assertTrue(store.keys().isEmpty());
    }

    @Test
    void scanLinksStoresCredentialsAndStopsRotation() {
        RecordingEngineContext ctx = context(Map.of());
        EngineSession session = open(ctx);
        session.start();
        ctx.next(Qr.class);

        Map<String, Object> result = session.action("scan", scanParams());

        assertEquals(Map.of("linked", true, "phoneNumber", PHONE, "displayName", NAME), result);
        Connected connected = ctx.next(Connected.class);
        assertEquals(PHONE, connected.phoneNumber());
        assertEquals(NAME, connected.displayName());
        assertEquals(Optional.of(new SimulatorCredentials(PHONE, NAME)),
                store.get(SimulatorCredentials.KEY).flatMap(SimulatorCredentials::decode));
        ctx.assertNoFactWithin(QUIET); // neither a further QR nor a QR_TIMEOUT
    }

    @Test
    void storedCredentialsReconnectWithoutQr() {
        new SimulatorCredentials(PHONE, NAME).save(store);
        RecordingEngineContext ctx = context(Map.of("connect-delay", "50ms"));
        EngineSession session = open(ctx);
        Instant started = Instant.now();
        session.start();

        Connected connected = ctx.next(Connected.class);
        assertEquals(PHONE, connected.phoneNumber());
        assertEquals(NAME, connected.displayName());
        assertFalse(connected.at().isBefore(started.plusMillis(50).minus(SLACK)), "connect-delay honoured");
        ctx.assertNoFactWithin(QUIET);
    }

    @Test
    void aScannedSessionReconnectsAfterStop() {
        RecordingEngineContext first = context(Map.of());
        EngineSession linking = open(first);
        linking.start();
        first.next(Qr.class);
        linking.action("scan", scanParams());
        first.next(Connected.class);
        linking.stop();

        RecordingEngineContext second = context(Map.of());
        open(second).start();

        Connected again = second.next(Connected.class);
        assertEquals(PHONE, again.phoneNumber());
        assertEquals(NAME, again.displayName());
    }

    @Test
    void unreadableCredentialsLeadToLinking() {
        store.put(SimulatorCredentials.KEY, new byte[] {1, 2, 3});
        RecordingEngineContext ctx = context(Map.of());
        open(ctx).start();

        assertEquals(1, ctx.next(Qr.class).attempt());
    }

    @Test
    void scanRejectsBadParamsNamingTheFieldAndKeepsLinking() {
        RecordingEngineContext ctx = context(Map.of("qr-first-ttl", "5s"));
        EngineSession session = open(ctx);
        session.start();
        ctx.next(Qr.class);

        assertInvalid(session, Map.of("phoneNumber", "081234567890", "displayName", NAME), "phoneNumber");
        assertInvalid(session, Map.of("phoneNumber", "+0812345678", "displayName", NAME), "phoneNumber");
        assertInvalid(session, Map.of("phoneNumber", 6281234567890L, "displayName", NAME), "phoneNumber");
        assertInvalid(session, Map.of("displayName", NAME), "phoneNumber");
        assertInvalid(session, Map.of("phoneNumber", PHONE), "displayName");
        assertInvalid(session, Map.of("phoneNumber", PHONE, "displayName", "   "), "displayName");
        assertInvalid(session, Map.of("phoneNumber", PHONE, "displayName", 42), "displayName");
        assertInvalid(session, Map.of("phoneNumber", PHONE, "displayName", "x".repeat(101)), "displayName");
        assertTrue(store.keys().isEmpty(), "nothing stored by a refused scan");

        String longest = "😀".repeat(100); // 100 characters, 200 UTF-16 units
        session.action("scan", Map.of("phoneNumber", PHONE, "displayName", longest));
        assertEquals(longest, ctx.next(Connected.class).displayName());
    }

    @Test
    void scanIsNotAllowedUnlessAQrIsPending() {
        RecordingEngineContext ctx = context(Map.of());
        EngineSession session = open(ctx);
        assertEquals(Kind.NOT_ALLOWED_NOW, actionFails(session, "scan", scanParams()).kind(), "before start");

        connect(session, ctx);
        ActionException e = actionFails(session, "scan", scanParams());
        assertEquals(Kind.NOT_ALLOWED_NOW, e.kind());
        assertTrue(e.getMessage().contains("connected"), e.getMessage());
    }

    @Test
    void unknownActionsAreRefusedCaseSensitively() {
        RecordingEngineContext ctx = context(Map.of());
        EngineSession session = open(ctx);
        session.start();
        ctx.next(Qr.class);

        assertEquals(Kind.UNKNOWN_ACTION, actionFails(session, "reboot", Map.of()).kind());
        assertEquals(Kind.UNKNOWN_ACTION, actionFails(session, "Scan", scanParams()).kind());
        assertEquals(Kind.UNKNOWN_ACTION, actionFails(session, null, Map.of()).kind());
    }

    // ---- inbound messages ----

    @Test
    void receiveReportsATextMessageFromTheContactsChat() {
        RecordingEngineContext ctx = context(Map.of());
        EngineSession session = open(ctx);
        connect(session, ctx);
        Instant before = Instant.now().truncatedTo(ChronoUnit.MILLIS);

        Map<String, Object> result = session.action("receive", Map.of("from", "+6289876543210", "text", "Halo!",
                "fromName", "  Siti  "));

        InboundMessage m = ctx.next(Received.class).message();
        assertEquals(Map.of("received", true, "messageId", m.messageId(), "chatId", "6289876543210@s.whatsapp.net"),
                result);
        assertTrue(m.messageId().matches("3EB0[0-9A-F]{16}"), m.messageId());
        assertEquals(List.of("+6289876543210", "Siti", "6289876543210@s.whatsapp.net", "Halo!", "text"),
                List.of(m.from(), m.fromName(), m.chatId(), m.text(), m.messageType()));
        assertFalse(m.timestamp().isBefore(before), m.timestamp() + " vs " + before);
        assertFalse(m.timestamp().isAfter(Instant.now()));

        session.action("receive", Map.of("from", "+6289876543210", "text", "again"));
        InboundMessage second = ctx.next(Received.class).message();
        assertNull(second.fromName(), "fromName is optional");
        assertFalse(second.messageId().equals(m.messageId()), "every message has its own id");
    }

    @Test
    void receiveRejectsBadParamsNamingTheField() {
        RecordingEngineContext ctx = context(Map.of());
        EngineSession session = open(ctx);
        connect(session, ctx);

        assertInvalid(session, "receive", Map.of("from", "081234567890", "text", "hi"), "from");
        assertInvalid(session, "receive", Map.of("from", 6281234567890L, "text", "hi"), "from");
        assertInvalid(session, "receive", Map.of("text", "hi"), "from");
        assertInvalid(session, "receive", Map.of("from", PHONE), "text");
        assertInvalid(session, "receive", Map.of("from", PHONE, "text", "  "), "text");
        assertInvalid(session, "receive", Map.of("from", PHONE, "text", 7), "text");
        assertInvalid(session, "receive", Map.of("from", PHONE, "text", "x".repeat(SimulatorSession.MAX_TEXT + 1)), "text");
        assertInvalid(session, "receive", Map.of("from", PHONE, "text", "hi", "fromName", 42), "fromName");
        assertInvalid(session, "receive", Map.of("from", PHONE, "text", "hi", "fromName", "x".repeat(101)), "fromName");
        ctx.assertNoFactWithin(QUIET);
    }

    @Test
    void receiveIsAllowedOnlyWhileConnected() {
        RecordingEngineContext ctx = context(Map.of());
        EngineSession session = open(ctx);
        Map<String, Object> params = Map.of("from", PHONE, "text", "hi");
        assertEquals(Kind.NOT_ALLOWED_NOW, actionFails(session, "receive", params).kind(), "before start");
        session.start();
        ctx.next(Qr.class);
        ActionException linking = actionFails(session, "receive", params);
        assertEquals(Kind.NOT_ALLOWED_NOW, linking.kind(), "while linking");
        assertTrue(linking.getMessage().contains("waiting for a QR code scan"), linking.getMessage());
        session.action("scan", scanParams());
        ctx.next(Connected.class);
        session.action("drop-connection", Map.of());
        ctx.next(Disconnected.class);
        assertEquals(Kind.NOT_ALLOWED_NOW, actionFails(session, "receive", params).kind(), "after the drop");
        session.stop();
        assertEquals(Kind.NOT_ALLOWED_NOW, actionFails(session, "receive", params).kind(), "after stop");
        ctx.assertNoFactWithin(QUIET);
    }

    // ---- phone-side events ----

    @Test
    void phoneLogoutClearsCredentialsAndReportsLoggedOut() {
        RecordingEngineContext ctx = context(Map.of());
        EngineSession session = open(ctx);
        session.start();
        ctx.next(Qr.class);
        assertEquals(Kind.NOT_ALLOWED_NOW, actionFails(session, "phone-logout", Map.of()).kind(), "while linking");
        session.action("scan", scanParams());
        ctx.next(Connected.class);
        store.put("extra", new byte[] {1});

        assertEquals(Map.of("loggedOut", true), session.action("phone-logout", Map.of()));

        assertEquals(StatusReason.LOGGED_OUT, ctx.next(Disconnected.class).reason());
        assertTrue(store.keys().isEmpty(), "credentials cleared: " + store.keys());
        assertEquals(Kind.NOT_ALLOWED_NOW, actionFails(session, "phone-logout", Map.of()).kind(), "twice");
        assertThrows(PluginException.class, () -> session.send(new OutgoingMessage("m1", "+628111111111", "hi")));
        ctx.assertNoFactWithin(QUIET);
    }

    @Test
    void dropConnectionReportsConnectionLostAndKeepsCredentials() {
        RecordingEngineContext ctx = context(Map.of());
        EngineSession session = open(ctx);
        session.start();
        ctx.next(Qr.class);
        assertEquals(Kind.NOT_ALLOWED_NOW, actionFails(session, "drop-connection", Map.of()).kind(), "while linking");
        session.action("scan", scanParams());
        ctx.next(Connected.class);

        assertEquals(Map.of("connectionDropped", true), session.action("drop-connection", Map.of()));

        assertEquals(StatusReason.CONNECTION_LOST, ctx.next(Disconnected.class).reason());
        assertTrue(store.get(SimulatorCredentials.KEY).isPresent());
        ctx.assertNoFactWithin(QUIET);
    }

    @Test
    void crashReportsFailureWithMessageAndKeepsCredentials() {
        RecordingEngineContext ctx = context(Map.of());
        EngineSession session = open(ctx);
        connect(session, ctx);

        Map<String, Object> result = session.action("crash", Map.of("message", "Worker ran out of memory"));

        assertEquals(Map.of("crashed", true, "message", "Worker ran out of memory"), result);
        Failed failed = ctx.next(Failed.class);
        assertEquals("Worker ran out of memory", failed.message());
        assertNull(failed.cause());
        assertTrue(store.get(SimulatorCredentials.KEY).isPresent());
        assertEquals(Kind.NOT_ALLOWED_NOW, actionFails(session, "crash", Map.of()).kind(), "already crashed");
    }

    @Test
    void crashWhileLinkingUsesDefaultMessageAndStopsQrRotation() {
        RecordingEngineContext ctx = context(Map.of());
        EngineSession session = open(ctx);
        session.start();
        ctx.next(Qr.class);
        assertEquals(Kind.INVALID_PARAMS, actionFails(session, "crash", Map.of("message", 7)).kind());

        session.action("crash", Map.of());

        assertEquals("Simulated engine crash", ctx.next(Failed.class).message());
        ctx.assertNoFactWithin(QUIET);
    }

    // ---- messages ----

    @Test
    void acksFollowSentDeliveredReadWithTheirDelays() {
        RecordingEngineContext ctx = context(Map.of("ack-sent-delay", "30ms", "ack-delivered-delay", "40ms", "ack-read-delay", "50ms"));
        EngineSession session = open(ctx);
        connect(session, ctx);

        Instant sentAt = Instant.now();
        session.send(new OutgoingMessage("m1", "+628111111111", "hello"));

        Status sent = ctx.next(Status.class);
        Status delivered = ctx.next(Status.class);
        Status read = ctx.next(Status.class);
        assertEquals(List.of("m1 SENT null", "m1 DELIVERED null", "m1 READ null"),
                List.of(describe(sent), describe(delivered), describe(read)));
        assertFalse(sent.at().isBefore(sentAt.plusMillis(30).minus(SLACK)));
        assertFalse(delivered.at().isBefore(sent.at().plusMillis(40).minus(SLACK)));
        assertFalse(read.at().isBefore(delivered.at().plusMillis(50).minus(SLACK)));
        ctx.assertNoFactWithin(QUIET);
    }

    @Test
    void invalidRecipientFailsLater() {
        RecordingEngineContext ctx = context(Map.of());
        EngineSession session = open(ctx);
        connect(session, ctx);

        session.send(new OutgoingMessage("m2", "not-a-number", "hello"));

        assertEquals("m2 FAILED Recipient is not a valid E.164 phone number", describe(ctx.next(Status.class)));
        ctx.assertNoFactWithin(QUIET);
    }

    @Test
    void failureRateOneFailsEverySend() {
        RecordingEngineContext ctx = context(Map.of("failure-rate", "1.0"));
        EngineSession session = open(ctx);
        connect(session, ctx);

        session.send(new OutgoingMessage("m3", "+628111111111", "hello"));
        session.send(new OutgoingMessage("m4", "+628111111112", "hello"));

        // Acks of different messages have no order between them (both are due at the same time).
        assertEquals(java.util.Set.of("m3 FAILED Simulated delivery failure", "m4 FAILED Simulated delivery failure"),
                java.util.Set.of(describe(ctx.next(Status.class)), describe(ctx.next(Status.class))));
        ctx.assertNoFactWithin(QUIET);
    }

    @Test
    void sendWhileNotConnectedIsRefused() {
        RecordingEngineContext ctx = context(Map.of());
        EngineSession session = open(ctx);
        session.start();
        ctx.next(Qr.class);

        assertThrows(PluginException.class, () -> session.send(new OutgoingMessage("m5", "+628111111111", "hello")));
    }

    // ---- stop, logout, misuse ----

    @Test
    void stopWhileLinkingReportsNothingMore() {
        RecordingEngineContext ctx = context(Map.of());
        EngineSession session = open(ctx);
        session.start();
        ctx.next(Qr.class);

        session.stop();

        ctx.assertNoFactWithin(QUIET); // longer than qr-first-ttl: no rotation, no timeout
    }

    @Test
    void stopCancelsPendingAcksAndKeepsCredentials() {
        RecordingEngineContext ctx = context(Map.of("ack-sent-delay", "150ms"));
        EngineSession session = open(ctx);
        connect(session, ctx);
        session.send(new OutgoingMessage("m6", "+628111111111", "hello"));

        session.stop();

        ctx.assertNoFactWithin(QUIET);
        assertTrue(store.get(SimulatorCredentials.KEY).isPresent());
    }

    @Test
    void logoutClearsCredentialsAndReportsNothingMore() {
        RecordingEngineContext ctx = context(Map.of("ack-sent-delay", "150ms"));
        EngineSession session = open(ctx);
        connect(session, ctx);
        session.send(new OutgoingMessage("m7", "+628111111111", "hello"));

        session.logout();

        assertTrue(store.keys().isEmpty());
        ctx.assertNoFactWithin(QUIET);
    }

    @Test
    void startingTwiceIsRefused() {
        RecordingEngineContext ctx = context(Map.of());
        EngineSession session = open(ctx);
        session.start();

        assertThrows(PluginException.class, session::start);
        assertEquals(1, ctx.next(Qr.class).attempt());
        ctx.assertNoFactWithin(Duration.ofMillis(100)); // the refused start showed no second QR 1
    }

    // ---- helpers ----

    /** Fast timers: QR 200ms then 100ms, three QRs, everything else 20ms; {@code overrides} win. */
    private RecordingEngineContext context(Map<String, String> overrides) {
        Map<String, String> raw = new HashMap<>(Map.of(
                "qr-first-ttl", "200ms", "qr-ttl", "100ms", "qr-max-attempts", "3", "connect-delay", "20ms",
                "ack-sent-delay", "20ms", "ack-delivered-delay", "20ms", "ack-read-delay", "20ms"));
        raw.putAll(overrides);
        return new RecordingEngineContext(PluginConfig.validate(engine.configKeys(), raw), store);
    }

    private EngineSession open(RecordingEngineContext ctx) {
        EngineSession session = engine.open(ctx);
        sessions.add(session);
        return session;
    }

    /** Starts with stored credentials and waits until connected. */
    private void connect(EngineSession session, RecordingEngineContext ctx) {
        new SimulatorCredentials(PHONE, NAME).save(store);
        session.start();
        ctx.next(Connected.class);
    }

    private static Map<String, Object> scanParams() {
        return Map.of("phoneNumber", PHONE, "displayName", NAME);
    }

    private static ActionException actionFails(EngineSession session, String action, Map<String, Object> params) {
        return assertThrows(ActionException.class, () -> session.action(action, params));
    }

    private static void assertInvalid(EngineSession session, Map<String, Object> params, String field) {
        assertInvalid(session, "scan", params, field);
    }

    private static void assertInvalid(EngineSession session, String action, Map<String, Object> params, String field) {
        ActionException e = actionFails(session, action, params);
        assertEquals(Kind.INVALID_PARAMS, e.kind(), params.toString());
        assertTrue(e.getMessage().startsWith(field), e.getMessage());
    }

    private static String describe(Status s) {
        return s.messageId() + " " + s.status() + " " + s.error();
    }

    private static String ref(Qr qr) {
        return QrCodesTest.ref(qr.code());
    }

    private static String keys(Qr qr) {
        return QrCodesTest.keys(qr.code());
    }
}
