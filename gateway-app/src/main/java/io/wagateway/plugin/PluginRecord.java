package io.wagateway.plugin;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What the host knows about one jar in the plugins directory, for admins ({@code GET /api/plugins}).
 *
 * @param id         the PF4J plugin id ({@code Plugin-Id}); null when the jar could not be read
 * @param version    the plugin's version ({@code Plugin-Version}); null when the jar could not be read
 * @param file       the jar's file name, without its directory
 * @param state      what became of it
 * @param extensions the engines and sinks it registered; empty unless {@link State#STARTED}
 * @param lastError  why it is not running, in one line (no stack trace); null when all is well
 * @param updatedAt  when the state or error last changed
 */
public record PluginRecord(String id, String version, String file, State state, List<Extension> extensions,
                           String lastError, Instant updatedAt) {

    /** Validates the required fields and copies the list. */
    public PluginRecord {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(updatedAt, "updatedAt");
        extensions = List.copyOf(extensions);
    }

    /** A plugin's state; the names are PF4J's, except that PF4J has no name for "refused by the host". */
    public enum State {
        /** Loaded and started; its extensions are registered. */
        STARTED,
        /** Turned off by the administrator ({@code disabled.txt} or {@code enabled.txt} in the plugins directory). */
        DISABLED,
        /**
         * Not running because of an error: see {@link #lastError()}. Also used for a jar whose
         * {@code Plugin-Requires} does not accept this gateway's API version, which PF4J calls DISABLED.
         */
        FAILED,
        /** Stopped and unloaded because the host shut down. */
        UNLOADED
    }

    /**
     * One extension a plugin registered.
     *
     * @param type {@code engine} or {@code sink}
     * @param name the engine's or sink's name
     */
    public record Extension(String type, String name) {

        /** @return an engine entry */
        public static Extension engine(String name) {
            return new Extension("engine", name);
        }

        /** @return a sink entry */
        public static Extension sink(String name) {
            return new Extension("sink", name);
        }
    }
}
