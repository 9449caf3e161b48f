package io.wagateway.session;

import io.wagateway.api.ActionException;
import io.wagateway.api.EngineSession;
import io.wagateway.api.MessageStatus;
import io.wagateway.api.MessageStatusUpdated;
import io.wagateway.api.OutgoingMessage;
import io.wagateway.api.QrCodeUpdated;
import io.wagateway.api.RetriableException;
import io.wagateway.api.SessionStatus;
import io.wagateway.api.SessionStatusChanged;
import io.wagateway.api.StatusReason;
import io.wagateway.auth.Principal;
import io.wagateway.config.GatewaySettings;
import io.wagateway.error.DomainException;
import io.wagateway.event.EventBus;
import io.wagateway.plugin.EngineRegistry;
import io.wagateway.plugin.Failures;
import io.wagateway.plugin.RegisteredEngine;
import io.wagateway.retry.Backoff;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one place that changes sessions: REST actions and engine facts alike go through a session's
 * {@link SerialExecutor}, where the state machine is checked, the change persisted and the event
 * published, in that order. So every session's events leave in the order they happened, and a
 * late joiner's snapshot ({@link #withSnapshot}) sits exactly between two events.
 *
 * <pre>
 * DISCONNECTED|ERROR --start--> CONNECTING --qr--> QR_REQUIRED --scan--> CONNECTED
 * CONNECTING --credentials--> CONNECTED;  any started state --stop--> DISCONNECTED(STOPPED)
 * any state --logout--> DISCONNECTED(LOGGED_OUT);  engine failure --> ERROR(ENGINE_FAILED) --backoff--> CONNECTING
 * </pre>
 */
