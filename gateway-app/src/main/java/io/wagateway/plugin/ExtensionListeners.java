package io.wagateway.plugin;

import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The listeners told when engines and sinks come and go. A listener's failure is logged and
 * contained, so the others are still told and the plugin still loads or unloads. Called under the
 * plugin host's lock, which is what makes "told at once about the present ones" miss none and
 * repeat none.
 */
final class ExtensionListeners {

    private static final Logger LOG = Logger.getLogger(ExtensionListeners.class.getName());

    private final List<EngineRegistry.Listener> engineListeners = new CopyOnWriteArrayList<>();
    private final List<SinkRegistry.Listener> sinkListeners = new CopyOnWriteArrayList<>();

    /** Adds a listener and tells it at once about the engines already present. */
    void add(EngineRegistry.Listener listener, Collection<RegisteredEngine> present) {
        Objects.requireNonNull(listener, "listener");
        engineListeners.add(listener);
        present.forEach(engine -> tellAdded(listener, engine));
    }

    /**
     * Adds a listener and tells it at once about the sinks already present.
     *
     * @return a handle that removes the listener
     */
    AutoCloseable add(SinkRegistry.Listener listener, Collection<RegisteredSink> present) {
        Objects.requireNonNull(listener, "listener");
        sinkListeners.add(listener);
        present.forEach(sink -> tellAdded(listener, sink));
        return () -> sinkListeners.remove(listener);
    }

    /** A plugin started: its engines and sinks are in the published snapshot. */
    void added(List<RegisteredEngine> engines, List<RegisteredSink> sinks) {
        for (RegisteredEngine engine : engines) {
            engineListeners.forEach(listener -> tellAdded(listener, engine));
        }
        for (RegisteredSink sink : sinks) {
            sinkListeners.forEach(listener -> tellAdded(listener, sink));
        }
    }

    /** An engine is about to go; its plugin's classes still work. */
    void engineRemoving(RegisteredEngine engine) {
        for (EngineRegistry.Listener listener : engineListeners) {
            tellSafely("Engine listener on removal of engine '" + engine.name() + "'", () -> listener.engineRemoving(engine));
        }
    }

    /** A sink is about to be stopped; when this returns nobody delivers to it any more. */
    void sinkRemoving(RegisteredSink sink) {
        for (SinkRegistry.Listener listener : sinkListeners) {
            tellSafely("Sink listener on removal of sink '" + sink.name() + "'", () -> listener.sinkRemoving(sink));
        }
    }

    private static void tellAdded(EngineRegistry.Listener listener, RegisteredEngine engine) {
        tellSafely("Engine listener on engine '" + engine.name() + "'", () -> listener.engineAdded(engine));
    }

    private static void tellAdded(SinkRegistry.Listener listener, RegisteredSink sink) {
        tellSafely("Sink listener on sink '" + sink.name() + "'", () -> listener.sinkAdded(sink));
    }

    private static void tellSafely(String what, Runnable call) {
        try {
            call.run();
        } catch (RuntimeException | Error e) {
            Failures.rethrowIfFatal(e);
            LOG.log(Level.WARNING, what + " failed", e);
        }
    }
}
