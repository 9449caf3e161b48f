package io.wagateway.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wagateway.api.InboundMessage;
import io.wagateway.api.MessageStatus;
import io.wagateway.api.PluginConfig;
import io.wagateway.api.StatusReason;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RecordingEngineContextTest {

    private static final Duration SHORT = Duration.ofMillis(50);

    private final InMemoryCredentialStore store = new InMemoryCredentialStore();
    private final PluginConfig config = PluginConfig.of(Map.of("k", "v"));
    private final RecordingEngineContext context = new RecordingEngineContext("s-1", config, store);

    @Test
    void refusesAQrCodeTheHostWouldRefuse() {
        Instant later = Instant.now().plusSeconds(60);
        assertThrows(IllegalArgumentException.class, () -> context.qrCode(null, 1, later));
        assertThrows(IllegalArgumentException.class, () -> context.qrCode("", 1, later));
        assertThrows(IllegalArgumentException.class, () -> context.qrCode("é".repeat(1166), 1, later)); // 2,332 bytes
        assertThrows(NullPointerException.class, () -> context.qrCode("2@x", 1, null));
        assertThrows(IllegalArgumentException.class, () -> context.disconnected(StatusReason.DELETED));
        assertTrue(context.facts().isEmpty(), "nothing recorded");
        context.qrCode("x".repeat(2331), 1, later);
        assertEquals(1, context.facts().size());
    }

    @Test
    void handsOutWhatItWasMadeWith() {
        assertEquals("s-1", context.sessionId());
        assertSame(config, context.config());
        assertSame(store, context.credentials());
        RecordingEngineContext plain = new RecordingEngineContext(config);
        assertEquals(RecordingEngineContext.DEFAULT_SESSION_ID, plain.sessionId());
        assertTrue(plain.credentials().keys().isEmpty());
        assertSame(store, new RecordingEngineContext(config, store).credentials());
        assertEquals(RecordingEngineContext.DEFAULT_CALL_TIMEOUT, plain.callTimeout());
        assertEquals(Duration.ofMillis(1500), new RecordingEngineContext("s-1", config, store, Duration.ofMillis(1500)).callTimeout());
        assertThrows(IllegalArgumentException.class, () -> new RecordingEngineContext("s-1", config, store, Duration.ZERO));
    }

    @Test
    void recordsEveryKindOfFactInOrder() {
        Instant expires = Instant.parse("2026-12-01T10:00:00Z");
        IllegalStateException cause = new IllegalStateException("boom");
        Instant before = Instant.now();
        context.qrCode("2@abc", 1, expires);
        context.connected("+6281234567890", "Budi");
        context.messageStatus("m1", MessageStatus.FAILED, "no such number");
        context.disconnected(StatusReason.CONNECTION_LOST);
        context.failed("worker died", cause);
        InboundMessage inbound = new InboundMessage("3EB0", "+6289876543210", "Siti", "6289876543210@s.whatsapp.net",
                "halo", "text", expires);
        context.messageReceived(inbound);

        EngineFact.Qr qr = context.next(EngineFact.Qr.class);
        assertEquals(List.of("2@abc", 1, expires), List.of(qr.code(), qr.attempt(), qr.expiresAt()));
        assertTrue(!qr.at().isBefore(before), qr.at() + " vs " + before);
        EngineFact.Connected connected = context.next(EngineFact.Connected.class);
        assertEquals(List.of("+6281234567890", "Budi"), List.of(connected.phoneNumber(), connected.displayName()));
        EngineFact.Status status = context.next(EngineFact.Status.class);
        assertEquals(List.of("m1", MessageStatus.FAILED, "no such number"),
                List.of(status.messageId(), status.status(), status.error()));
        assertEquals(StatusReason.CONNECTION_LOST, context.next(EngineFact.Disconnected.class).reason());
        EngineFact.Failed failed = context.next(EngineFact.Failed.class);
        assertEquals("worker died", failed.message());
        assertSame(cause, failed.cause());
        assertEquals(inbound, context.next(EngineFact.Received.class).message());

        assertEquals(List.of(EngineFact.Qr.class, EngineFact.Connected.class, EngineFact.Status.class,
                        EngineFact.Disconnected.class, EngineFact.Failed.class, EngineFact.Received.class),
                context.facts().stream().map(Object::getClass).toList(), "facts() keeps the facts already read");
    }

    @Test
    void nextWaitsForAFactReportedFromAnotherThread() throws InterruptedException {
        Thread test = Thread.currentThread();
        Thread engine = Thread.ofVirtual().start(() -> {
            // Reports only once the test is blocked in next(): the fact comes while it waits.
            while (test.getState() != Thread.State.TIMED_WAITING) {
                Thread.onSpinWait();
            }
            context.connected("+1", "Late");
        });
        assertEquals("Late", context.next(EngineFact.Connected.class).displayName());
        assertTrue(engine.join(Duration.ofSeconds(5)));
    }

    @Test
    void nextFailsWhenNoFactComesInTime() {
        context.connected("+1", "A");
        context.next();
        long before = System.nanoTime();
        AssertionError e = assertThrows(AssertionError.class, () -> context.next(SHORT));
        assertTrue(Duration.ofNanos(System.nanoTime() - before).compareTo(SHORT) >= 0, "waited the timeout");
        assertTrue(e.getMessage().contains("another fact within PT0.05S"), e.getMessage());
        assertTrue(e.getMessage().contains("Connected[phoneNumber=+1"), "lists the facts so far: " + e.getMessage());
    }

    @Test
    void nextOfTheWrongKindFailsNamingWhatCame() {
        context.disconnected(StatusReason.QR_TIMEOUT);
        AssertionError e = assertThrows(AssertionError.class, () -> context.next(EngineFact.Qr.class, SHORT));
        assertTrue(e.getMessage().contains("Qr next"), e.getMessage());
        assertTrue(e.getMessage().contains("QR_TIMEOUT"), e.getMessage());
    }

    @Test
    void awaitPassesOverFactsUntilOneMatches() {
        context.messageStatus("m1", MessageStatus.SENT, null);
        context.messageStatus("m2", MessageStatus.SENT, null);
        context.messageStatus("m1", MessageStatus.DELIVERED, null);

        EngineFact.Status m2 = context.await(EngineFact.Status.class, s -> s.messageId().equals("m2"), SHORT);
        assertEquals(MessageStatus.SENT, m2.status());
        assertEquals(MessageStatus.DELIVERED, context.next(EngineFact.Status.class).status(), "reading goes on after it");
        AssertionError e = assertThrows(AssertionError.class,
                () -> context.await(EngineFact.Status.class, s -> s.status() == MessageStatus.READ, SHORT));
        assertTrue(e.getMessage().contains("a matching Status"), e.getMessage());
    }

    @Test
    void assertNoFactWithinPassesOnSilenceAndFailsOnAFact() {
        context.assertNoFactWithin(SHORT);
        context.qrCode("2@x", 2, Instant.now());
        AssertionError unread = assertThrows(AssertionError.class, () -> context.assertNoFactWithin(SHORT));
        assertTrue(unread.getMessage().contains("attempt=2"), unread.getMessage());

        context.next();
        Thread.ofVirtual().start(() -> context.disconnected(StatusReason.LOGGED_OUT));
        AssertionError late = assertThrows(AssertionError.class, () -> context.assertNoFactWithin(Duration.ofSeconds(5)));
        assertTrue(late.getMessage().contains("LOGGED_OUT"), late.getMessage());
    }

    @Test
    void interruptedWaitFailsAndKeepsTheInterrupt() throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        Throwable[] seen = new Throwable[1];
        boolean[] flag = new boolean[1];
        Thread waiter = Thread.ofVirtual().start(() -> {
            try {
                context.next(Duration.ofSeconds(30));
            } catch (AssertionError e) {
                seen[0] = e;
                flag[0] = Thread.currentThread().isInterrupted();
            }
            done.countDown();
        });
        waiter.interrupt();
        assertTrue(done.await(5, TimeUnit.SECONDS));
        assertTrue(seen[0].getMessage().startsWith("Interrupted"), seen[0].getMessage());
        assertTrue(flag[0], "interrupt status restored");
    }
}
