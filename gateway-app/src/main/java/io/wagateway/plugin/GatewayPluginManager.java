package io.wagateway.plugin;

import io.wagateway.api.GatewayApi;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.jar.Manifest;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.pf4j.DefaultExtensionFactory;
import org.pf4j.ExtensionFactory;
import org.pf4j.JarPluginManager;
import org.pf4j.ManifestPluginDescriptorFinder;
import org.pf4j.Plugin;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginDescriptorFinder;
import org.pf4j.PluginFactory;
import org.pf4j.PluginRuntimeException;
import org.pf4j.PluginWrapper;
import org.pf4j.RuntimeMode;

/**
 * PF4J's jar manager, set up for the gateway. Used only by {@link PluginLoader} and
 * {@link PluginExtensions}, under the host's lock (PF4J is not thread-safe). What differs from
 * {@link JarPluginManager}:
 * <ul>
 *   <li>always deployment mode: plugins are jars, never the {@code target/classes} folders of
 *       development mode, whatever {@code -Dpf4j.mode} says;</li>
 *   <li>the system version is {@link GatewayApi#VERSION}, so {@code Plugin-Requires} is enforced;</li>
 *   <li>one instance per extension class and plugin load, dropped when the plugin stops (as PF4J's
 *       {@code SingletonExtensionFactory});</li>
 *   <li>plugin code it runs (the Plugin-Class and extension constructors, {@code Plugin.start()} and
 *       {@code stop()}) runs under the deadlines of {@link PluginCalls}; a stop that does not return
 *       in time is logged and given up, so the plugin is still unloaded;</li>
 *   <li>failures say what is wrong instead of PF4J's null plugins and NullPointerExceptions: a jar
 *       without manifest, an unreadable jar, a {@code Plugin-Class} that is missing or throws.</li>
 * </ul>
 */
final class GatewayPluginManager extends JarPluginManager {

    private static final Logger LOG = Logger.getLogger(GatewayPluginManager.class.getName());

    // PF4J creates its factories in its constructor, before this is set: they read it when used.
    private final PluginCalls calls;

    GatewayPluginManager(Path pluginsDir, PluginCalls calls) {
        super(pluginsDir);
        this.calls = calls;
        setSystemVersion(GatewayApi.VERSION);
    }

    @Override
    public RuntimeMode getRuntimeMode() {
        return RuntimeMode.DEPLOYMENT;
    }

    @Override
    protected ExtensionFactory createExtensionFactory() {
        return new TimedExtensionFactory();
    }

    @Override
    protected PluginFactory createPluginFactory() {
        return new ExplainingPluginFactory();
    }

    @Override
    protected PluginDescriptorFinder createPluginDescriptorFinder() {
        return new StrictManifestFinder();
    }

    /**
     * Reads and validates a jar's descriptor without loading it.
     *
     * @throws PluginRuntimeException saying why the jar is not a plugin
     */
    PluginDescriptor describe(Path jar) {
        PluginDescriptor descriptor = getPluginDescriptorFinder().find(jar);
        // Said in the manifest's own terms; PF4J's validation below speaks of "Field 'id'".
        if (descriptor.getPluginId() == null || descriptor.getPluginId().isBlank()) {
            throw new PluginRuntimeException("The manifest has no Plugin-Id");
        }
        if (descriptor.getVersion() == null || descriptor.getVersion().isBlank()) {
            throw new PluginRuntimeException("The manifest has no Plugin-Version");
        }
        validatePluginDescriptor(descriptor);
        return descriptor;
    }

    /** Refuses jars without a manifest (PF4J would fail later with a NullPointerException). */
    private static final class StrictManifestFinder extends ManifestPluginDescriptorFinder {
        @Override
        protected Manifest readManifestFromJar(Path jarPath) {
            Manifest manifest;
            try {
                manifest = super.readManifestFromJar(jarPath);
            } catch (PluginRuntimeException e) {
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                throw new PluginRuntimeException("Not a readable jar: " + cause.getMessage());
            }
            if (manifest == null) {
                throw new PluginRuntimeException("The jar has no META-INF/MANIFEST.MF");
            }
            return manifest;
        }
    }

