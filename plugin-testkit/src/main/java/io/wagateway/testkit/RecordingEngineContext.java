package io.wagateway.testkit;

import io.wagateway.api.CredentialStore;
import io.wagateway.api.EngineContext;
import io.wagateway.api.InboundMessage;
import io.wagateway.api.MessageStatus;
import io.wagateway.api.PluginConfig;
import io.wagateway.api.StatusReason;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * An {@link EngineContext} for an engine's tests: hand it to {@link io.wagateway.api.WhatsAppEngine#open(EngineContext)},
 * and it records every fact the engine reports, in the order they arrive, as {@link EngineFact}s.
 *
 * <p>A test reads the facts one after the other with {@link #next()} or {@link #next(Class)}, which
 * wait (up to {@link #DEFAULT_TIMEOUT}, or a timeout given) for a fact not read yet, so an engine
 * that reports from its own timers is tested without fixed sleeps. {@link #await} passes over
 * facts until one matches; {@link #assertNoFactWithin} checks that the engine stays quiet;
 * {@link #facts()} shows everything recorded, read or not.
 *
 * <pre>{@code
 * RecordingEngineContext context = new RecordingEngineContext(PluginConfig.validate(engine.configKeys(), Map.of()));
 * EngineSession session = engine.open(context);
 * session.start();
 * EngineFact.Qr qr = context.next(EngineFact.Qr.class);
 * assertEquals(1, qr.attempt());
 * }</pre>
 *
 * <p>Threading: the engine may report from any thread; a test reads from its own. Unlike the host,
 * this context ignores nothing: facts reported after {@code stop()} are recorded too, so a test can
 * assert that there are none.
 */
public final class RecordingEngineContext implements EngineContext {

    /** How long {@link #next()} and {@link #next(Class)} wait for a fact. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    /**
     * The call deadline of a context made without one: the host's default
     * {@code gateway.sessions.engine-call-timeout}.
     */
    public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(10);

    /** The session id of a context made without one, shaped like the host's ({@code {userId}-{slug}-{epochMillis}}). */
    public static final String DEFAULT_SESSION_ID = "user-1-test-1752508259121";

    private final String sessionId;
    private final PluginConfig config;
    private final CredentialStore credentials;
    private final Duration callTimeout;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    // Guarded by lock.
    private final List<EngineFact> facts = new ArrayList<>();
    private int read;

    /**
     * A context for session {@value #DEFAULT_SESSION_ID} with an empty {@link InMemoryCredentialStore}.
     *
     * @param config the engine's configuration, e.g. {@code PluginConfig.validate(engine.configKeys(), values)}
     */
    public RecordingEngineContext(PluginConfig config) {
        this(DEFAULT_SESSION_ID, config, new InMemoryCredentialStore());
    }

    /**
     * A context for session {@value #DEFAULT_SESSION_ID}.
     *
     * @param config      the engine's configuration
     * @param credentials the session's credential store; pass the same one to a later context to model a restart
     */
    public RecordingEngineContext(PluginConfig config, CredentialStore credentials) {
        this(DEFAULT_SESSION_ID, config, credentials);
    }

    /**
     * A context whose {@link #callTimeout()} is {@link #DEFAULT_CALL_TIMEOUT}.
     *
     * @param sessionId   the session's id
     * @param config      the engine's configuration
     * @param credentials the session's credential store
     */
    public RecordingEngineContext(String sessionId, PluginConfig config, CredentialStore credentials) {
        this(sessionId, config, credentials, DEFAULT_CALL_TIMEOUT);
    }

    /**
     * @param sessionId   the session's id
     * @param config      the engine's configuration
     * @param credentials the session's credential store
     * @param callTimeout the deadline the host would give each call into the engine, longer than zero;
     *                    this context only reports it (a test times the engine's calls itself)
     */
    public RecordingEngineContext(String sessionId, PluginConfig config, CredentialStore credentials, Duration callTimeout) {
        this.sessionId = Objects.requireNonNull(sessionId, "sessionId");
        this.config = Objects.requireNonNull(config, "config");
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.callTimeout = Objects.requireNonNull(callTimeout, "callTimeout");
        if (callTimeout.isNegative() || callTimeout.isZero()) {
            throw new IllegalArgumentException("callTimeout must be longer than zero: " + callTimeout);
        }
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
    public Duration callTimeout() {
        return callTimeout;
    }

    @Override
    public void qrCode(String qrCode, int attempt, Instant expiresAt) {
        // As the host refuses it: what one QR code holds at error correction M.
        if (qrCode == null || qrCode.isEmpty() || qrCode.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 2331) {
            throw new IllegalArgumentException("qrCode must be 1 to 2331 bytes of UTF-8");
        }
        java.util.Objects.requireNonNull(expiresAt, "expiresAt");
        record(new EngineFact.Qr(qrCode, attempt, expiresAt, Instant.now()));
    }

    @Override
    public void connected(String phoneNumber, String displayName) {
        record(new EngineFact.Connected(phoneNumber, displayName, Instant.now()));
    }

    @Override
    public void disconnected(StatusReason reason) {
        if (reason == StatusReason.DELETED) {
            throw new IllegalArgumentException("DELETED is the host's reason for a deleted session, not an engine's");
        }
        record(new EngineFact.Disconnected(reason, Instant.now()));
    }

    @Override
    public void failed(String message, Throwable cause) {
        record(new EngineFact.Failed(message, cause, Instant.now()));
    }

    @Override
    public void messageStatus(String messageId, MessageStatus status, String error) {
        record(new EngineFact.Status(messageId, status, error, Instant.now()));
    }

    @Override
    public void messageReceived(InboundMessage message) {
        record(new EngineFact.Received(message, Instant.now()));
    }

    private void record(EngineFact fact) {
        lock.lock();
        try {
            facts.add(fact);
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** @return every fact recorded so far, read or not, in the order they arrived */
    public List<EngineFact> facts() {
        lock.lock();
        try {
            return List.copyOf(facts);
        } finally {
            lock.unlock();
        }
    }

    /**
     * @return the next fact not read yet, waiting up to {@link #DEFAULT_TIMEOUT}
     * @throws AssertionError when none comes in time
     */
    public EngineFact next() {
        return next(DEFAULT_TIMEOUT);
    }

    /**
     * @param timeout how long to wait for it
     * @return the next fact not read yet
     * @throws AssertionError when none comes in time
     */
    public EngineFact next(Duration timeout) {
        return take(System.nanoTime() + timeout.toNanos(), "another fact within " + timeout);
    }

    /**
     * @param type the kind of fact expected next
     * @return the next fact not read yet, waiting up to {@link #DEFAULT_TIMEOUT}
     * @throws AssertionError when none comes in time, or it is of another kind
     */
    public <T extends EngineFact> T next(Class<T> type) {
        return next(type, DEFAULT_TIMEOUT);
    }

    /**
     * @param type    the kind of fact expected next
     * @param timeout how long to wait for it
     * @return the next fact not read yet
     * @throws AssertionError when none comes in time, or it is of another kind
     */
    public <T extends EngineFact> T next(Class<T> type, Duration timeout) {
        EngineFact fact = next(timeout);
        if (!type.isInstance(fact)) {
            throw new AssertionError("Expected the engine to report " + type.getSimpleName() + " next, but it reported "
                    + fact);
        }
        return type.cast(fact);
    }

    /**
     * Waits for a fact of this kind that matches, passing over the facts before it (they stay in
     * {@link #facts()}). For facts whose order the engine does not promise, such as the acks of two
     * different messages.
     *
     * @param type     the kind of fact awaited
     * @param matching what it must satisfy
     * @param timeout  how long to wait for it
     * @return the first such fact not read yet; the facts up to it count as read
     * @throws AssertionError when none comes in time
     */
    public <T extends EngineFact> T await(Class<T> type, Predicate<? super T> matching, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            EngineFact fact = take(deadline, "a matching " + type.getSimpleName() + " within " + timeout);
            if (type.isInstance(fact) && matching.test(type.cast(fact))) {
                return type.cast(fact);
            }
        }
    }

    /** @return the next fact not read yet, marked read; waits until {@code deadline} ({@link System#nanoTime()}) */
    private EngineFact take(long deadline, String expected) {
        lock.lock();
        try {
            while (read == facts.size()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("Expected " + expected + " from the engine; facts so far: " + facts);
                }
                arrived.awaitNanos(left);
            }
            return facts.get(read++);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("Interrupted while waiting for a fact from the engine", e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Checks that the engine reports nothing new within {@code quiet}: use it after the longest timer
     * that could still fire, to show that none does.
     *
     * @param quiet how long the engine must stay silent
     * @throws AssertionError naming the fact when one is reported, or was reported and not read yet
     */
    public void assertNoFactWithin(Duration quiet) {
        long deadline = System.nanoTime() + quiet.toNanos();
        lock.lock();
        try {
            while (read == facts.size()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                arrived.awaitNanos(left);
            }
            throw new AssertionError("Expected no further fact from the engine, but it reported " + facts.get(read));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("Interrupted while checking that the engine stays quiet", e);
        } finally {
            lock.unlock();
        }
    }
}
