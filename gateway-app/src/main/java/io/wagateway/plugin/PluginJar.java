package io.wagateway.plugin;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One jar of the plugins directory and what became of it: the mutable counterpart of the
 * {@link PluginRecord} admins see. Guarded by the plugin host's lock.
 */
final class PluginJar {

    private static final Logger LOG = Logger.getLogger(PluginJar.class.getName());

    final Path path;
    JarFingerprint fingerprint;
    String pluginId;
    String version;
    Set<String> dependsOn = Set.of();
    PluginRecord.State state = PluginRecord.State.FAILED;
    List<RegisteredEngine> engines = List.of();
    List<RegisteredSink> sinks = List.of();
    String lastError;
    /** Refused because of another plugin (dependency, id, name): tried again when plugins change. */
    boolean retryable;
    Instant updatedAt;

    PluginJar(Path path) {
        this.path = path;
    }

    boolean running() {
        return state == PluginRecord.State.STARTED;
    }

    /** @return whether it waits for another plugin and can be tried again */
    boolean waiting() {
        return state == PluginRecord.State.FAILED && retryable;
    }

    String fileName() {
        return path.getFileName().toString();
    }

    String label() {
        return (pluginId == null ? "?" : pluginId + "@" + version) + " (" + fileName() + ")";
    }

    /**
     * Records what became of the jar, and logs it when that changed.
     *
     * @param error     why it is not running, or null
     * @param retryable whether it is to be tried again when other plugins change
     * @param cause     for the log only, or null
     */
    void mark(PluginRecord.State newState, String error, boolean retryable, Throwable cause) {
        String line = error == null ? null : Failures.oneLine(error);
        boolean changed = updatedAt == null || state != newState || !Objects.equals(lastError, line);
        state = newState;
        lastError = line;
        this.retryable = retryable;
        if (!changed) {
            return;
        }
        updatedAt = Instant.now();
        switch (newState) {
            case STARTED -> LOG.info("Plugin " + label() + " started: engines " + engines.stream()
                    .map(RegisteredEngine::name).toList() + ", sinks " + sinks.stream().map(RegisteredSink::name).toList());
            case FAILED -> LOG.log(Level.WARNING, "Plugin " + label() + " refused: " + line
                    + (retryable ? " (tried again when plugins change)" : ""), cause);
            case DISABLED -> LOG.info("Plugin " + label() + " is disabled");
            case UNLOADED -> LOG.fine(() -> "Plugin " + label() + " unloaded");
        }
    }

    PluginRecord toRecord() {
        List<PluginRecord.Extension> extensions = new ArrayList<>();
        engines.forEach(engine -> extensions.add(PluginRecord.Extension.engine(engine.name())));
        sinks.forEach(sink -> extensions.add(PluginRecord.Extension.sink(sink.name())));
        return new PluginRecord(pluginId, version, fileName(), state, extensions, lastError, updatedAt);
    }
}
