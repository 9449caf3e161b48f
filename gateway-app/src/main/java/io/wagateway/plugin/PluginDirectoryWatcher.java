package io.wagateway.plugin;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Watches the plugins directory and reports each {@code *.jar} whose state on disk has settled
 * after a change: its size, time and identity stayed the same for the debounce time (a jar being
 * copied in fires many events), or it is gone. It does not say what changed; the receiver compares
 * with what it has loaded. Temporary names ({@code x.jar.part}) are ignored, so a jar written
 * elsewhere and moved in atomically is seen once, complete.
 *
 * <p>Runs on one virtual thread; {@link Handler} calls happen on it, one at a time.
 */
final class PluginDirectoryWatcher implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(PluginDirectoryWatcher.class.getName());
    private static final Duration MAX_TICK = Duration.ofMillis(100);
    private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(30);

    /** Receives settled changes. Its exceptions are logged; the watcher keeps running. */
    interface Handler {
        /** A jar changed (appeared, was rewritten or replaced, or disappeared) and is now stable. */
        void jarSettled(Path jar);

        /** Events were lost (the system's queue overflowed): compare the whole directory. */
        void rescan();
    }

    /** A jar that changed recently, with what it looked like when last seen and since when. */
    private record Pending(Optional<JarFingerprint> fingerprint, long sinceNanos) {
    }

    private final Path dir;
    private final Duration debounce;
    private final Handler handler;
    private final Map<Path, Pending> pending = new HashMap<>();
    private WatchService watchService;
    private Thread thread;
    private volatile boolean closed;

    PluginDirectoryWatcher(Path dir, Duration debounce, Handler handler) {
        this.dir = dir;
        this.debounce = debounce;
        this.handler = handler;
    }

    /**
     * Registers the directory and starts watching. Events from the moment this returns are seen.
     *
     * @throws IOException when the directory cannot be watched
     */
    void start() throws IOException {
        watchService = FileSystems.getDefault().newWatchService();
        try {
            dir.register(watchService, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_DELETE,
                    StandardWatchEventKinds.ENTRY_MODIFY);
        } catch (IOException | RuntimeException e) {
            watchService.close();
            throw e;
        }
        thread = Thread.ofVirtual().name("plugin-dir-watcher").start(this::run);
    }

    private void run() {
        try {
            boolean watching = true;
            while (watching && !closed) {
                WatchKey key = pending.isEmpty()
                        ? watchService.take()
                        : watchService.poll(tick().toMillis(), TimeUnit.MILLISECONDS);
                if (key != null) {
                    watching = collect(key);
                }
                settle();
            }
        } catch (ClosedWatchServiceException | InterruptedException e) {
            // close() was called: the normal way out.
        } catch (RuntimeException | Error e) {
            LOG.log(Level.SEVERE, "Plugin directory watcher stopped; jars dropped into " + dir
                    + " are no longer picked up until the gateway restarts", e);
        }
    }

    /** @return false when the key is no longer valid (the directory was deleted or became inaccessible) */
    private boolean collect(WatchKey key) {
        boolean overflow = false;
        for (WatchEvent<?> event : key.pollEvents()) {
            if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
                overflow = true;
            } else if (event.context() instanceof Path name && JarFingerprint.isJarName(name)) {
                Path jar = dir.resolve(name);
                // Every event restarts the jar's quiet period.
                pending.put(jar, new Pending(JarFingerprint.read(jar), System.nanoTime()));
            }
        }
        if (overflow) {
            safely("rescan", handler::rescan);
        }
        if (!key.reset()) {
            LOG.warning("Plugin directory " + dir + " can no longer be watched (deleted?); "
                    + "jars dropped in are not picked up until the gateway restarts");
            return false;
        }
        return true;
    }

    /** Reports the jars that stayed unchanged for the debounce time. */
    private void settle() {
        long now = System.nanoTime();
        List<Path> settled = new ArrayList<>();
        for (Iterator<Map.Entry<Path, Pending>> it = pending.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Path, Pending> entry = it.next();
            Optional<JarFingerprint> current = JarFingerprint.read(entry.getKey());
            if (!Objects.equals(current, entry.getValue().fingerprint())) {
                entry.setValue(new Pending(current, now));
            } else if (now - entry.getValue().sinceNanos() >= debounce.toNanos()) {
                settled.add(entry.getKey());
                it.remove();
            }
        }
        for (Path jar : settled) {
            if (closed) {
                return;
            }
            safely("handling " + jar.getFileName(), () -> handler.jarSettled(jar));
        }
    }

    private Duration tick() {
        Duration half = debounce.dividedBy(2);
        return half.compareTo(MAX_TICK) > 0 ? MAX_TICK : half.isZero() ? Duration.ofMillis(1) : half;
    }

    private void safely(String what, Runnable action) {
        try {
            action.run();
        } catch (RuntimeException | Error e) {
            Failures.rethrowIfFatal(e);
            LOG.log(Level.SEVERE, "Plugin directory watcher failed " + what, e);
        }
    }

    /** Stops watching and waits for a change being handled to finish. Idempotent. */
    @Override
    public void close() {
        closed = true;
        if (watchService == null) {
            return;
        }
        try {
            watchService.close();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "Cannot close the plugin directory watch service", e);
        }
        if (thread != null && thread != Thread.currentThread()) {
            try {
                if (!thread.join(JOIN_TIMEOUT)) {
                    LOG.warning("Plugin directory watcher did not stop within " + JOIN_TIMEOUT);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
