package io.wagateway.plugin;

import io.wagateway.api.GatewayApi;
import io.wagateway.config.PluginSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.pf4j.DependencyResolver;
import org.pf4j.PluginDependency;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginRuntimeException;
import org.pf4j.PluginState;
import org.pf4j.PluginWrapper;

/**
 * Loads the plugin jars of the plugins directory with PF4J, keeps them in step with the directory,
 * and offers their engines and sinks to the rest of the host. PF4J is known only here and in the
 * package-private helpers {@link GatewayPluginManager} and {@link PluginExtensions}; the rest of the
 * host sees {@link EngineRegistry}, {@link SinkRegistry} and {@link PluginRecord}s.
 *
 * <p>Isolation: whatever a jar does wrong (unreadable, no manifest, wrong API version, missing
 * dependency, taken id or name, invalid configuration, a throwing plugin or extension) is recorded
 * against that jar ({@link #plugins()}) and the jar is unloaded; nothing escapes to the caller or
 * stops other plugins. A plugin is all or nothing: when one of its extensions fails, none is
 * registered. A jar refused because of another plugin (a dependency not loaded, its id or an engine
 * or sink name already taken) is tried again whenever another plugin is loaded or unloaded.
 *
 * <p>Lifecycle: {@link #start()} once, then {@link #close()}. Threads: {@code start}, the directory
 * watcher and {@code close} change state under one lock; reads ({@link #find}, {@link #plugins()},
 * {@link #sinks()}) use an immutable snapshot and never wait. Listeners are called on the thread
 * that loads or unloads, with the lock held: they must not wait for another thread that calls
 * {@code addListener}, {@code start} or {@code close}.
 */
