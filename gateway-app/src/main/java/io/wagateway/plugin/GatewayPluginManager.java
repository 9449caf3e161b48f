package io.wagateway.plugin;

import io.wagateway.api.GatewayApi;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.jar.Manifest;
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
import org.pf4j.SingletonExtensionFactory;

/**
 * PF4J's jar manager, set up for the gateway. Used only by {@link PluginLoader} and
 * {@link PluginExtensions}, under the host's lock (PF4J is not thread-safe). What differs from
 * {@link JarPluginManager}:
 * <ul>
 *   <li>always deployment mode: plugins are jars, never the {@code target/classes} folders of
 *       development mode, whatever {@code -Dpf4j.mode} says;</li>
 *   <li>the system version is {@link GatewayApi#VERSION}, so {@code Plugin-Requires} is enforced;</li>
 *   <li>a {@link SingletonExtensionFactory}: one instance per extension class and plugin load, dropped
 *       by PF4J when the plugin stops;</li>
 *   <li>failures say what is wrong instead of PF4J's null plugins and NullPointerExceptions: a jar
 *       without manifest, an unreadable jar, a {@code Plugin-Class} that is missing or throws.</li>
 * </ul>
 */
final class GatewayPluginManager extends JarPluginManager {

    GatewayPluginManager(Path pluginsDir) {
        super(pluginsDir);
        setSystemVersion(GatewayApi.VERSION);
    }

    @Override
    public RuntimeMode getRuntimeMode() {
        return RuntimeMode.DEPLOYMENT;
    }

    @Override
    protected ExtensionFactory createExtensionFactory() {
        return new SingletonExtensionFactory(this);
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
    private static final class ExplainingPluginFactory implements PluginFactory {
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
}
