package io.wagateway.session;

import io.wagateway.config.GatewaySettings;
import io.wagateway.error.DomainException;
import io.wagateway.event.EventBus;
import io.wagateway.plugin.EngineRegistry;
import java.time.Clock;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The live actors, one per session used since boot, created from the store on first use, and the
 * threads they share: virtual threads for their executors, one timer for their retries.
 */
final class SessionActors implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(SessionActors.class.getName());

    private final SessionStore store;
    private final ExecutorService workers = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("session-", 0).factory());
    // Engine plugin code runs on platform threads, as all plugin code does (plugin.PluginCalls): a
    // plugin spinning on a virtual thread would hold one of the few carrier threads for good.
    private final ExecutorService engineThreads = Executors.newThreadPerTaskExecutor(
            Thread.ofPlatform().daemon().name("engine-", 0).factory());
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("session-retry").factory());
    private final ActorParts parts;
    private final ConcurrentHashMap<String, SessionActor> actors = new ConcurrentHashMap<>();
    private final GatewaySettings.Sessions settings;
    private final Set<String> deletedIds = ConcurrentHashMap.newKeySet();
    private volatile boolean closing;

    SessionActors(SessionStore store, MessageStore messages, InboundMessages inbound, CredentialRepository credentials,
                  EngineRegistry engines, EventBus bus, GatewaySettings.Sessions settings, Clock clock) {
        this.store = store;
        this.settings = settings;
        this.parts = new ActorParts(store, new OutgoingMessages(messages, bus, clock), inbound, credentials,
                engines, bus, settings, clock, workers, engineThreads, timers, () -> closing);
    }

    /** The session's actor. @throws DomainException 404 when the session does not exist (or was deleted) */
    SessionActor get(String sessionId) {
        SessionActor existing = actors.get(sessionId);
        if (existing != null) {
            return existing;
        }
        Session session = store.find(sessionId).orElseThrow(() -> new DomainException.NotFound("Session not found: " + sessionId));
        SessionActor actor = actors.computeIfAbsent(sessionId, id -> new SessionActor(session, parts));
        if (deletedIds.contains(sessionId)) {
            actors.remove(sessionId, actor);
            throw new DomainException.NotFound("Session not found: " + sessionId);
        }
        return actor;
    }

    Collection<SessionActor> all() {
        return actors.values();
    }

    /** On the actor's executor, right after {@link SessionActor#delete()}. */
    void forget(SessionActor deleted) {
        // Ids carry their creation time and are never reused: remembering them costs little and
        // stops a lookup that read the row just before the delete from reviving the session.
        deletedIds.add(deleted.id());
        actors.remove(deleted.id(), deleted);
    }

    /** For work that is no session's task, such as listing the store. */
    Executor workers() {
        return workers;
    }

    boolean closing() {
        return closing;
    }

    /** How long stopping many sessions at once may take: one engine call's deadline, and a margin. */
    java.time.Duration closeBound() {
        return settings.engineCallTimeout().plusSeconds(1);
    }

    /**
     * Stops every engine without recording a status change, so linked sessions are resumed on the
     * next start.
     */
    @Override
    public void close() {
        closing = true;
        // All at once, under one deadline: the engines' stops run side by side, each bounded.
        CompletableFuture<?>[] pending = actors.values().stream()
                .map(a -> a.executor.submit(a::shutDown).thenCompose(stopped -> stopped))
                .toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(pending).get(closeBound().toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            LOG.log(Level.WARNING, "Not every session stopped cleanly", e);
        }
        timers.shutdownNow();
        workers.shutdown();
        engineThreads.shutdown();
    }
}
