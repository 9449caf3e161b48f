package io.wagateway.plugin;

import java.util.List;

/**
 * The event sinks that are available now. Plugins come and go at run time; the sink dispatcher
 * follows them through a {@link Listener}.
 */
public interface SinkRegistry {

    /** @return the started sinks, in a stable order */
    List<RegisteredSink> sinks();

    /**
     * Registers a listener. It is told {@link Listener#sinkAdded} at once for every sink already
     * present, under the same lock that guards changes, so it misses none and sees none twice.
     *
     * @return a handle that removes the listener when closed
     */
    AutoCloseable addSinkListener(Listener listener);

    /** Told about sinks that come and go. Called on the thread that loads or unloads the plugin. */
    interface Listener {
        /** A sink was started and may now receive events. */
        default void sinkAdded(RegisteredSink sink) {
        }

        /**
         * A sink is about to be stopped (its plugin is being stopped, unloaded or replaced). By the
         * time this returns the listener must have stopped calling {@code deliver} on it, because
         * the host then calls {@link io.wagateway.api.EventSink#stop()} and unloads its classes.
         */
        default void sinkRemoving(RegisteredSink sink) {
        }
    }
}