public final class PluginHost implements EngineRegistry, SinkRegistry, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(PluginHost.class.getName());

    private final PluginSettings settings;
    private final Path dir;
    private final ReentrantLock lock = new ReentrantLock();
    private final List<EngineRegistry.Listener> engineListeners = new CopyOnWriteArrayList<>();
    private final List<SinkRegistry.Listener> sinkListeners = new CopyOnWriteArrayList<>();

    // Guarded by lock.
    private final Map<Path, PluginJar> jars = new TreeMap<>();
    private GatewayPluginManager manager;
    private PluginExtensions extensions;
    private PluginDirectoryWatcher watcher;
    private boolean started;
    private volatile boolean closed;

    private volatile Snapshot snapshot = new Snapshot(List.of(), Map.of(), List.of());

    /** @param settings where the plugins are and how to configure them */
    public PluginHost(PluginSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.dir = settings.dir().toAbsolutePath().normalize();
    }

    /**
     * Creates the plugins directory when missing, loads and starts every jar in it, and watches it
     * when {@link PluginSettings#watch()} is set. Plugin failures are recorded, never thrown.
     *
     * @throws UncheckedIOException  when the plugins directory cannot be created or listed
     * @throws IllegalStateException when called twice or after {@link #close()}
     */
    public void start() {
        lock.lock();
        try {
            if (started || closed) {
                throw new IllegalStateException(closed ? "Plugin host is closed" : "Plugin host already started");
            }
            started = true;
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot create the plugins directory " + dir, e);
            }
            manager = new GatewayPluginManager(dir);
            extensions = new PluginExtensions(manager, settings);
            if (settings.watch()) {
                startWatching();
            }
            // Directory order first; jars waiting for a dependency are retried once all are in.
            for (Path jar : listJars()) {
                reconcile(jar, false);
            }
            retryWaiting();
            publish();
            LOG.info("Plugin host started on " + dir + ": " + snapshot.engines().keySet().size() + " engine(s) "
                    + snapshot.engines().keySet() + ", " + snapshot.sinks().size() + " sink(s)"
                    + (settings.watch() ? "; watching for changes" : ""));
        } finally {
            lock.unlock();
        }
    }

    /** Watches the directory; registered before the first scan, so no jar dropped meanwhile is missed. */
    private void startWatching() {
        PluginDirectoryWatcher candidate = new PluginDirectoryWatcher(dir, settings.debounce(),
                new PluginDirectoryWatcher.Handler() {
                    @Override
                    public void jarSettled(Path jar) {
                        onJarSettled(jar);
                    }

                    @Override
                    public void rescan() {
                        onRescan();
                    }
                });
        try {
            candidate.start();
            watcher = candidate;
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.SEVERE, "Cannot watch " + dir + "; plugins are loaded at start-up only", e);
        }
    }

    private void onJarSettled(Path jar) {
        lock.lock();
        try {
            if (!closed) {
                reconcile(jar, true);
                publish();
            }
        } finally {
            lock.unlock();
        }
    }

    private void onRescan() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            Set<Path> all = new TreeSet<>(jars.keySet());
            all.addAll(listJars());
            for (Path jar : all) {
                reconcile(jar, false);
            }
            retryWaiting();
            publish();
        } finally {
            lock.unlock();
        }
    }

    /** Brings one jar in step with the disk: load it, reload it when it changed, unload it when gone. */
    private void reconcile(Path jar, boolean retryAfterwards) {
        Optional<JarFingerprint> onDisk = JarFingerprint.read(jar);
        PluginJar known = jars.get(jar);
        if (onDisk.isEmpty()) {
            if (known == null) {
                return;
            }
            LOG.info("Plugin jar " + known.fileName() + " removed");
            unload(known, false);
            jars.remove(jar);
        } else if (known == null) {
            PluginJar added = new PluginJar(jar);
            jars.put(jar, added);
            load(added, onDisk.get());
        } else if (!onDisk.get().equals(known.fingerprint)) {
            LOG.info("Plugin jar " + known.fileName() + " changed; reloading it");
            unload(known, false);
            load(known, onDisk.get());
        } else {
            return;
        }
        if (retryAfterwards) {
            retryWaiting();
        }
    }

    /** Tries again the jars refused because of other plugins, until a round starts none. */
    private void retryWaiting() {
        boolean progress = true;
        while (progress && !closed) {
            progress = false;
            for (PluginJar jar : List.copyOf(jars.values())) {
                if (jar.state == PluginRecord.State.FAILED && jar.retryable) {
                    Optional<JarFingerprint> onDisk = JarFingerprint.read(jar.path);
                    if (onDisk.isPresent()) {
                        load(jar, onDisk.get());
                        progress |= jar.running();
                    }
                }
            }
        }
    }

    // ---------------------------------------------------------------- loading

    private void load(PluginJar jar, JarFingerprint fingerprint) {
        jar.fingerprint = fingerprint;
        jar.engines = List.of();
        jar.sinks = List.of();
        try {
            PluginDescriptor descriptor = describe(jar);
            checkIdFree(descriptor);
            checkDependenciesStarted(descriptor);
            String pluginId = loadIntoManager(jar);
            startPlugin(pluginId, descriptor);
            PluginExtensions.Created created = extensions.create(pluginId,
                    name -> ownerOf(name, j -> j.engines.stream().map(RegisteredEngine::name)),
                    name -> ownerOf(name, j -> j.sinks.stream().map(RegisteredSink::name)));
            jar.engines = created.engines();
            jar.sinks = created.sinks();
            mark(jar, PluginRecord.State.STARTED, null, false, null);
        } catch (PluginRefusedException refused) {
            discard(jar);
            mark(jar, refused.state(), refused.getMessage(), refused.retryable(), refused.getCause());
            return;
        } catch (Exception | Error e) {
            // Plugin code can throw anything, even checked exceptions it does not declare.
            Failures.rethrowIfFatal(e);
            discard(jar);
            mark(jar, PluginRecord.State.FAILED, Failures.describe(e), false, e);
            return;
        }
        publish();
        for (RegisteredEngine engine : jar.engines) {
            for (EngineRegistry.Listener listener : engineListeners) {
                tell(listener, engine);
            }
        }
        for (RegisteredSink sink : jar.sinks) {
            for (SinkRegistry.Listener listener : sinkListeners) {
                tell(listener, sink);
            }
        }
    }

    private PluginDescriptor describe(PluginJar jar) throws PluginRefusedException {
        PluginDescriptor descriptor;
        try {
            descriptor = manager.describe(jar.path);
        } catch (RuntimeException e) {
            jar.pluginId = null;
            jar.version = null;
            jar.dependsOn = Set.of();
            // PF4J's own refusals without a cause say it all; anything else gets its type named.
            boolean plain = e instanceof PluginRuntimeException && e.getCause() == null;
            throw PluginRefusedException.failed(plain ? e.getMessage() : Failures.describe(e), plain ? null : e);
        }
        jar.pluginId = descriptor.getPluginId();
        jar.version = descriptor.getVersion();
        Set<String> dependsOn = new LinkedHashSet<>();
        for (PluginDependency dependency : descriptor.getDependencies()) {
            dependsOn.add(dependency.getPluginId());
        }
        jar.dependsOn = Set.copyOf(dependsOn);
        return descriptor;
    }

    private void checkIdFree(PluginDescriptor descriptor) throws PluginRefusedException {
        PluginWrapper existing = manager.getPlugin(descriptor.getPluginId());
        if (existing != null) {
            throw PluginRefusedException.waiting("Plugin id '" + descriptor.getPluginId() + "' is already used by "
                    + existing.getPluginPath().getFileName());
        }
    }

    private void checkDependenciesStarted(PluginDescriptor descriptor) throws PluginRefusedException {
        List<String> missing = new ArrayList<>();
        for (PluginDependency dependency : descriptor.getDependencies()) {
            PluginWrapper provider = manager.getPlugin(dependency.getPluginId());
            if (!dependency.isOptional() && (provider == null || provider.getPluginState() != PluginState.STARTED)) {
                missing.add(dependency.getPluginId());
            }
        }
        if (!missing.isEmpty()) {
            throw PluginRefusedException.waiting("Missing plugin dependenc" + (missing.size() == 1 ? "y " : "ies ")
                    + String.join(", ", missing.stream().map(id -> "'" + id + "'").toList())
                    + " (not loaded or not started)");
        }
    }

    /** PF4J checks dependency versions here; its refusal may concern another plugin, so it is retried. */
    private String loadIntoManager(PluginJar jar) throws PluginRefusedException {
        try {
            return manager.loadPlugin(jar.path);
        } catch (DependencyResolver.DependenciesWrongVersionException e) {
            throw PluginRefusedException.waiting(String.join("; ", e.getDependencies().stream()
                    .map(wrong -> "Requires plugin '" + wrong.getDependencyId() + "' version '" + wrong.getRequiredVersion()
                            + "' but " + wrong.getExistingVersion() + " is loaded")
                    .toList()));
        } catch (PluginRuntimeException e) {
            LOG.log(Level.FINE, "PF4J refused " + jar.fileName(), e);
            throw PluginRefusedException.waiting("Cannot load: " + Failures.describe(e));
        }
    }

    private void startPlugin(String pluginId, PluginDescriptor descriptor) throws PluginRefusedException {
        PluginWrapper wrapper = manager.getPlugin(pluginId);
        if (wrapper.getPluginState() == PluginState.DISABLED) {
            if (wrapper.getFailedException() != null) {
                // PF4J disables a plugin whose Plugin-Requires does not accept the system version.
                throw PluginRefusedException.failed("Requires gateway API '" + descriptor.getRequires()
                        + "' but this gateway provides " + GatewayApi.VERSION, null);
            }
            throw PluginRefusedException.disabled();
        }
        PluginState state = manager.startPlugin(pluginId);
        if (state != PluginState.STARTED) {
            Throwable failure = wrapper.getFailedException();
            throw PluginRefusedException.failed("Plugin failed to start: "
                    + (failure == null ? "state " + state : Failures.describe(failure)), null);
        }
    }

    /** @return who provides that name already, as "plugin 'x' (x.jar)", or null */
    private String ownerOf(String name, Function<PluginJar, Stream<String>> namesOf) {
        for (PluginJar jar : jars.values()) {
            if (namesOf.apply(jar).anyMatch(name::equals)) {
                return "plugin '" + jar.pluginId + "' (" + jar.fileName() + ")";
            }
        }
        return null;
    }

    /** Undoes a failed load: unloads whatever PF4J holds of the jar. */
    private void discard(PluginJar jar) {
        jar.engines = List.of();
        jar.sinks = List.of();
        for (PluginWrapper wrapper : manager.getPlugins()) {
            if (wrapper.getPluginPath().equals(jar.path)) {
                unloadFromManager(wrapper.getPluginId());
            }
        }
    }

    // ---------------------------------------------------------------- unloading

    /**
     * Stops a running plugin: first the plugins that depend on it (PF4J would stop them anyway, but
     * their engines must be announced first), then its engines and sinks leave the snapshot, the
     * listeners are told while its classes still work, and PF4J stops and unloads it.
     *
     * @param closing true when the host shuts down: dependents become {@code UNLOADED}, not {@code FAILED}
     */
    private void unload(PluginJar jar, boolean closing) {
        if (!jar.running()) {
            return;
        }
        for (PluginJar other : List.copyOf(jars.values())) {
            if (other != jar && other.running() && other.dependsOn.contains(jar.pluginId)) {
                unload(other, closing);
                if (closing) {
                    mark(other, PluginRecord.State.UNLOADED, null, false, null);
                } else {
                    mark(other, PluginRecord.State.FAILED, "Stopped because plugin '" + jar.pluginId
                            + "', which it depends on, was unloaded", true, null);
                }
            }
        }
        List<RegisteredEngine> engines = jar.engines;
        List<RegisteredSink> sinks = jar.sinks;
        jar.engines = List.of();
        jar.sinks = List.of();
        publish();
        for (RegisteredEngine engine : engines) {
            for (EngineRegistry.Listener listener : engineListeners) {
                tellSafely("Engine listener on removal of engine '" + engine.name() + "'",
                        () -> listener.engineRemoving(engine));
            }
        }
        for (RegisteredSink sink : sinks) {
            for (SinkRegistry.Listener listener : sinkListeners) {
                tellSafely("Sink listener on removal of sink '" + sink.name() + "'", () -> listener.sinkRemoving(sink));
            }
            PluginExtensions.stop(sink);
        }
        unloadFromManager(jar.pluginId);
        LOG.info("Plugin " + jar.label() + " stopped and unloaded");
    }

    /** PF4J stops the plugin (its stop() failures are logged by PF4J) and closes its class loader. */
    private void unloadFromManager(String pluginId) {
        if (pluginId == null || manager.getPlugin(pluginId) == null) {
            return;
        }
        try {
            if (!manager.unloadPlugin(pluginId)) {
                LOG.warning("PF4J did not unload plugin '" + pluginId + "'");
            }
        } catch (RuntimeException | Error e) {
            Failures.rethrowIfFatal(e);
            LOG.log(Level.WARNING, "Cannot unload plugin '" + pluginId + "'", e);
        }
    }

    // ---------------------------------------------------------------- state and snapshot

    private void mark(PluginJar jar, PluginRecord.State state, String error, boolean retryable, Throwable cause) {
        String line = error == null ? null : Failures.oneLine(error);
        boolean changed = jar.updatedAt == null || jar.state != state || !Objects.equals(jar.lastError, line);
        jar.state = state;
        jar.lastError = line;
        jar.retryable = retryable;
        if (!changed) {
            return;
        }
        jar.updatedAt = Instant.now();
        switch (state) {
            case STARTED -> LOG.info("Plugin " + jar.label() + " started: engines " + jar.engines.stream()
                    .map(RegisteredEngine::name).toList() + ", sinks " + jar.sinks.stream().map(RegisteredSink::name).toList());
            case FAILED -> LOG.log(Level.WARNING, "Plugin " + jar.label() + " refused: " + line
                    + (retryable ? " (tried again when plugins change)" : ""), cause);
            case DISABLED -> LOG.info("Plugin " + jar.label() + " is disabled");
            case UNLOADED -> LOG.fine(() -> "Plugin " + jar.label() + " unloaded");
        }
    }

    private void publish() {
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

    private List<Path> listJars() {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(file -> JarFingerprint.read(file).isPresent()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list the plugins directory " + dir, e);
        }
    }

    // ---------------------------------------------------------------- reads and listeners

    @Override
    public Optional<RegisteredEngine> find(String name) {
        return Optional.ofNullable(snapshot.engines().get(name));
    }

    @Override
    public Set<String> names() {
        return snapshot.engines().keySet();
    }

    @Override
    public List<RegisteredSink> sinks() {
        return snapshot.sinks();
    }

    /** @return one record per jar in the plugins directory, ordered by file name */
    public List<PluginRecord> plugins() {
        return snapshot.plugins();
    }

    /**
     * @param idOrFile a plugin id, or a jar's file name for jars whose id could not be read
     * @return that plugin's record; the started one when several jars claim the id
     */
    public Optional<PluginRecord> plugin(String idOrFile) {
        List<PluginRecord> all = snapshot.plugins();
        return all.stream().filter(r -> idOrFile.equals(r.id()) && r.state() == PluginRecord.State.STARTED).findFirst()
                .or(() -> all.stream().filter(r -> idOrFile.equals(r.id())).findFirst())
                .or(() -> all.stream().filter(r -> idOrFile.equals(r.file())).findFirst());
    }

    /**
     * Registers a listener. It is told {@link Listener#engineAdded} at once for every engine already
     * present (under the lock, so it misses none and sees none twice); add it before {@link #start()}
     * to hear about every engine as it comes.
     */
    @Override
    public void addListener(EngineRegistry.Listener listener) {
        Objects.requireNonNull(listener, "listener");
        lock.lock();
        try {
            engineListeners.add(listener);
            snapshot.engines().values().forEach(engine -> tell(listener, engine));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public AutoCloseable addSinkListener(SinkRegistry.Listener listener) {
        Objects.requireNonNull(listener, "listener");
        lock.lock();
        try {
            sinkListeners.add(listener);
            snapshot.sinks().forEach(sink -> tell(listener, sink));
        } finally {
            lock.unlock();
        }
        return () -> sinkListeners.remove(listener);
    }

    private static void tell(EngineRegistry.Listener listener, RegisteredEngine engine) {
        tellSafely("Engine listener on engine '" + engine.name() + "'", () -> listener.engineAdded(engine));
    }

    private static void tell(SinkRegistry.Listener listener, RegisteredSink sink) {
        tellSafely("Sink listener on sink '" + sink.name() + "'", () -> listener.sinkAdded(sink));
    }

    /** Calls one listener; its failure is logged and contained, so the others are still told. */
    private static void tellSafely(String what, Runnable call) {
        try {
            call.run();
        } catch (RuntimeException | Error e) {
            Failures.rethrowIfFatal(e);
            LOG.log(Level.WARNING, what + " failed", e);
        }
    }

    /**
     * Stops watching, tells the listeners every engine and sink is going, then stops and unloads
     * every plugin (dependents first). Idempotent.
     */
    @Override
    public void close() {
        PluginDirectoryWatcher stopping;
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            stopping = watcher;
            watcher = null;
        } finally {
            lock.unlock();
        }
        // Outside the lock: the watcher thread may be waiting for it, and then sees 'closed'.
        if (stopping != null) {
            stopping.close();
        }
        lock.lock();
        try {
            if (manager == null) {
                return;
            }
            List<PluginJar> all = new ArrayList<>(jars.values());
            Collections.reverse(all);
            for (PluginJar jar : all) {
                if (jar.running()) {
                    unload(jar, true);
                    mark(jar, PluginRecord.State.UNLOADED, null, false, null);
                }
            }
            publish();
            LOG.info("Plugin host closed");
        } finally {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------- types

    /** What readers see: replaced as a whole after every change. */
    private record Snapshot(List<PluginRecord> plugins, Map<String, RegisteredEngine> engines,
                            List<RegisteredSink> sinks) {
    }

    /** One jar of the plugins directory and what became of it. Guarded by the host's lock. */
    private static final class PluginJar {
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

        String fileName() {
            return path.getFileName().toString();
        }

        String label() {
            return (pluginId == null ? "?" : pluginId + "@" + version) + " (" + fileName() + ")";
        }

        PluginRecord toRecord() {
            List<PluginRecord.Extension> extensions = new ArrayList<>();
            engines.forEach(engine -> extensions.add(PluginRecord.Extension.engine(engine.name())));
            sinks.forEach(sink -> extensions.add(PluginRecord.Extension.sink(sink.name())));
            return new PluginRecord(pluginId, version, fileName(), state, extensions, lastError, updatedAt);
        }
    }
}