    /**
     * Creates the {@code Plugin-Class} instance (PF4J's {@link Plugin} itself when the manifest names
     * none), throwing with the reason where PF4J's default factory logs and returns null.
     */
    private final class ExplainingPluginFactory implements PluginFactory {
        @Override
        public Plugin create(PluginWrapper wrapper) {
            String className = wrapper.getDescriptor().getPluginClass();
            Class<?> pluginClass;
            try {
                pluginClass = wrapper.getPluginClassLoader().loadClass(className);
            } catch (ClassNotFoundException | LinkageError e) {
                throw new PluginRuntimeException(e, "Plugin-Class '{}' cannot be loaded from the jar", className);
            }
            if (!Plugin.class.isAssignableFrom(pluginClass) || Modifier.isAbstract(pluginClass.getModifiers())) {
                throw new PluginRuntimeException("Plugin-Class '{}' is not a concrete subclass of org.pf4j.Plugin",
                        className);
            }
            Plugin plugin = calls.starting(pluginClass.getSimpleName() + " constructor",
                    () -> construct(pluginClass, className, wrapper));
            return new TimedPlugin(plugin);
        }

        private static Plugin construct(Class<?> pluginClass, String className, PluginWrapper wrapper) {
            try {
                return (Plugin) newInstance(pluginClass, wrapper);
            } catch (InvocationTargetException e) {
                throw new PluginRuntimeException(e.getCause(), "Plugin-Class '{}' constructor failed", className);
            } catch (ReflectiveOperationException | LinkageError e) {
                throw new PluginRuntimeException(e, "Plugin-Class '{}' cannot be instantiated", className);
            }
        }

        /** Prefers the no-argument constructor; PF4J's older {@code (PluginWrapper)} one still works. */
        @SuppressWarnings("deprecation")
        private static Object newInstance(Class<?> pluginClass, PluginWrapper wrapper)
                throws ReflectiveOperationException {
            try {
                return pluginClass.getConstructor().newInstance();
            } catch (NoSuchMethodException e) {
                Constructor<?> legacy = pluginClass.getConstructor(PluginWrapper.class);
                return legacy.newInstance(wrapper);
            }
        }
    }

    /**
     * The plugin as PF4J sees it: its {@code start()} and {@code stop()} under the deadlines. A start
     * past its deadline throws, so PF4J marks the plugin FAILED; a stop past its deadline is logged
     * here, once, and given up, so PF4J still unloads the plugin and closes its class loader.
     */
    private final class TimedPlugin extends Plugin {
        private final Plugin plugin;

        TimedPlugin(Plugin plugin) {
            this.plugin = plugin;
        }

        @Override
        public void start() {
            calls.starting(plugin.getClass().getSimpleName() + ".start()", () -> {
                plugin.start();
                return null;
            }, late -> plugin.stop());
        }

        @Override
        public void stop() {
            try {
                calls.stopping(plugin.getClass().getSimpleName() + ".stop()", plugin::stop);
            } catch (PluginCalls.TimedOut e) {
                LOG.log(Level.WARNING, "Plugin '" + plugin.getClass().getName() + "': " + e.getMessage()
                        + "; unloading it anyway (its thread is left running, at:)", e);
            }
        }

        @Override
        public void delete() {
            plugin.delete();
        }
    }

    /**
     * One instance per extension class and plugin load, like PF4J's {@code SingletonExtensionFactory};
     * but the constructor is plugin code, so it runs under the start deadline, and the cache is only
     * touched by the host's thread (a constructor that returns late finds nothing to write to).
     */
    private final class TimedExtensionFactory implements ExtensionFactory {
        private final ExtensionFactory constructor = new DefaultExtensionFactory();
        private final Map<Class<?>, Object> instances = new HashMap<>();

        TimedExtensionFactory() {
            addPluginStateListener(event -> {
                if (!event.getPluginState().isStarted()) {
                    ClassLoader gone = event.getPlugin().getPluginClassLoader();
                    instances.keySet().removeIf(type -> type.getClassLoader() == gone);
                }
            });
        }

        @Override
        public <T> T create(Class<T> extensionClass) {
            Object instance = instances.get(extensionClass);
            if (instance == null) {
                instance = calls.starting(extensionClass.getSimpleName() + " constructor",
                        () -> constructor.create(extensionClass));
                instances.put(extensionClass, instance);
            }
            return extensionClass.cast(instance);
        }
    }
}
