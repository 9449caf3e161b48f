package io.wagateway.session;

import io.wagateway.api.CredentialStore;
import io.wagateway.api.EngineContext;
import io.wagateway.api.InboundMessage;
import io.wagateway.api.MessageStatus;
import io.wagateway.api.PluginConfig;
import io.wagateway.api.StatusReason;
import io.wagateway.plugin.Failures;
import io.wagateway.plugin.RegisteredEngine;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The engine's handle on the host for one engine session, that is one generation of one
 * {@link SessionActor}: every fact becomes a task on the session's executor, run only while that
 * generation is still current, so a fact from a stopped, logged-out or deleted engine session is
 * dropped. Its credential writes are guarded the same way ({@link GuardedCredentials}).
 */
final class HostEngineContext implements EngineContext {

    private final SessionActor actor;
    private final int gen;
    private final RegisteredEngine engine;
    private final CredentialStore credentials;
    private final InboundMessages inbound;
    private final Duration callTimeout;

    /**
     * @param credentials the engine session's credentials, guarded ({@link SessionCredentials#open})
     * @param callTimeout the deadline its {@link EngineLane} gives each call into the engine
     */
    HostEngineContext(SessionActor actor, int gen, RegisteredEngine engine, CredentialStore credentials,
                      InboundMessages inbound, Duration callTimeout) {
        this.actor = actor;
        this.gen = gen;
        this.engine = engine;
        this.credentials = credentials;
        this.inbound = inbound;
        this.callTimeout = callTimeout;
    }

    private void onActor(Runnable fact) {
        actor.executor.execute(() -> {
            if (current()) {
                try {
                    fact.run();
                } catch (RuntimeException e) {
                    // A fact we cannot record (database down) must not leave memory, store and engine
                    // disagreeing: restart the engine later, when it can be recorded.
                    actor.engineFailed(gen, "Could not record an engine fact: " + Failures.describe(e), e);
                }
            }
        });
    }

    private boolean current() {
        return actor.isCurrent(gen);
    }

    @Override
    public String sessionId() {
        return actor.id();
    }

    @Override
    public PluginConfig config() {
        return engine.config();
    }

    @Override
    public Duration callTimeout() {
        return callTimeout;
    }

    @Override
    public CredentialStore credentials() {
        return credentials;
    }

    @Override
    public void qrCode(String qrCode, int attempt, Instant expiresAt) {
        // Refused at the call, to the engine: stored, it would fail every /qr image with a 500.
        if (qrCode == null || qrCode.isEmpty() || !QrImages.fits(qrCode)) {
            throw new IllegalArgumentException("qrCode must be 1 to " + QrImages.MAX_BYTES + " bytes of UTF-8");
        }
        Objects.requireNonNull(expiresAt, "expiresAt");
        onActor(() -> actor.qrCode(qrCode, attempt, expiresAt));
    }

    @Override
    public void connected(String phoneNumber, String displayName) {
        onActor(() -> actor.connected(phoneNumber, displayName));
    }

    @Override
    public void disconnected(StatusReason reason) {
        if (reason == StatusReason.DELETED) {
            throw new IllegalArgumentException("DELETED is the host's reason for a deleted session, not an engine's");
        }
        onActor(() -> actor.disconnected(reason));
    }

    @Override
    public void failed(String message, Throwable cause) {
        onActor(() -> actor.engineFailed(gen, message == null ? "Engine failed" : message, cause));
    }

    @Override
    public void messageStatus(String messageId, MessageStatus status, String error) {
        onActor(() -> actor.messageStatus(messageId, status, error));
    }

    /**
     * Taken on the session's executor, stored, then published once committed (from the database
     * writer); a repeat of a stored message id is ignored.
     */
    @Override
    public void messageReceived(InboundMessage message) {
        Objects.requireNonNull(message, "message");
        onActor(() -> inbound.received(actor.id(), actor.userId(), message));
    }
}
