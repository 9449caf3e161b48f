package io.wagateway.session;

import io.wagateway.api.CredentialStore;
import io.wagateway.api.MessageStatus;
import io.wagateway.api.PluginException;
import io.wagateway.api.QrCodeUpdated;
import io.wagateway.api.RetriableException;
import io.wagateway.api.SessionStatus;
import io.wagateway.api.SessionStatusChanged;
import io.wagateway.api.StatusReason;
import io.wagateway.error.DomainException;
import io.wagateway.plugin.Failures;
import io.wagateway.plugin.RegisteredEngine;
import io.wagateway.session.SessionTransitions.Outcome;
import io.wagateway.session.SessionTransitions.State;
import io.wagateway.session.SessionTransitions.Trigger;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One session's in-memory state and the changes to it. Its methods run on the session's
 * {@link #executor} (those marked "any thread" excepted), and its fields are touched only there
 * ({@code generation} and {@code deleted} are also read by the engine's context): REST commands,
 * engine facts, retries and plugin events each become a task, {@link SessionTransitions} decides,
 * and the change is persisted, then published. Engine code never runs here: calls into it go to
 * the engine session's {@link EngineLane}, and what they answer (a failure, a timeout) comes back
 * as a task, checked against the generation like any fact.
 */
final class SessionActor {

    private static final Logger LOG = Logger.getLogger(SessionActor.class.getName());

    final SerialExecutor executor;
    private final ActorParts parts;
    private final String id;
    private final String userId;
    private final RetryTimer retry;
    final SessionMessages messages; // on its executor, but for the stores of the sends it accepted
    private final SessionCredentials credentials;
    private Session session;
    private Optional<QrCodeUpdated> pendingQr = Optional.empty();
    private RegisteredEngine engine;
    private EngineLane lane;
    private CompletableFuture<Void> lastClose = CompletableFuture.completedFuture(null);
    private volatile int generation;
    private volatile boolean deleted;

    SessionActor(Session session, ActorParts parts) {
        this.session = session;
        this.parts = parts;
        this.id = session.sessionId();
        this.userId = session.userId();
        this.executor = new SerialExecutor(parts.workers());
        this.retry = new RetryTimer(parts.timers(), parts.settings(), id);
        this.messages = new SessionMessages(this, parts.messages());
        // Bounded like an engine call: a credential write is host code, but on an engine's thread.
        this.credentials = new SessionCredentials(id, parts.credentials(), parts.settings().engineCallTimeout());
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
        return new SessionSnapshot(session.statusEvent(), pendingQr);
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
        closeEngine(false, true);
        transition(to, null, null);
        messages.settle(to);
    }

    void logout() {
        Outcome.Move to = moveOn(Trigger.LOGOUT);
        closeEngine(true, false);
        credentials.wipe();
        transition(to, null, null);
        messages.settle(to);
    }

    /** Ends the engine and removes the row; the caller forgets the actor. */
    void delete() {
        decide(Trigger.DELETE);
        closeEngine(false, false);
        credentials.close(); // the delete below removes them
        messages.awaitAccepted(); // none stored after its session's rows are gone
        // Its room and sinks are told, or a client would go on showing the session as it last was.
        SessionStatusChanged last = session.deletedEvent(parts.now());
        boolean removedNow = parts.store().delete(id, last);
        deleted = true;
        if (removedNow) {
            parts.bus().publish(last);
        }
    }

    /**
     * Queues the action on the engine; the future has its answer, or the engine's
     * {@code ActionException} as it is. @throws DomainException 409 unless the engine runs
     */
    CompletableFuture<Map<String, Object>> action(String action, Map<String, Object> params) {
        if (lane == null) {
            throw new DomainException.Conflict("Session is not started");
        }
        int gen = generation;
        return lane.action(s -> s.action(action, params)).whenComplete((r, e) -> {
            if (EngineLane.cause(e) instanceof EngineLane.TimedOut timedOut) {
                executor.execute(() -> engineFailed(gen, timedOut.getMessage(), timedOut));
            }
        }).thenApply(result -> result == null ? Map.of() : result);
    }

    /**
     * Accepts the message for the engine; the caller stores it ({@link SessionMessages.Accepted#store}). 409 unless CONNECTED.
     */
    SessionMessages.Accepted acceptSend(String to, String text, String idempotencyKey) {
        if (session.status() != SessionStatus.CONNECTED || lane == null) {
            throw new DomainException.Conflict("Session is " + session.status() + "; messages need CONNECTED");
        }
        return messages.accept(lane, generation, to, text, idempotencyKey);
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
        // Stored for the sinks first; a failed write publishes nothing.
        parts.store().recordEvent(event);
        pendingQr = Optional.of(event);
        parts.bus().publish(event);
    }

    /**
     * A repeated report changes nothing, or only the number and name. What waits for a connection
     * is looked for once per engine session: a second look could take a message being handed over.
     */
    void connected(String phoneNumber, String displayName) {
        boolean again = session.status() == SessionStatus.CONNECTED;
        if (again && session.isAccount(phoneNumber, displayName)) {
            return;
        }
        Outcome.Move to = moveOn(Trigger.CONNECTED);
        retry.reset();
        transition(to, phoneNumber, displayName);
        if (!again) {
            messages.sendWaiting(lane, generation);
        }
    }

    void disconnected(StatusReason reason) {
        Outcome.Move to = moveOn(new Trigger.Disconnected(reason));
        boolean loggedOut = to.reason() == StatusReason.LOGGED_OUT;
        closeEngine(false, !loggedOut);
        if (loggedOut) {
            credentials.wipe();
        }
        transition(to, null, null);
        messages.settle(to);
        if (to.retry() && !closing()) {
            // Reconnect with the same capped backoff as after a failure.
            scheduleRetry();
        } else if (to.status() == SessionStatus.ERROR) {
            retry.givenUp();
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
        closeEngine(false, true);
        try {
            transition(to, null, null);
            messages.settle(to);
        } finally {
            // Even when the failure could not be recorded (database down), the engine is retried.
            if (to.retry() && !closing()) {
                scheduleRetry();
            }
        }
    }

    void messageStatus(String messageId, MessageStatus status, String error) {
        messages.status(messageId, status, error);
    }

    // ---- plugins, boot, shutdown ----------------------------------------------------------------

    /** Stops the session if it runs {@code removed}, while its classes still work; done when its stop returned or timed out. */
    CompletableFuture<Void> engineRemoving(RegisteredEngine removed) {
        boolean runsIt = engine != null && engine.engine() == removed.engine();
        if (decide(new Trigger.EngineRemoved(runsIt)) instanceof Outcome.Move to) {
            CompletableFuture<Void> stopped = closeEngine(false, true);
            transition(to, null, null);
            messages.settle(to);
            return stopped;
        }
        return CompletableFuture.completedFuture(null);
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
        if (lane != null || session.status() != listed) {
            return;
        }
        if (parts.engines().find(session.engine()).isPresent()) {
            startEngine();
        } else {
            transition(moveOn(new Trigger.Opening(false)), null, null);
        }
    }

    /**
     * At boot, before {@link #recover}: settles what the last run left {@code PENDING} (handed to an
     * engine before {@code booted}, or never handed over while the session is not resumed).
     */
    void settleAfterRestart(boolean resumes, Instant booted) {
        if (!deleted) {
            messages.settleAfterRestart(resumes, booted);
        }
    }

    /** Gateway shutdown: stops the engine unrecorded, so the next start resumes it; done when its stop returned or timed out. */
    CompletableFuture<Void> shutDown() {
        return closeEngine(false, true);
    }

    // ---- internals ------------------------------------------------------------------------------

    /** Asks the state machine; a refusal becomes the 409 the REST caller sees. */
    private Outcome decide(Trigger trigger) {
        Outcome outcome = SessionTransitions.next(
                new State(session.status(), session.reason(), retry.pending(), lane != null, retry.reconnectsUsedUp()), trigger);
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

    private void transition(Outcome.Move to, String phone, String displayName) {
        if (deleted) {
            return;
        }
        if (to.status() != SessionStatus.QR_REQUIRED) {
            pendingQr = Optional.empty();
        }
        Session next = session.withStatus(to.status(), to.reason(), phone, displayName, parts.now());
        // Persisted first, with its event for the sinks: if the write fails, memory stays as the
        // database says and nothing is published.
        SessionStatusChanged event = next.statusEvent();
        parts.store().updateStatus(next, event);
        session = next;
        parts.bus().publish(event);
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
        if (lane != null) {
            // Never two live connections for one account.
            closeEngine(false, true);
        }
        Optional<RegisteredEngine> found = parts.engines().find(session.engine());
        Outcome.Move to = moveOn(new Trigger.Opening(found.isPresent()));
        if (found.isEmpty()) {
            transition(to, null, null);
            return;
        }
        Duration callTimeout = parts.settings().engineCallTimeout();
        EngineLane opened = new EngineLane(parts.engineThreads(), parts.timers(), callTimeout, lastClose,
                messages.handOvers());
        // Read before the state moves (a database error leaves it as it was): the session's epoch now.
        CredentialStore store = credentials.open(() -> !deleted && opened.credentialsOpen());
        int gen = ++generation;
        transition(to, null, null);
        engine = found.get();
        lane = opened;
        // The engine is told the lane's deadline, so it can answer by itself before the lane gives up on it.
        opened.start(engine.engine(), new HostEngineContext(this, gen, engine, store, parts.inbound(), callTimeout))
                .whenComplete((r, e) -> {
                    if (e != null) {
                        // A plugin's Error (NoClassDefFoundError from a badly packaged jar) is its failure, not ours.
                        Throwable cause = EngineLane.cause(e);
                        String message = cause instanceof EngineLane.TimedOut ? cause.getMessage()
                                : "Engine failed to start: " + Failures.describe(cause);
                        executor.execute(() -> engineFailed(gen, message, cause));
                    }
                });
    }

    /**
     * Ends the engine session (stop or logout) without waiting for engine code: from now on its
     * facts are ignored and no message is handed to it; with {@code keepCredentials} it may save
     * credentials until its stop returns.
     *
     * @return completes when the engine's last call returned or timed out
     */
    private CompletableFuture<Void> closeEngine(boolean logout, boolean keepCredentials) {
        retry.cancel();
        EngineLane ending = lane;
        lane = null;
        engine = null;
        generation++;
        if (ending != null) {
            lastClose = ending.close(logout, keepCredentials);
        }
        return lastClose;
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
