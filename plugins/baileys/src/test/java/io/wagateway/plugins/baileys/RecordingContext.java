package io.wagateway.plugins.baileys;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.wagateway.api.CredentialStore;
import io.wagateway.api.EngineContext;
import io.wagateway.api.MessageStatus;
import io.wagateway.api.PluginConfig;
import io.wagateway.api.StatusReason;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An {@link EngineContext} that records every reported fact, in order, so tests await facts with a
 * timeout instead of sleeping. Incoming messages are recorded as parsed ({@link Received}) when the
 * session's {@link InboundMessages.Listener} is {@link #inbound()}, and as handed to the host
 * ({@link HostReceived}) when it is {@link InboundMessages#HOST}.
 */
final class RecordingContext implements EngineContext {

    /** A fact the engine reported, stamped with when it arrived. */
    sealed interface Fact {
        Instant at();
    }

    record Qr(String code, int attempt, Instant expiresAt, Instant at) implements Fact {
    }

    record Connected(String phoneNumber, String displayName, Instant at) implements Fact {
    }

    record Disconnected(StatusReason reason, Instant at) implements Fact {
    }

    record Failed(String message, Throwable cause, Instant at) implements Fact {
    }

    record Status(String messageId, MessageStatus status, String error, Instant at) implements Fact {
    }

    record Received(InboundMessage message, Instant at) implements Fact {
    }

    record HostReceived(io.wagateway.api.InboundMessage message, Instant at) implements Fact {
    }

    private final String sessionId;
    private final PluginConfig config;
    private final CredentialStore credentials;
    private final BlockingQueue<Fact> facts = new LinkedBlockingQueue<>();

    RecordingContext(String sessionId, PluginConfig config, CredentialStore credentials) {
        this.sessionId = sessionId;
        this.config = config;
        this.credentials = credentials;
    }

    /** @return a listener that records incoming messages of this context's session as {@link Received} */
    static InboundMessages.Listener inbound() {
        return (context, message) -> ((RecordingContext) context).facts.add(new Received(message, Instant.now()));
    }

    @Override
    public String sessionId() {
        return sessionId;
    }

    @Override
    public PluginConfig config() {
        return config;
    }

    @Override
    public CredentialStore credentials() {
        return credentials;
    }

    @Override
    public void qrCode(String qrCode, int attempt, Instant expiresAt) {
        facts.add(new Qr(qrCode, attempt, expiresAt, Instant.now()));
    }

    @Override
    public void connected(String phoneNumber, String displayName) {
        facts.add(new Connected(phoneNumber, displayName, Instant.now()));
    }

    @Override
    public void disconnected(StatusReason reason) {
        facts.add(new Disconnected(reason, Instant.now()));
    }

    @Override
    public void failed(String message, Throwable cause) {
        facts.add(new Failed(message, cause, Instant.now()));
    }

    @Override
    public void messageStatus(String messageId, MessageStatus status, String error) {
        facts.add(new Status(messageId, status, error, Instant.now()));
    }

    @Override
    public void messageReceived(io.wagateway.api.InboundMessage message) {
        facts.add(new HostReceived(message, Instant.now()));
    }

    /** @return the next fact, waiting up to 10 seconds; fails the test when none comes */
    Fact next() {
        return next(Duration.ofSeconds(10));
    }

    /** @return the next fact, waiting up to {@code timeout}; fails the test when none comes */
    Fact next(Duration timeout) {
        try {
            Fact fact = facts.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            assertNotNull(fact, "expected another fact from the engine within " + timeout.toMillis() + " ms");
            return fact;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** @return the next fact, which must be of this type */
    <T extends Fact> T next(Class<T> type) {
        return assertInstanceOf(type, next());
    }

    /** Asserts that nothing is reported within {@code quiet}. */
    void assertNoFactWithin(Duration quiet) {
        try {
            assertNull(facts.poll(quiet.toMillis(), TimeUnit.MILLISECONDS), "expected no further fact");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
