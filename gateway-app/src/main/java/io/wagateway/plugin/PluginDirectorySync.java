package io.wagateway.plugin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * Keeps the loaded plugins in step with the plugins directory: a jar that appeared is loaded, one
 * that changed on disk is reloaded, one that is gone is unloaded. A jar refused because of another
 * plugin (a dependency not loaded, its id or an engine or sink name already taken) is tried again
 * whenever another plugin is loaded or unloaded. Used under the plugin host's lock.
 */
final class PluginDirectorySync {

    private static final Logger LOG = Logger.getLogger(PluginDirectorySync.class.getName());

    private final Path dir;
    private final PluginCatalog catalog;
    private final PluginLoader loader;
    private final BooleanSupplier closed;

    /**
     * @param dir    the plugins directory, absolute
     * @param closed whether the host is closing, so retries stop
     */
    PluginDirectorySync(Path dir, PluginCatalog catalog, PluginLoader loader, BooleanSupplier closed) {
        this.dir = dir;
        this.catalog = catalog;
        this.loader = loader;
        this.closed = closed;
    }

    /**
     * Compares the whole directory with what is loaded: at start-up, and when the watcher lost events.
     * Directory order first; jars waiting for a dependency are retried once all are in.
     *
     * @throws UncheckedIOException when the directory cannot be listed
     */
    void rescan() {
        Set<Path> all = new TreeSet<>();
        catalog.jars().forEach(jar -> all.add(jar.path));
        all.addAll(listJars());
        for (Path jar : all) {
            reconcile(jar);
        }
        retryWaiting();
        catalog.publish();
    }

    /** One jar changed on disk (appeared, was rewritten or replaced, or disappeared). */
    void jarSettled(Path jar) {
        if (reconcile(jar)) {
            retryWaiting();
        }
        catalog.publish();
    }

    /** @return whether anything was loaded or unloaded */
    private boolean reconcile(Path path) {
        Optional<JarFingerprint> onDisk = JarFingerprint.read(path);
        PluginJar known = catalog.jar(path);
        if (onDisk.isEmpty()) {
            if (known == null) {
                return false;
            }
            LOG.info("Plugin jar " + known.fileName() + " removed");
            loader.unload(known, false);
            catalog.remove(path);
        } else if (known == null) {
            loader.load(catalog.add(path), onDisk.get());
        } else if (!onDisk.get().equals(known.fingerprint)) {
            LOG.info("Plugin jar " + known.fileName() + " changed; reloading it");
            loader.unload(known, false);
            loader.load(known, onDisk.get());
        } else {
            return false;
        }
        return true;
    }

    /** Tries again the jars refused because of other plugins, until a round starts none. */
    private void retryWaiting() {
        boolean progress = true;
        while (progress && !closed.getAsBoolean()) {
            progress = false;
            for (PluginJar jar : catalog.jars()) {
                if (jar.waiting()) {
                    Optional<JarFingerprint> onDisk = JarFingerprint.read(jar.path);
                    if (onDisk.isPresent()) {
                        loader.load(jar, onDisk.get());
                        progress |= jar.running();
                    }
                }
            }
        }
    }

    private List<Path> listJars() {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(file -> JarFingerprint.read(file).isPresent()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list the plugins directory " + dir, e);
        }
    }
}