public final class SessionService implements SessionAccess, EngineRegistry.Listener, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(SessionService.class.getName());
    private static final int MAX_NAME = 100;
    private static final java.util.regex.Pattern RECIPIENT = java.util.regex.Pattern.compile("\\+?[0-9]{5,20}");

    private final SessionStore store;
    private final MessageStore messages;
    private final CredentialRepository credentials;
    private final EngineRegistry engines;
    private final EventBus bus;
    private final GatewaySettings.Sessions settings;
    private final GatewaySettings.Messages messageSettings;
    private final Clock clock;
    private final ExecutorService workers = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("session-", 0).factory());
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("session-retry").factory());
    private final ConcurrentHashMap<String, Actor> actors = new ConcurrentHashMap<>();
    private final java.util.Set<String> deletedIds = ConcurrentHashMap.newKeySet();
    private volatile boolean closing;

    public SessionService(SessionStore store, MessageStore messages, CredentialRepository credentials,
                          EngineRegistry engines, EventBus bus, GatewaySettings.Sessions settings,
                          GatewaySettings.Messages messageSettings, Clock clock) {
        this.store = store;
        this.messages = messages;
        this.credentials = credentials;
        this.engines = engines;
        this.bus = bus;
        this.settings = settings;
        this.messageSettings = messageSettings;
        this.clock = clock;
        engines.addListener(this);
    }

    // ---- queries ------------------------------------------------------------------------------

    public List<Session> list(Principal caller) {
        return caller.isAdmin() ? store.listAll() : store.listOfUser(caller.userId());
    }

    /** @throws DomainException 404 when missing or not the caller's (the same answer for both) */
    public Session get(Principal caller, String sessionId) {
        return store.find(sessionId).filter(s -> caller.mayAccess(s.userId()))
                .orElseThrow(() -> new DomainException.NotFound("Session not found: " + sessionId));
    }

    @Override
    public boolean canAccess(Principal caller, String sessionId) {
        return store.find(sessionId).map(s -> caller.mayAccess(s.userId())).orElse(false);
    }

    @Override
    public CompletableFuture<Void> withSnapshot(String sessionId, Consumer<SessionSnapshot> action) {
        Actor actor;
        try {
            actor = actor(sessionId);
        } catch (DomainException e) {
            return CompletableFuture.failedFuture(e);
        }
        return actor.executor.submit(() -> {
            action.accept(new SessionSnapshot(actor.statusEvent(), actor.pendingQr));
            return null;
        });
    }

    /** The pending QR code of a session the caller may access. */
    public Optional<QrCodeUpdated> pendingQr(Principal caller, String sessionId) {
        Actor actor = accessible(caller, sessionId);
        return call(actor, () -> actor.pendingQr);
    }

    // ---- commands -----------------------------------------------------------------------------

    public Session create(Principal caller, String name, String engineName) {
        if (name.length() > MAX_NAME) {
            throw new DomainException.Invalid("'name' must be at most " + MAX_NAME + " characters");
        }
        String engine = engineName == null ? settings.defaultEngine() : engineName;
        if (engines.find(engine).isEmpty()) {
            throw new DomainException.Invalid("Unknown engine '" + engine + "'; available: " + engines.names());
        }
        Instant now = now();
        Session session = new Session(SessionIds.create(caller.userId(), name, now.toEpochMilli()), name,
                caller.userId(), engine, SessionStatus.DISCONNECTED, null, null, null, now, now);
        store.insert(session);
        return session;
    }

    /** Starts linking or reconnecting. @throws DomainException 409 when already started or no engine */
    public void start(Principal caller, String sessionId) {
        Actor actor = accessible(caller, sessionId);
        call(actor, () -> {
            SessionStatus status = actor.session.status();
            if (status != SessionStatus.DISCONNECTED && status != SessionStatus.ERROR) {
                throw new DomainException.Conflict("Session is already " + status);
            }
            if (engines.find(actor.session.engine()).isEmpty()) {
                throw new DomainException.Conflict("Engine '" + actor.session.engine() + "' is not available");
            }
            actor.retryAttempts = 0;
            actor.startEngine();
            return null;
        });
    }

    /** Stops the engine and keeps its credentials. @throws DomainException 409 when not started */
    public void stop(Principal caller, String sessionId) {
        Actor actor = accessible(caller, sessionId);
        call(actor, () -> {
            // DISCONNECTED with a reconnect pending (connection lost) still counts as started.
            if (actor.session.status() == SessionStatus.DISCONNECTED && actor.retry == null) {
                throw new DomainException.Conflict("Session is not started");
            }
            actor.closeEngine(false);
            actor.transition(SessionStatus.DISCONNECTED, StatusReason.STOPPED, null, null);
            return null;
        });
    }

    /** Unlinks the account and deletes its credentials; allowed in any state. */
    public void logout(Principal caller, String sessionId) {
        Actor actor = accessible(caller, sessionId);
        call(actor, () -> {
            actor.closeEngine(true);
            credentials.deleteAll(sessionId);
            actor.transition(SessionStatus.DISCONNECTED, StatusReason.LOGGED_OUT, null, null);
            return null;
        });
    }

    /** Stops the session and removes it with its credentials and messages. */
    public void delete(Principal caller, String sessionId) {
        Actor actor = accessible(caller, sessionId);
        call(actor, () -> {
            actor.closeEngine(false);
            store.delete(sessionId);
            actor.deleted = true;
            // Ids carry their creation time and are never reused: remembering them costs little and
            // stops a lookup that read the row just before the delete from reviving the session.
            deletedIds.add(sessionId);
            actors.remove(sessionId, actor);
            return null;
        });
    }

    /** Forwards an engine-specific action. @throws DomainException 409 unless the engine runs */
    public Map<String, Object> action(Principal caller, String sessionId, String action, Map<String, Object> params) {
        Actor actor = accessible(caller, sessionId);
        return call(actor, () -> {
            if (actor.engineSession == null) {
                throw new DomainException.Conflict("Session is not started");
            }
            try {
                Map<String, Object> result = actor.engineSession.action(action, params);
                return result == null ? Map.of() : result;
            } catch (ActionException e) {
                throw switch (e.kind()) {
                    case UNKNOWN_ACTION -> new DomainException.NotFound(e.getMessage());
                    case INVALID_PARAMS -> new DomainException.Invalid(e.getMessage());
                    case NOT_ALLOWED_NOW -> new DomainException.Conflict(e.getMessage());
                };
            }
        });
    }

    /** The result of a send: the message, and whether it was an earlier send replayed by key. */
    public record SendResult(Message message, boolean replayed) {
    }

    /**
     * Stores and sends a message. With an idempotency key already used for this session, returns the
     * first message instead of sending again. @throws DomainException 409 unless {@code CONNECTED}
     */
    public SendResult send(Principal caller, String sessionId, String to, String text, String idempotencyKey) {
        // Ownership first: another user's session is a 404 whatever the body says.
        Actor actor = accessible(caller, sessionId);
        if (!RECIPIENT.matcher(to).matches()) {
            throw new DomainException.Invalid("'to' must be a phone number: digits with an optional leading '+'");
        }
        if (text.length() > messageSettings.maxTextLength()) {
            throw new DomainException.Invalid("'text' must be at most " + messageSettings.maxTextLength() + " characters");
        }
        return call(actor, () -> {
            if (idempotencyKey != null) {
                Optional<Message> earlier = messages.findByIdempotencyKey(sessionId, idempotencyKey);
                if (earlier.isPresent()) {
                    return new SendResult(earlier.get(), true);
                }
            }
            if (actor.session.status() != SessionStatus.CONNECTED || actor.engineSession == null) {
                throw new DomainException.Conflict("Session is " + actor.session.status() + "; messages need CONNECTED");
            }
            Instant now = now();
            Message message = new Message(UUID.randomUUID().toString(), sessionId, to, text, MessageStatus.PENDING,
                    null, idempotencyKey, now, now, null, List.of());
            messages.insert(message);
            try {
                actor.engineSession.send(new OutgoingMessage(message.messageId(), to, text));
            } catch (RuntimeException | Error e) {
                Failures.rethrowIfFatal(e);
                LOG.log(Level.WARNING, "Engine refused message " + message.messageId() + " of " + sessionId, e);
                actor.messageStatus(message.messageId(), MessageStatus.FAILED, "Engine refused the message");
            }
            return new SendResult(message, false);
        });
    }

    public List<Message> messages(Principal caller, String sessionId, int limit) {
        get(caller, sessionId);
        return messages.list(sessionId, limit);
    }

    public Message message(Principal caller, String sessionId, String messageId) {
        get(caller, sessionId);
        return messages.find(sessionId, messageId)
                .orElseThrow(() -> new DomainException.NotFound("Message not found: " + messageId));
    }

    // ---- boot, plugins, shutdown --------------------------------------------------------------

    /**
     * After a restart: sessions that were linked (CONNECTED, or reconnecting with credentials, or
     * failing) start again; sessions caught mid-linking need a new QR and become DISCONNECTED.
     */
    public void resumeAfterRestart() {
        for (Session s : store.listAll()) {
            boolean linked = s.status() == SessionStatus.CONNECTED || Actor.awaitsRetry(s)
                    || (s.status() == SessionStatus.CONNECTING && !credentials.forSession(s.sessionId()).keys().isEmpty());
            if (linked) {
                Actor actor = actor(s.sessionId());
                actor.executor.execute(() -> {
                    // A REST start or an engine that appeared meanwhile may have started it already.
                    if (actor.engineSession != null || actor.session.status() != s.status()) {
                        return;
                    }
                    if (engines.find(s.engine()).isPresent()) {
                        actor.startEngine();
                    } else {
                        actor.transition(SessionStatus.ERROR, StatusReason.ENGINE_UNAVAILABLE, null, null);
                    }
                });
            } else if (s.status() == SessionStatus.CONNECTING || s.status() == SessionStatus.QR_REQUIRED) {
                Actor actor = actor(s.sessionId());
                actor.executor.execute(() ->
                        actor.transition(SessionStatus.DISCONNECTED, StatusReason.GATEWAY_RESTARTED, null, null));
            }
        }
    }

    @Override
    public void engineRemoving(RegisteredEngine engine) {
        if (closing) {
            // Shutting down: engines were stopped without a status change, so linked sessions resume.
            return;
        }
        // Stop the engine's sessions while its classes still work; they resume when it is back.
        // The check runs inside each actor (its fields are its own); all wait under one deadline,
        // since the plugin host holds its lock meanwhile.
        CompletableFuture<?>[] pending = actors.values().stream()
                .map(a -> a.executor.submit(() -> {
                    if (a.engine != null && a.engine.engine() == engine.engine()) {
                        a.cancelRetry();
                        a.closeEngine(false);
                        a.transition(SessionStatus.ERROR, StatusReason.ENGINE_UNAVAILABLE, null, null);
                    }
                    return null;
                })).toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(pending).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.log(Level.WARNING, "Stopping the sessions of engine " + engine.name() + " did not finish cleanly", e);
        }
    }

    @Override
    public void engineAdded(RegisteredEngine engine) {
        if (closing) {
            return;
        }
        workers.execute(() -> {
            for (Session s : store.listByStatus(SessionStatus.ERROR)) {
                if (!s.engine().equals(engine.name()) || s.reason() != StatusReason.ENGINE_UNAVAILABLE) {
                    continue;
                }
                try {
                    Actor actor = actor(s.sessionId());
                    actor.executor.execute(() -> {
                        if (actor.engineSession == null && actor.session.status() == SessionStatus.ERROR
                                && actor.session.reason() == StatusReason.ENGINE_UNAVAILABLE) {
                            actor.startEngine();
                        }
                    });
                } catch (DomainException e) {
                    // Deleted since it was listed: nothing to resume.
                }
            }
        });
    }

    /**
     * Stops every engine without recording a status change, so linked sessions are resumed on the
     * next start.
     */
    @Override
    public void close() {
        closing = true;
        List<CompletableFuture<Object>> pending = actors.values().stream()
                .map(a -> a.executor.submit(() -> {
                    a.cancelRetry();
                    a.closeEngine(false);
                    return null;
                })).toList();
        for (CompletableFuture<Object> f : pending) {
            try {
                f.get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.log(Level.WARNING, "A session did not stop cleanly", e);
            }
        }
        timers.shutdownNow();
        workers.shutdown();
    }

    // ---- internals ----------------------------------------------------------------------------

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private Actor accessible(Principal caller, String sessionId) {
        Actor actor = actor(sessionId);
        if (!caller.mayAccess(actor.session.userId())) {
            throw new DomainException.NotFound("Session not found: " + sessionId);
        }
        return actor;
    }

    private Actor actor(String sessionId) {
        Actor existing = actors.get(sessionId);
        if (existing != null) {
            return existing;
        }
        Session session = store.find(sessionId).orElseThrow(() -> new DomainException.NotFound("Session not found: " + sessionId));
        Actor actor = actors.computeIfAbsent(sessionId, id -> new Actor(session));
        if (deletedIds.contains(sessionId)) {
            actors.remove(sessionId, actor);
            throw new DomainException.NotFound("Session not found: " + sessionId);
        }
        return actor;
    }

    /** Runs on the session's executor and waits: REST handlers run on virtual threads. */
    private static <T> T call(Actor actor, Supplier<T> task) {
        try {
            return actor.executor.submit(() -> {
                if (actor.deleted) {
                    throw new DomainException.NotFound("Session not found: " + actor.session.sessionId());
                }
                return task.get();
            }).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw e;
        }
    }

    /** A session's in-memory state; every field is touched only on its executor. */
    private final class Actor {
        final SerialExecutor executor = new SerialExecutor(workers);
        Session session;
        Optional<QrCodeUpdated> pendingQr = Optional.empty();
        RegisteredEngine engine;
        EngineSession engineSession;
        volatile int generation;
        int retryAttempts;
        ScheduledFuture<?> retry;
        volatile boolean deleted;

        Actor(Session session) {
            this.session = session;
        }

        SessionStatusChanged statusEvent() {
            return new SessionStatusChanged(session.sessionId(), session.userId(), session.status(), session.reason(),
                    session.phoneNumber(), session.displayName(), session.updatedAt());
        }

        void transition(SessionStatus status, StatusReason reason, String phone, String displayName) {
            if (deleted) {
                return;
            }
            if (status != SessionStatus.QR_REQUIRED) {
                pendingQr = Optional.empty();
            }
            Session next = session.withStatus(status, reason, phone, displayName, now());
            // Persisted first: if the write fails, memory stays as the database says and nothing is published.
            store.updateStatus(next);
            session = next;
            bus.publish(statusEvent());
        }

        void startEngine() {
            if (closing) {
                // Shutting down: a late resume or plugin event must not leave an engine running.
                return;
            }
            cancelRetry();
            if (engineSession != null) {
                // Never two live connections for one account.
                closeEngine(false);
            }
            Optional<RegisteredEngine> found = engines.find(session.engine());
            if (found.isEmpty()) {
                transition(SessionStatus.ERROR, StatusReason.ENGINE_UNAVAILABLE, null, null);
                return;
            }
            int gen = ++generation;
            transition(SessionStatus.CONNECTING, null, null, null);
            engine = found.get();
            try {
                engineSession = engine.engine().open(new Context(this, gen, engine));
                engineSession.start();
            } catch (RuntimeException | Error e) {
                // A plugin's Error (NoClassDefFoundError from a badly packaged jar) is its failure, not ours.
                Failures.rethrowIfFatal(e);
                engineFailed(gen, "Engine failed to start: " + Failures.describe(e), e);
            }
        }

        /** Ends the engine session (stop or logout), ignoring its failures: the session ends anyway. */
        void closeEngine(boolean logout) {
            cancelRetry();
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
                    LOG.log(Level.WARNING, "Engine " + session.engine() + " failed to close " + session.sessionId(), e);
                }
            }
            // After stop/logout returned: the engine may still save its last credentials while stopping;
            // whatever it reports or writes later belongs to a session that has ended and is ignored.
            generation++;
        }

        void engineFailed(int gen, String message, Throwable cause) {
            if (gen != generation) {
                return;
            }
            LOG.log(Level.WARNING, "Session " + session.sessionId() + ": " + message, cause);
            closeEngine(false);
            boolean fatal = cause instanceof io.wagateway.api.PluginException && !(cause instanceof RetriableException);
            try {
                transition(SessionStatus.ERROR, StatusReason.ENGINE_FAILED, null, null);
            } finally {
                // Even when the failure could not be recorded (database down), the engine is retried.
                if (!fatal && !closing) {
                    scheduleRetry();
                }
            }
        }

        void scheduleRetry() {
            // At most one pending retry, whichever failure path asks for it.
            cancelRetry();
            long delay = new Backoff(settings.retryInitialDelay(), settings.retryMaxDelay()).delay(retryAttempts).toMillis();
            retryAttempts++;
            LOG.info(() -> "Session " + session.sessionId() + ": retry " + retryAttempts + " in " + delay + " ms");
            retry = timers.schedule(() -> executor.execute(() -> {
                retry = null;
                if (!deleted && engineSession == null && (awaitsRetry(session) || session.status() == SessionStatus.CONNECTING)) {
                    try {
                        startEngine();
                    } catch (RuntimeException e) {
                        // Typically the database: try again later rather than give up on the session.
                        LOG.log(Level.WARNING, "Session " + session.sessionId() + ": restart failed", e);
                        scheduleRetry();
                    }
                }
            }), delay, TimeUnit.MILLISECONDS);
        }

        static boolean awaitsRetry(Session s) {
            return s.status() == SessionStatus.ERROR
                    || (s.status() == SessionStatus.DISCONNECTED && s.reason() == StatusReason.CONNECTION_LOST);
        }

        void cancelRetry() {
            if (retry != null) {
                retry.cancel(false);
                retry = null;
            }
        }

        void messageStatus(String messageId, MessageStatus status, String error) {
            Optional<Message> found = messages.find(session.sessionId(), messageId);
            if (found.isEmpty() || !found.get().status().canMoveTo(status)) {
                return;
            }
            Instant at = now();
            Instant deliveredAt = found.get().deliveredAt();
            if (deliveredAt == null && (status == MessageStatus.DELIVERED || status == MessageStatus.READ)) {
                deliveredAt = at;
            }
            String reason = status == MessageStatus.FAILED ? (error == null ? "Failed" : truncate(error)) : null;
            messages.updateStatus(messageId, status, reason, at, deliveredAt);
            bus.publish(new MessageStatusUpdated(session.sessionId(), session.userId(), messageId, status,
                    deliveredAt, reason, at));
        }
    }

    private static String truncate(String s) {
        return s.length() <= 255 ? s : s.substring(0, 255);
    }

    /** The engine's handle: every fact becomes a task on the session's executor, checked against its generation. */
    private final class Context implements io.wagateway.api.EngineContext {
        private final Actor actor;
        private final int gen;
        private final RegisteredEngine engine;

        Context(Actor actor, int gen, RegisteredEngine engine) {
            this.actor = actor;
            this.gen = gen;
            this.engine = engine;
        }

        private void onActor(Runnable fact) {
            actor.executor.execute(() -> {
                if (actor.generation == gen && !actor.deleted) {
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
            return actor.generation == gen && !actor.deleted;
        }

        @Override
        public String sessionId() {
            return actor.session.sessionId();
        }

        @Override
        public io.wagateway.api.PluginConfig config() {
            return engine.config();
        }

        @Override
        public io.wagateway.api.CredentialStore credentials() {
            return new GuardedCredentials(credentials.forSession(actor.session.sessionId()), this::current);
        }

        @Override
        public void qrCode(String qrCode, int attempt, Instant expiresAt) {
            onActor(() -> {
                SessionStatus status = actor.session.status();
                if (status != SessionStatus.CONNECTING && status != SessionStatus.QR_REQUIRED) {
                    return;
                }
                if (status != SessionStatus.QR_REQUIRED) {
                    actor.transition(SessionStatus.QR_REQUIRED, null, null, null);
                }
                QrCodeUpdated event = new QrCodeUpdated(actor.session.sessionId(), actor.session.userId(), qrCode,
                        attempt, expiresAt.truncatedTo(ChronoUnit.MILLIS), now());
                actor.pendingQr = Optional.of(event);
                bus.publish(event);
            });
        }

        @Override
        public void connected(String phoneNumber, String displayName) {
            onActor(() -> {
                actor.retryAttempts = 0;
                actor.transition(SessionStatus.CONNECTED, null, phoneNumber, displayName);
            });
        }

        @Override
        public void disconnected(StatusReason reason) {
            onActor(() -> {
                actor.closeEngine(false);
                if (reason == StatusReason.LOGGED_OUT) {
                    credentials.deleteAll(actor.session.sessionId());
                }
                actor.transition(SessionStatus.DISCONNECTED, reason, null, null);
                if (reason == StatusReason.CONNECTION_LOST && !closing) {
                    // Reconnect with the same capped backoff as after a failure.
                    actor.scheduleRetry();
                }
            });
        }

        @Override
        public void failed(String message, Throwable cause) {
            onActor(() -> actor.engineFailed(gen, message == null ? "Engine failed" : message, cause));
        }

        @Override
        public void messageStatus(String messageId, MessageStatus status, String error) {
            onActor(() -> actor.messageStatus(messageId, status, error));
        }
    }
}
