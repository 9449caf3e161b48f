package io.wagateway.plugin;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The jars the host knows, by path, and the snapshot readers see: their records, the engines and
 * the sinks of the started ones. Changes happen under the plugin host's lock and become visible at
 * {@link #publish()}; reads use the last published snapshot and never wait.
 */
final class PluginCatalog {

    /** What readers see: replaced as a whole after every change. */
    private record Snapshot(List<PluginRecord> plugins, Map<String, RegisteredEngine> engines,
                            List<RegisteredSink> sinks) {
    }

    // Guarded by the host's lock.
    private final Map<Path, PluginJar> jars = new TreeMap<>();
    private volatile Snapshot snapshot = new Snapshot(List.of(), Map.of(), List.of());

    // ---------------------------------------------------------------- the jars (under the host's lock)

    /** @return the jar known at that path, or null */
    PluginJar jar(Path path) {
        return jars.get(path);
    }

    /** @return a new entry for a jar first seen at that path */
    PluginJar add(Path path) {
        PluginJar jar = new PluginJar(path);
        jars.put(path, jar);
        return jar;
    }

    void remove(Path path) {
        jars.remove(path);
    }

    /** @return every known jar, ordered by path (a copy: loading may change the table) */
    List<PluginJar> jars() {
        return List.copyOf(jars.values());
    }

    /** @return the started jars that need {@code provider} to run */
    List<PluginJar> runningDependentsOf(PluginJar provider) {
        return jars.values().stream()
                .filter(jar -> jar != provider && jar.running() && jar.dependsOn.contains(provider.pluginId))
                .toList();
    }

    /** @return who provides an engine of that name already, as "plugin 'x' (x.jar)", or null */
    String engineOwner(String name) {
        return ownerOf(name, jar -> jar.engines.stream().map(RegisteredEngine::name));
    }

    /** @return who provides a sink of that name already, as "plugin 'x' (x.jar)", or null */
    String sinkOwner(String name) {
        return ownerOf(name, jar -> jar.sinks.stream().map(RegisteredSink::name));
    }

    private String ownerOf(String name, Function<PluginJar, Stream<String>> namesOf) {
        for (PluginJar jar : jars.values()) {
            if (namesOf.apply(jar).anyMatch(name::equals)) {
                return "plugin '" + jar.pluginId + "' (" + jar.fileName() + ")";
            }
        }
        return null;
    }

    /** Makes the jars' current state what readers see. */
    void publish() {
        List<PluginRecord> records = new ArrayList<>();
        Map<String, RegisteredEngine> engines = new TreeMap<>();
        List<RegisteredSink> sinks = new ArrayList<>();
        for (PluginJar jar : jars.values()) {
            records.add(jar.toRecord());
            jar.engines.forEach(engine -> engines.put(engine.name(), engine));
            sinks.addAll(jar.sinks);
        }
        snapshot = new Snapshot(List.copyOf(records), Collections.unmodifiableMap(engines), List.copyOf(sinks));
    }

    // ---------------------------------------------------------------- reads (any thread)

    Optional<RegisteredEngine> engine(String name) {
        return Optional.ofNullable(snapshot.engines().get(name));
    }

    Set<String> engineNames() {
        return snapshot.engines().keySet();
    }

    List<RegisteredEngine> engines() {
        return List.copyOf(snapshot.engines().values());
    }

    List<RegisteredSink> sinks() {
        return snapshot.sinks();
    }

    List<PluginRecord> records() {
        return snapshot.plugins();
    }

    /** @return the record for a plugin id (the started one first) or, failing that, a jar's file name */
    Optional<PluginRecord> record(String idOrFile) {
        List<PluginRecord> all = snapshot.plugins();
        return all.stream().filter(r -> idOrFile.equals(r.id()) && r.state() == PluginRecord.State.STARTED).findFirst()
                .or(() -> all.stream().filter(r -> idOrFile.equals(r.id())).findFirst())
                .or(() -> all.stream().filter(r -> idOrFile.equals(r.file())).findFirst());
    }
}
