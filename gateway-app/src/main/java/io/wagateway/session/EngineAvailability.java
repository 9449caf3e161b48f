package io.wagateway.session;

import io.wagateway.api.SessionStatus;
import io.wagateway.error.DomainException;
import io.wagateway.plugin.EngineRegistry;
import io.wagateway.plugin.RegisteredEngine;
import io.wagateway.session.SessionTransitions.Outcome;
import io.wagateway.session.SessionTransitions.State;
import io.wagateway.session.SessionTransitions.Trigger;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Sessions follow their engine plugin: stopped ({@code ERROR/ENGINE_UNAVAILABLE}) while it goes
 * away, started again when an engine of that name is back. Ignores both while the gateway shuts
 * down: engines are then stopped without a status change, so linked sessions resume on the next
 * start.
 */
final class EngineAvailability implements EngineRegistry.Listener {

    private static final Logger LOG = Logger.getLogger(EngineAvailability.class.getName());

    private final SessionStore store;
    private final SessionActors actors;

    EngineAvailability(SessionStore store, SessionActors actors) {
        this.store = store;
        this.actors = actors;
    }

    @Override
    public void engineRemoving(RegisteredEngine engine) {
        if (actors.closing()) {
            return;
        }
        // Stop the engine's sessions while its classes still work; they resume when it is back.
        // The check runs inside each actor (its fields are its own); all wait under one deadline,
        // since the plugin host holds its lock meanwhile.
        CompletableFuture<?>[] pending = actors.all().stream()
                .map(a -> a.executor.submit(() -> a.engineRemoving(engine)).thenCompose(stopped -> stopped))
                .toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(pending).get(actors.closeBound().toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            LOG.log(Level.WARNING, "Stopping the sessions of engine " + engine.name() + " did not finish cleanly", e);
        }
    }

    @Override
    public void engineAdded(RegisteredEngine engine) {
        if (actors.closing()) {
            return;
        }
        actors.workers().execute(() -> {
            for (Session s : store.listByStatus(SessionStatus.ERROR)) {
                // As listed; the actor asks again with its own state.
                if (!s.engine().equals(engine.name())
                        || !(SessionTransitions.next(State.stored(s), Trigger.ENGINE_ADDED) instanceof Outcome.Move)) {
                    continue;
                }
                try {
                    SessionActor actor = actors.get(s.sessionId());
                    actor.executor.execute(actor::engineAdded);
                } catch (DomainException e) {
                    // Deleted since it was listed: nothing to resume.
                }
            }
        });
    }
}
