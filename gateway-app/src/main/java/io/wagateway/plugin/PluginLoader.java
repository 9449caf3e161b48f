package io.wagateway.plugin;

import io.wagateway.api.GatewayApi;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.pf4j.DependencyResolver;
import org.pf4j.PluginDependency;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginRuntimeException;
import org.pf4j.PluginState;
import org.pf4j.PluginWrapper;

/**
 * Starts and stops one jar at a time with PF4J: loading checks the jar, starts the plugin and
 * registers its engines and sinks (snapshot first, then the listeners); unloading deregisters them
 * (listeners first, while the plugin's classes still work), then stops and unloads the plugin.
 *
 * <p>Isolation: whatever a jar does wrong is recorded against it ({@link PluginJar#mark}) and the
 * jar is unloaded again; nothing escapes to the caller. All or nothing: when one extension fails,
 * none is registered. Used under the plugin host's lock (PF4J is not thread-safe).
 */
final class PluginLoader {

    private static final Logger LOG = Logger.getLogger(PluginLoader.class.getName());

    private final GatewayPluginManager manager;
    private final PluginExtensions extensions;
    private final PluginCatalog catalog;
    private final ExtensionListeners listeners;

    PluginLoader(GatewayPluginManager manager, PluginExtensions extensions, PluginCatalog catalog,
                 ExtensionListeners listeners) {
        this.manager = manager;
        this.extensions = extensions;
        this.catalog = catalog;
        this.listeners = listeners;
    }

    // ---------------------------------------------------------------- loading

    /** Loads and starts the jar as it is on disk now; afterwards it is started, or marked with why not. */
    void load(PluginJar jar, JarFingerprint fingerprint) {
        jar.fingerprint = fingerprint;
        jar.engines = List.of();
        jar.sinks = List.of();
        try {
            PluginDescriptor descriptor = describe(jar);
            checkIdFree(descriptor);
            checkDependenciesStarted(descriptor);
            String pluginId = loadIntoManager(jar);
            startPlugin(pluginId, descriptor);
            PluginExtensions.Created created = extensions.create(pluginId, catalog::engineOwner, catalog::sinkOwner);
            jar.engines = created.engines();
            jar.sinks = created.sinks();
            jar.mark(PluginRecord.State.STARTED, null, false, null);
        } catch (PluginRefusedException refused) {
            discard(jar);
            jar.mark(refused.state(), refused.getMessage(), refused.retryable(), refused.getCause());
            return;
        } catch (Exception | Error e) {
            // Plugin code can throw anything, even checked exceptions it does not declare.
            Failures.rethrowIfFatal(e);
            discard(jar);
            jar.mark(PluginRecord.State.FAILED, Failures.describe(e), false, e);
            return;
        }
        catalog.publish();
        listeners.added(jar.engines, jar.sinks);
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
    void unload(PluginJar jar, boolean closing) {
        if (!jar.running()) {
            return;
        }
        for (PluginJar other : catalog.runningDependentsOf(jar)) {
            // Checked again: unloading an earlier dependent may have taken this one down already.
            if (!other.running()) {
                continue;
            }
            unload(other, closing);
            if (closing) {
                other.mark(PluginRecord.State.UNLOADED, null, false, null);
            } else {
                other.mark(PluginRecord.State.FAILED, "Stopped because plugin '" + jar.pluginId
                        + "', which it depends on, was unloaded", true, null);
            }
        }
        List<RegisteredEngine> engines = jar.engines;
        List<RegisteredSink> sinks = jar.sinks;
        jar.engines = List.of();
        jar.sinks = List.of();
        catalog.publish();
        engines.forEach(listeners::engineRemoving);
        for (RegisteredSink sink : sinks) {
            listeners.sinkRemoving(sink);
            extensions.stop(sink);
        }
        unloadFromManager(jar.pluginId);
        LOG.info("Plugin " + jar.label() + " stopped and unloaded");
    }

    /** Unloads every running plugin for the host's shutdown, in reverse path order; dependents still go first. */
    void unloadAll() {
        for (PluginJar jar : catalog.jars().reversed()) {
            if (jar.running()) {
                unload(jar, true);
                jar.mark(PluginRecord.State.UNLOADED, null, false, null);
            }
        }
        catalog.publish();
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
}
