package io.wagateway.session;

import io.wagateway.api.EngineSession;
import io.wagateway.api.MessageStatus;
import io.wagateway.api.OutgoingMessage;
import io.wagateway.api.PluginException;
import io.wagateway.api.QrCodeUpdated;
import io.wagateway.api.RetriableException;
import io.wagateway.api.SessionStatus;
import io.wagateway.api.SessionStatusChanged;
import io.wagateway.api.StatusReason;
import io.wagateway.config.GatewaySettings;
import io.wagateway.error.DomainException;
import io.wagateway.event.EventBus;
import io.wagateway.plugin.EngineRegistry;
import io.wagateway.plugin.Failures;
import io.wagateway.plugin.RegisteredEngine;
import io.wagateway.session.SessionTransitions.Outcome;
import io.wagateway.session.SessionTransitions.State;
import io.wagateway.session.SessionTransitions.Trigger;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One session's in-memory state and the changes to it. Its methods run on the session's
 * {@link #executor} (those marked "any thread" excepted), and its fields are touched only there
 * ({@code generation} and {@code deleted} are also read by the engine's context): REST commands,
 * engine facts, retries and plugin events each become a task, {@link SessionTransitions} decides,
 * and the change is persisted, then published.
 */
final class SessionActor {

    private static final Logger LOG = Logger.getLogger(SessionActor.class.getName());

    /** What every actor shares; {@code closing}: the gateway is shutting down. */
    record Parts(SessionStore store, OutgoingMessages messages, CredentialRepository credentials, EngineRegistry engines,
                 EventBus bus, GatewaySettings.Sessions settings, Clock clock, Executor workers,
                 ScheduledExecutorService timers, BooleanSupplier closing) {

        Instant now() {
            return clock.instant().truncatedTo(ChronoUnit.MILLIS);
        }
    }

    final SerialExecutor executor;
    private final Parts parts;
    private final String id;
    private final String userId;
    private final RetryTimer retry;
    private Session session;
    private Optional<QrCodeUpdated> pendingQr = Optional.empty();
    private RegisteredEngine engine;
    private EngineSession engineSession;
    private volatile int generation;
    private volatile boolean deleted;

    SessionActor(Session session, Parts parts) {
        this.session = session;
        this.parts = parts;
        this.id = session.sessionId();
        this.userId = session.userId();
        this.executor = new SerialExecutor(parts.workers());
        this.retry = new RetryTimer(parts.timers(), parts.settings(), id);
    }

    /** Any thread. */
    String id() {
        return id;
    }

    /** Any thread: a session never changes owner. */
    String userId() {
        return userId;
    }

    /** Any thread: the engine session of {@code gen} is still the current one. */
    boolean isCurrent(int gen) {
        return generation == gen && !deleted;
    }

    /** Any thread. */
    boolean isDeleted() {
        return deleted;
    }

    SessionSnapshot snapshot() {
        return new SessionSnapshot(statusEvent(), pendingQr);
    }

    Optional<QrCodeUpdated> pendingQr() {
        return pendingQr;
    }

    // ---- REST commands: a refusal is a 409 ------------------------------------------------------

    void start() {
        decide(new Trigger.Start(session.engine(), parts.engines().find(session.engine()).isPresent()));
        retry.reset();
        startEngine();
    }

    void stop() {
        Outcome.Move to = moveOn(Trigger.STOP);
        closeEngine(false);
        transition(to, null, null);
    }

    void logout() {
        Outcome.Move to = moveOn(Trigger.LOGOUT);
        closeEngine(true);
        parts.credentials().deleteAll(id);
        transition(to, null, null);
    }

    /** Ends the engine and removes the row; the caller forgets the actor. */
    void delete() {
        decide(Trigger.DELETE);
        closeEngine(false);
        parts.store().delete(id);
        deleted = true;
    }

    /** @throws DomainException 409 unless the engine runs; the engine's {@code ActionException} as it is */
    Map<String, Object> action(String action, Map<String, Object> params) {
        if (engineSession == null) {
            throw new DomainException.Conflict("Session is not started");
        }
        Map<String, Object> result = engineSession.action(action, params);
        return result == null ? Map.of() : result;
    }

    /** Stores the message and hands it to the engine. @throws DomainException 409 unless {@code CONNECTED} */
    Message send(String to, String text, String idempotencyKey) {
        if (session.status() != SessionStatus.CONNECTED || engineSession == null) {
            throw new DomainException.Conflict("Session is " + session.status() + "; messages need CONNECTED");
        }
        Message message = parts.messages().store(id, to, text, idempotencyKey);
        try {
            engineSession.send(new OutgoingMessage(message.messageId(), to, text));
        } catch (RuntimeException | Error e) {
            Failures.rethrowIfFatal(e);
            LOG.log(Level.WARNING, "Engine refused message " + message.messageId() + " of " + id, e);
            messageStatus(message.messageId(), MessageStatus.FAILED, "Engine refused the message");
        }
        return message;
    }

    // ---- engine facts (from HostEngineContext, already checked against the generation) ----------

    void qrCode(String qrCode, int attempt, Instant expiresAt) {
        Outcome outcome = decide(Trigger.QR);
        if (outcome instanceof Outcome.Ignore) {
            return;
        }
        if (outcome instanceof Outcome.Move to) {
            transition(to, null, null);
        }
        QrCodeUpdated event = new QrCodeUpdated(id, userId, qrCode, attempt, expiresAt.truncatedTo(ChronoUnit.MILLIS),
                parts.now());
        pendingQr = Optional.of(event);
        parts.bus().publish(event);
    }

    void connected(String phoneNumber, String displayName) {
        Outcome.Move to = moveOn(Trigger.CONNECTED);
        retry.reset();
        transition(to, phoneNumber, displayName);
    }

    void disconnected(StatusReason reason) {
        Outcome.Move to = moveOn(new Trigger.Disconnected(reason));
        closeEngine(false);
        if (to.reason() == StatusReason.LOGGED_OUT) {
            parts.credentials().deleteAll(id);
        }
        transition(to, null, null);
        if (to.retry() && !closing()) {
            // Reconnect with the same capped backoff as after a failure.
            scheduleRetry();
        }
    }

    /** Also for a start that threw, or a fact that could not be recorded. Ignored unless {@code gen} is current. */
    void engineFailed(int gen, String message, Throwable cause) {
        if (gen != generation) {
            return;
        }
        LOG.log(Level.WARNING, "Session " + id + ": " + message, cause);
        boolean fatal = cause instanceof PluginException && !(cause instanceof RetriableException);
        Outcome.Move to = moveOn(new Trigger.Failed(fatal));
        closeEngine(false);
        try {
            transition(to, null, null);
        } finally {
            // Even when the failure could not be recorded (database down), the engine is retried.
            if (to.retry() && !closing()) {
                scheduleRetry();
            }
        }
    }

    void messageStatus(String messageId, MessageStatus status, String error) {
        parts.messages().statusChanged(id, userId, messageId, status, error);
    }

    // ---- plugins, boot, shutdown ----------------------------------------------------------------

    /** Stops the session if {@code removed} is the engine it runs, while the engine's classes still work. */
    void engineRemoving(RegisteredEngine removed) {
        boolean runsIt = engine != null && engine.engine() == removed.engine();
        if (decide(new Trigger.EngineRemoved(runsIt)) instanceof Outcome.Move to) {
            retry.cancel();
            closeEngine(false);
            transition(to, null, null);
        }
    }

    void engineAdded() {
        if (decide(Trigger.ENGINE_ADDED) instanceof Outcome.Move) {
            startEngine();
        }
    }

    /** At boot, for the session as it was listed then: carries out the machine's answer to the restart. */
    void recover(SessionStatus listed, Outcome.Move to) {
        if (to.status() != SessionStatus.CONNECTING) {
            transition(to, null, null);
            return;
        }
        // A REST start or an engine that appeared meanwhile may have started it already.
        if (engineSession != null || session.status() != listed) {
            return;
        }
        if (parts.engines().find(session.engine()).isPresent()) {
            startEngine();
        } else {
            transition(moveOn(new Trigger.Opening(false)), null, null);
        }
    }

    /** Gateway shutdown: stops the engine without recording a change, so the next start resumes it. */
    void shutDown() {
        retry.cancel();
        closeEngine(false);
    }

    // ---- internals ------------------------------------------------------------------------------

    /** Asks the state machine; a refusal becomes the 409 the REST caller sees. */
    private Outcome decide(Trigger trigger) {
        Outcome outcome = SessionTransitions.next(
                new State(session.status(), session.reason(), retry.pending(), engineSession != null), trigger);
        if (outcome instanceof Outcome.Refuse refuse) {
            throw new DomainException.Conflict(refuse.message());
        }
        return outcome;
    }

    /** For the triggers the machine answers with a move whatever the state (or a refusal). */
    private Outcome.Move moveOn(Trigger trigger) {
        Outcome outcome = decide(trigger);
        if (outcome instanceof Outcome.Move move) {
            return move;
        }
        throw new IllegalStateException(trigger + " answered " + outcome + " in " + session.status());
    }

    private SessionStatusChanged statusEvent() {
        return new SessionStatusChanged(id, userId, session.status(), session.reason(),
                session.phoneNumber(), session.displayName(), session.updatedAt());
    }

    private void transition(Outcome.Move to, String phone, String displayName) {
        if (deleted) {
            return;
        }
        if (to.status() != SessionStatus.QR_REQUIRED) {
            pendingQr = Optional.empty();
        }
        Session next = session.withStatus(to.status(), to.reason(), phone, displayName, parts.now());
        // Persisted first: if the write fails, memory stays as the database says and nothing is published.
        parts.store().updateStatus(next);
        session = next;
        parts.bus().publish(statusEvent());
    }

    private boolean closing() {
        return parts.closing().getAsBoolean();
    }

    private void startEngine() {
        if (closing()) {
            // Shutting down: a late resume or plugin event must not leave an engine running.
            return;
        }
        retry.cancel();
        if (engineSession != null) {
            // Never two live connections for one account.
            closeEngine(false);
        }
        Optional<RegisteredEngine> found = parts.engines().find(session.engine());
        Outcome.Move to = moveOn(new Trigger.Opening(found.isPresent()));
        if (found.isEmpty()) {
            transition(to, null, null);
            return;
        }
        int gen = ++generation;
        transition(to, null, null);
        engine = found.get();
        try {
            engineSession = engine.engine().open(new HostEngineContext(this, gen, engine, parts.credentials()));
            engineSession.start();
        } catch (RuntimeException | Error e) {
            // A plugin's Error (NoClassDefFoundError from a badly packaged jar) is its failure, not ours.
            Failures.rethrowIfFatal(e);
            engineFailed(gen, "Engine failed to start: " + Failures.describe(e), e);
        }
    }

    /** Ends the engine session (stop or logout), ignoring its failures: the session ends anyway. */
    private void closeEngine(boolean logout) {
        retry.cancel();
        EngineSession ending = engineSession;
        engineSession = null;
        engine = null;
        if (ending != null) {
            try {
                if (logout) {
                    ending.logout();
                } else {
                    ending.stop();
                }
            } catch (RuntimeException | Error e) {
                Failures.rethrowIfFatal(e);
                LOG.log(Level.WARNING, "Engine " + session.engine() + " failed to close " + id, e);
            }
        }
        // After stop/logout returned: the engine may still save its last credentials while stopping;
        // whatever it reports or writes later belongs to a session that has ended and is ignored.
        generation++;
    }

    private void scheduleRetry() {
        retry.schedule(() -> executor.execute(this::retryFired));
    }

    private void retryFired() {
        retry.fired();
        if (!deleted && decide(Trigger.RETRY_FIRED) instanceof Outcome.Move) {
            try {
                startEngine();
            } catch (RuntimeException e) {
                // Typically the database: try again later rather than give up on the session.
                LOG.log(Level.WARNING, "Session " + id + ": restart failed", e);
                scheduleRetry();
            }
        }
    }
}
