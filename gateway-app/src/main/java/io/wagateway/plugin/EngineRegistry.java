package io.wagateway.plugin;

import java.util.Optional;
import java.util.Set;

/**
 * The engines that are available now. Plugins come and go at run time, so callers look an engine
 * up each time they need it and keep no reference past the session that uses it.
 */
public interface EngineRegistry {

    /** @return the engine of that name, if a started plugin provides it */
    Optional<RegisteredEngine> find(String name);

    /** @return the names of the available engines */
    Set<String> names();

    /**
     * Registers a listener told when engines come and go. {@link Listener#engineRemoving} runs
     * before the providing plugin is stopped, so sessions can be stopped while its classes still work.
     */
    void addListener(Listener listener);

    /** Told about engines that come and go. */
    interface Listener {
        /** An engine became available (a plugin was loaded and started). */
        default void engineAdded(RegisteredEngine engine) {
        }

        /** An engine is about to go away (its plugin is being stopped, unloaded or replaced). */
        default void engineRemoving(RegisteredEngine engine) {
        }
    }
}
