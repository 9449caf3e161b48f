package io.wagateway.session;

import io.wagateway.api.ActionException;
import io.wagateway.api.QrCodeUpdated;
import io.wagateway.api.SessionStatus;
import io.wagateway.auth.Principal;
import io.wagateway.config.GatewaySettings;
import io.wagateway.error.DomainException;
import io.wagateway.event.EventBus;
import io.wagateway.plugin.EngineRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The sessions' queries and commands, for REST and Socket.IO; every failure is a
 * {@link DomainException}. Ownership and input are checked here; whatever touches a session's
 * state runs as a task on its actor's {@link SerialExecutor} ({@link SessionActor}), where
 * {@link SessionTransitions} decides and the change is persisted, then published, in that order.
 * REST actions and engine facts alike go through that executor, so every session's events leave in
 * the order they happened, and a late joiner's snapshot ({@link #withSnapshot}) sits exactly
 * between two events.
 *
 * <p>Also the sessions' lifecycle in the gateway: it follows engine plugins as they come and go
 * ({@link EngineAvailability}), resumes sessions at boot ({@link #resumeAfterRestart}) and stops
 * every engine, and the deleted sessions' purges, on {@link #close}.
 */
public final class SessionService implements SessionAccess, AutoCloseable {

    private static final int MAX_NAME = 100;
    /** What a stop waits for a deleted session's purge to end its current chunk (a short transaction). */
    private static final Duration PURGE_STOP = Duration.ofSeconds(5);
    private static final int MAX_ID_ATTEMPTS = 16;
    private static final Pattern RECIPIENT = Pattern.compile("\\+?[0-9]{5,20}");

    private final SessionStore store;
    private final MessageStore messages;
    private final EngineRegistry engines;
    private final GatewaySettings.Sessions settings;
    private final GatewaySettings.Messages messageSettings;
    private final Clock clock;
    private final SessionActors actors;
    private final SessionRecovery recovery;
    private final SessionListChanges listChanges = new SessionListChanges();
    private final Object creating = new Object();

    public SessionService(SessionStore store, MessageStore messages, InboundMessageStore inbound,
                          CredentialRepository credentials, EngineRegistry engines, EventBus bus,
                          GatewaySettings.Sessions settings, GatewaySettings.Messages messageSettings, Clock clock) {
        this.store = store;
        this.messages = messages;
        this.engines = engines;
        this.settings = settings;
        this.messageSettings = messageSettings;
        this.clock = clock;
        this.actors = new SessionActors(store, messages, new InboundMessages(inbound, bus, clock), credentials,
                engines, bus, settings, clock);
        this.recovery = new SessionRecovery(store, messages, credentials, actors, clock);
        engines.addListener(new EngineAvailability(store, actors));
    }

    // ---- queries ------------------------------------------------------------------------------

    public List<Session> list(Principal caller) {
        return caller.isAdmin() ? store.listAll() : store.listOfUser(caller.userId());
    }

    /** Deletes every session the user owns (their account is being deleted), with an admin's rights. */
    public void deleteAllOf(Principal admin, String ownerId) {
        for (Session session : store.listOfUser(ownerId)) {
            delete(admin, session.sessionId());
        }
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
        SessionActor actor;
        try {
            actor = actors.get(sessionId);
        } catch (DomainException e) {
            return CompletableFuture.failedFuture(e);
        }
        return actor.executor.submit(() -> {
            action.accept(actor.snapshot());
            return null;
        });
    }

    /** The pending QR code of a session the caller may access. */
    public Optional<QrCodeUpdated> pendingQr(Principal caller, String sessionId) {
        SessionActor actor = accessible(caller, sessionId);
        return call(actor, actor::pendingQr);
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

    // ---- commands -----------------------------------------------------------------------------

    public Session create(Principal caller, String name, String engineName) {
        if (name.length() > MAX_NAME) {
            throw new DomainException.Invalid("'name' must be at most " + MAX_NAME + " characters");
        }
        String engine = engineName == null ? settings.defaultEngine() : engineName;
        if (engines.find(engine).isEmpty()) {
            throw new DomainException.Invalid("Unknown engine '" + engine + "'; available: " + engines.names());
        }
        // Counted and inserted under one lock, so that a user's concurrent creates cannot pass the limit together.
        synchronized (creating) {
            int max = settings.maxPerUser();
            if (max > 0 && !caller.isAdmin() && store.listOfUser(caller.userId()).size() >= max) {
                throw new DomainException.Conflict("At most " + max + " sessions per user: delete one first");
            }
            Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
            // Two creates of one name in one millisecond: the second takes the next free millisecond.
            for (int attempt = 0; attempt < MAX_ID_ATTEMPTS; attempt++) {
                Session session = new Session(SessionIds.create(caller.userId(), name, now.toEpochMilli() + attempt),
                        name, caller.userId(), engine, SessionStatus.DISCONNECTED, null, null, null, now, now);
                if (store.insert(session)) {
                    listChanges.changed();
                    return session;
                }
            }
        }
        throw new IllegalStateException("No free session id for '" + name + "' after " + MAX_ID_ATTEMPTS + " attempts");
    }

    /** Starts linking or reconnecting. @throws DomainException 409 when already started or no engine */
    public void start(Principal caller, String sessionId) {
        SessionActor actor = accessible(caller, sessionId);
        run(actor, actor::start);
    }

    /** Stops the engine and keeps its credentials. @throws DomainException 409 when not started */
    public void stop(Principal caller, String sessionId) {
        SessionActor actor = accessible(caller, sessionId);
        run(actor, actor::stop);
    }

    /** Unlinks the account and deletes its credentials; allowed in any state. */
    public void logout(Principal caller, String sessionId) {
        SessionActor actor = accessible(caller, sessionId);
        run(actor, actor::logout);
    }

    /**
     * Stops the session and removes it with its credentials; returns once it is gone for everybody.
     * Its messages go right after, in the background (a session with 100,000 of them took about 19 s
     * on H2); a stop or a crash meanwhile leaves the rest to the next start.
     */
    public void delete(Principal caller, String sessionId) {
        SessionActor actor = accessible(caller, sessionId);
        run(actor, () -> {
            actor.delete();
            actors.forget(actor);
        });
        listChanges.changed();
        store.purgeDeletedInBackground(sessionId);
    }

    /**
     * Calls {@code listener} after each session created or deleted (no contract event says so).
     * It runs on the caller's thread and must only hand off.
     *
     * @return closes the subscription
     */
    public AutoCloseable onListChanged(Runnable listener) {
        return listChanges.subscribe(listener);
    }

    /** Forwards an engine-specific action. @throws DomainException 409 unless the engine runs */
    public Map<String, Object> action(Principal caller, String sessionId, String action, Map<String, Object> params) {
        SessionActor actor = accessible(caller, sessionId);
        CompletableFuture<Map<String, Object>> answer = call(actor, () -> actor.action(action, params));
        // Waited for here, not on the session's executor; bounded even behind a hung engine call, whose
        // own deadline runs out first and lets this one begin.
        long deadline = settings.engineCallTimeout().toMillis();
        long patience = 2 * deadline;
        try {
            return answer.get(patience, TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            if (cause instanceof ActionException ae) {
                throw switch (ae.kind()) {
                    case UNKNOWN_ACTION -> new DomainException.NotFound(ae.getMessage());
                    case INVALID_PARAMS -> new DomainException.Invalid(ae.getMessage());
                    case NOT_ALLOWED_NOW -> new DomainException.Conflict(ae.getMessage());
                };
            }
            if (cause instanceof EngineLane.TimedOut) {
                throw new DomainException.Conflict("The engine did not answer the action within " + deadline + " ms");
            }
            if (cause instanceof TimeoutException) {
                throw new DomainException.Conflict("The engine did not take the action: an earlier call into it had not "
                        + "returned within " + deadline + " ms");
            }
            throw cause instanceof RuntimeException re ? re : new IllegalStateException(cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
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
        SessionActor actor = accessible(caller, sessionId);
        if (!RECIPIENT.matcher(to).matches()) {
            throw new DomainException.Invalid("'to' must be a phone number: digits with an optional leading '+'");
        }
        if (text.length() > messageSettings.maxTextLength()) {
            throw new DomainException.Invalid("'text' must be at most " + messageSettings.maxTextLength() + " characters");
        }
        // Accepted on the session's executor, stored on this thread: the executor never waits for a commit.
        SendStep step = call(actor, () -> {
            if (idempotencyKey != null) {
                CompletableFuture<Message> storing = actor.messages.storing(idempotencyKey);
                if (storing != null) {
                    return new SendStep.FirstStoring(storing);
                }
                Optional<Message> earlier = messages.findByIdempotencyKey(sessionId, idempotencyKey);
                if (earlier.isPresent()) {
                    // Never a stuck answer: one its engine never got goes out on the next connection.
                    return new SendStep.Answered(new SendResult(earlier.get(), true));
                }
            }
            return new SendStep.Accepted(actor.acceptSend(to, text, idempotencyKey));
        });
        return switch (step) {
            case SendStep.Accepted a -> new SendResult(a.send().store(), false);
            case SendStep.Answered a -> a.result();
            case SendStep.FirstStoring f -> {
                try {
                    yield new SendResult(f.first().join(), true);
                } catch (CompletionException e) {
                    throw e.getCause() instanceof RuntimeException re ? re : e;
                }
            }
        };
    }

    /** What the session's executor decided about a send. */
    private sealed interface SendStep {
        /** Accepted: the caller stores it and queues it for the engine. */
        record Accepted(SessionMessages.Accepted send) implements SendStep {
        }

        /** The same idempotency key's message, already stored. */
        record Answered(SendResult result) implements SendStep {
        }

        /** The same idempotency key's message, still being stored: its answer is this one's. */
        record FirstStoring(CompletableFuture<Message> first) implements SendStep {
        }
    }

    // ---- boot, shutdown -----------------------------------------------------------------------

    /**
     * After a restart: sessions that were linked (CONNECTED, or reconnecting with credentials, or
     * failing) start again; sessions caught mid-linking need a new QR and become DISCONNECTED.
     */
    public void resumeAfterRestart() {
        recovery.resumeAfterRestart();
    }

    /**
     * Stops every engine without recording a status change, so linked sessions are resumed on the
     * next start.
     */
    @Override
    public void close() {
        try {
            actors.close();
        } finally {
            try {
                store.stopPurges(PURGE_STOP);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    // ---- internals ----------------------------------------------------------------------------

    private SessionActor accessible(Principal caller, String sessionId) {
        SessionActor actor = actors.get(sessionId);
        if (!caller.mayAccess(actor.userId())) {
            throw new DomainException.NotFound("Session not found: " + sessionId);
        }
        return actor;
    }

    private static void run(SessionActor actor, Runnable task) {
        call(actor, () -> {
            task.run();
            return null;
        });
    }

    /** Runs on the session's executor and waits: REST handlers run on virtual threads. */
    private static <T> T call(SessionActor actor, Supplier<T> task) {
        try {
            return actor.executor.submit(() -> {
                if (actor.isDeleted()) {
                    throw new DomainException.NotFound("Session not found: " + actor.id());
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
}
