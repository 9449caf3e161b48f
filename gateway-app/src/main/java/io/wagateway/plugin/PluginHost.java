package io.wagateway.plugin;

import io.wagateway.config.PluginSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Loads the plugin jars of the plugins directory with PF4J, keeps them in step with the directory,
 * and offers their engines and sinks to the rest of the host. PF4J is known only in this package;
 * the rest of the host sees {@link EngineRegistry}, {@link SinkRegistry} and {@link PluginRecord}s.
 *
 * <p>This class is the facade and owns the lock; the work is done by {@link PluginLoader} (start
 * and stop one jar, register and deregister its extensions), {@link PluginDirectorySync} (the
 * directory against what is loaded), {@link PluginDirectoryWatcher} (settled changes on disk) and
 * {@link PluginCatalog} (the jars and the snapshot readers see).
 *
 * <p>Isolation: whatever a jar does wrong (unreadable, no manifest, wrong API version, missing
 * dependency, taken id or name, invalid configuration, a throwing plugin or extension) is recorded
 * against that jar ({@link #plugins()}) and the jar is unloaded; nothing escapes to the caller or
 * stops other plugins. A plugin is all or nothing: when one of its extensions fails, none is
 * registered. A jar refused because of another plugin is tried again whenever plugins change.
 *
 * <p>Deadlines: every call into plugin code (constructors, {@code Plugin.start()}, {@code name()},
 * {@code configKeys()}, a sink's {@code start()}) runs on a thread of its own and is given up after
 * {@link PluginSettings#startTimeout()}; the plugin is then {@code FAILED} with the reason, and
 * start-up or the watcher goes on with the next jar. A {@code stop()} is given up after
 * {@link PluginSettings#stopTimeout()} and logged, and the plugin is unloaded anyway. So the lock
 * is never held longer than one deadline per call, and a plugin that hangs holds only its own thread.
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
    private final PluginCatalog catalog = new PluginCatalog();
    private final ExtensionListeners listeners = new ExtensionListeners();
    private final PluginCalls calls;

    // Guarded by lock.
    private PluginLoader loader;
    private PluginDirectorySync sync;
    private PluginDirectoryWatcher watcher;
    private boolean started;
    private volatile boolean closed;

    /** @param settings where the plugins are and how to configure them */
    public PluginHost(PluginSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.dir = settings.dir().toAbsolutePath().normalize();
        this.calls = new PluginCalls(settings.startTimeout(), settings.stopTimeout());
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
            GatewayPluginManager manager = new GatewayPluginManager(dir, calls);
            loader = new PluginLoader(manager, new PluginExtensions(manager, settings, calls), catalog, listeners);
            sync = new PluginDirectorySync(dir, catalog, loader, () -> closed);
            if (settings.watch()) {
                startWatching();
            }
            sync.rescan();
            LOG.info("Plugin host started on " + dir + ": " + catalog.engineNames().size() + " engine(s) "
                    + catalog.engineNames() + ", " + catalog.sinks().size() + " sink(s)"
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
                        whileOpen(() -> sync.jarSettled(jar));
                    }

                    @Override
                    public void rescan() {
                        whileOpen(() -> sync.rescan());
                    }
                });
        try {
            candidate.start();
            watcher = candidate;
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.SEVERE, "Cannot watch " + dir + "; plugins are loaded at start-up only", e);
        }
    }

    /** Runs a change for the watcher under the lock, unless the host is closing. */
    private void whileOpen(Runnable change) {
        lock.lock();
        try {
            if (!closed) {
                change.run();
            }
        } finally {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------- reads and listeners

    @Override
    public Optional<RegisteredEngine> find(String name) {
        return catalog.engine(name);
    }

    @Override
    public Set<String> names() {
        return catalog.engineNames();
    }

    @Override
    public List<RegisteredSink> sinks() {
        return catalog.sinks();
    }

    /** @return one record per jar in the plugins directory, ordered by file name */
    public List<PluginRecord> plugins() {
        return catalog.records();
    }

    /**
     * @param idOrFile a plugin id, or a jar's file name for jars whose id could not be read
     * @return that plugin's record; the started one when several jars claim the id
     */
    public Optional<PluginRecord> plugin(String idOrFile) {
        return catalog.record(idOrFile);
    }

    /**
     * Registers a listener. It is told {@link Listener#engineAdded} at once for every engine already
     * present (under the lock, so it misses none and sees none twice); add it before {@link #start()}
     * to hear about every engine as it comes.
     */
    @Override
    public void addListener(EngineRegistry.Listener listener) {
        lock.lock();
        try {
            listeners.add(listener, catalog.engines());
        } finally {
            lock.unlock();
        }
    }

    @Override
    public AutoCloseable addSinkListener(SinkRegistry.Listener listener) {
        lock.lock();
        try {
            return listeners.add(listener, catalog.sinks());
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops watching, tells the listeners every engine and sink is going, then stops and unloads
     * every plugin (dependents first). A plugin being started meanwhile is given up at once, not
     * waited for; each {@code stop()} gets its deadline. Idempotent.
     */
    @Override
    public void close() {
        // First: a jar being loaded holds the lock while it waits for its plugin; give that up, not wait.
        calls.abandonStarting("the plugin host is closing");
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
            if (loader != null) {
                loader.unloadAll();
                LOG.info("Plugin host closed");
            }
        } finally {
            lock.unlock();
        }
    }
}
