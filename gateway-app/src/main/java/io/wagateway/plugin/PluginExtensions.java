package io.wagateway.plugin;

import io.wagateway.api.ConfigKey;
import io.wagateway.api.EngineAction;
import io.wagateway.api.EventSink;
import io.wagateway.api.PluginConfig;
import io.wagateway.api.PluginException;
import io.wagateway.api.SinkContext;
import io.wagateway.api.WhatsAppEngine;
import io.wagateway.config.PluginSettings;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * Creates the engines and sinks of one started plugin: instantiates them through PF4J's (singleton)
 * extension factory, checks their names, validates their configuration, lets each engine verify
 * that it can run ({@link WhatsAppEngine#verify}) and starts the sinks. All or nothing: on the first
 * failure the sinks already started are stopped again and nothing is returned.
 * Every call into the extensions runs under a deadline ({@link PluginCalls}). Used by
 * {@link PluginLoader} under the plugin host's lock.
 */
final class PluginExtensions {

    private static final Logger LOG = Logger.getLogger(PluginExtensions.class.getName());

    /** Engine and sink names are configuration keys ({@code gateway.engines.<name>}): no dots, no spaces. */
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");

    /**
     * @param engines the engines, each with its validated configuration
     * @param sinks   the sinks, started
     */
    record Created(List<RegisteredEngine> engines, List<RegisteredSink> sinks) {
    }

    private final GatewayPluginManager manager;
    private final PluginSettings settings;
    private final PluginCalls calls;

    PluginExtensions(GatewayPluginManager manager, PluginSettings settings, PluginCalls calls) {
        this.manager = manager;
        this.settings = settings;
        this.calls = calls;
    }

    /**
     * @param pluginId    a started plugin
     * @param engineOwner who already provides an engine of that name ("plugin 'x' (x.jar)"), or null
     * @param sinkOwner   who already provides a sink of that name, or null
     */
    Created create(String pluginId, Function<String, String> engineOwner, Function<String, String> sinkOwner)
            throws PluginRefusedException {
        List<RegisteredSink> started = new ArrayList<>();
        try {
            List<RegisteredEngine> engines = createEngines(pluginId, engineOwner);
            createSinks(pluginId, sinkOwner, started);
            checkUnmatched(pluginId, engines, started);
            return new Created(List.copyOf(engines), List.copyOf(started));
        } catch (PluginRefusedException | RuntimeException | Error e) {
            started.forEach(this::stop);
            throw e;
        }
    }

    /** Stops a sink, logging (not throwing) its failure; one that does not return in time is given up. */
    void stop(RegisteredSink sink) {
        try {
            calls.stopping(sink.sink().getClass().getSimpleName() + ".stop()", sink.sink()::stop);
        } catch (RuntimeException | Error e) {
            Failures.rethrowIfFatal(e);
            LOG.log(Level.WARNING, "Sink '" + sink.name() + "' failed to stop", e);
        }
    }

    private List<RegisteredEngine> createEngines(String pluginId, Function<String, String> owner)
            throws PluginRefusedException {
        List<RegisteredEngine> engines = new ArrayList<>();
        for (Class<? extends WhatsAppEngine> type : manager.getExtensionClasses(WhatsAppEngine.class, pluginId)) {
            WhatsAppEngine engine = instantiate(type);
            String name = checkName("Engine", call(type, "name()", engine::name));
            if (engines.stream().anyMatch(other -> other.name().equals(name))) {
                throw PluginRefusedException.failed("Engine name '" + name + "' is used twice in this plugin", null);
            }
            String holder = owner.apply(name);
            if (holder != null) {
                throw PluginRefusedException.waiting("Engine '" + name + "' is already provided by " + holder);
            }
            List<ConfigKey> keys = call(type, "configKeys()", engine::configKeys);
            PluginConfig config = validate("engine", name, keys, settings.engineConfig(name));
            verify(type, name, engine, config);
            List<EngineAction> actions = call(type, "actions()", engine::actions);
            engines.add(new RegisteredEngine(name, pluginId, engine, config, actions));
        }
        return engines;
    }

    private void createSinks(String pluginId, Function<String, String> owner, List<RegisteredSink> started)
            throws PluginRefusedException {
        for (Class<? extends EventSink> type : manager.getExtensionClasses(EventSink.class, pluginId)) {
            EventSink sink = instantiate(type);
            String name = checkName("Sink", call(type, "name()", sink::name));
            if (started.stream().anyMatch(other -> other.name().equals(name))) {
                throw PluginRefusedException.failed("Sink name '" + name + "' is used twice in this plugin", null);
            }
            String holder = owner.apply(name);
            if (holder != null) {
                throw PluginRefusedException.waiting("Sink '" + name + "' is already provided by " + holder);
            }
            List<ConfigKey> keys = call(type, "configKeys()", sink::configKeys);
            PluginConfig config = validate("sink", name, keys, settings.sinkConfig(name));
            if (!call(type, "enabled()", () -> sink.enabled(config))) {
                // Loaded but idle: not started, so no outbox entries are made for it.
                LOG.info(() -> "Sink '" + name + "' of plugin " + pluginId + " is disabled by its configuration");
                continue;
            }
            // Asked here, under the deadline: one that throws or hangs fails the plugin for all to see,
            // instead of a sink shown started that nothing is delivered to.
            boolean targeted = call(type, "targeted()", sink::targeted);
            if (targeted && !name.equals(RegisteredSink.TARGETED_SINK)) {
                throw PluginRefusedException.failed("Sink '" + name + "' is targeted, but the host keeps targets only for '"
                        + RegisteredSink.TARGETED_SINK + "'", null);
            }
            SinkContext context = new HostSinkContext(config);
            call(type, "start()", () -> {
                sink.start(context);
                return null;
            }, late -> sink.stop());
            // Asked once started: a sink may size itself from its configuration (the webhook sink's
            // max-concurrency); asked before, it could only answer a default.
            RegisteredSink registered;
            try {
                int concurrency = call(type, "maxConcurrency()", sink::maxConcurrency);
                if (concurrency < 1) {
                    throw PluginRefusedException.failed("Sink '" + name + "' asks for maxConcurrency " + concurrency
                            + ": at least 1", null);
                }
                registered = new RegisteredSink(name, pluginId, sink, context, targeted, concurrency);
            } catch (PluginRefusedException e) {
                stop(new RegisteredSink(name, pluginId, sink, context, targeted, 1));
                throw e;
            }
            started.add(registered);
        }
    }

    /**
     * Classes in the extension index that are neither engine nor sink. One that cannot be loaded, or
     * that implements its own copy of the API (the jar bundles plugin-api), is skipped by PF4J with
     * only a log line, leaving a plugin that looks started but does nothing: refuse it instead.
     */
    private void checkUnmatched(String pluginId, List<RegisteredEngine> engines, List<RegisteredSink> sinks)
            throws PluginRefusedException {
        Set<String> matched = new HashSet<>();
        engines.forEach(engine -> matched.add(engine.engine().getClass().getName()));
        sinks.forEach(sink -> matched.add(sink.sink().getClass().getName()));
        ClassLoader loader = manager.getPluginClassLoader(pluginId);
        for (String className : manager.getExtensionClassNames(pluginId)) {
            if (matched.contains(className)) {
                continue;
            }
            Class<?> type;
            try {
                type = Class.forName(className, false, loader);
            } catch (ClassNotFoundException | LinkageError e) {
                throw PluginRefusedException.failed("Extension " + className + " cannot be loaded: "
                        + Failures.describe(e), e);
            }
            if (implementsOtherApiCopy(type)) {
                throw PluginRefusedException.failed("Extension " + className + " implements its own copy of the plugin "
                        + "API: the jar must not bundle plugin-api or pf4j (declare them 'provided')", null);
            }
            LOG.fine(() -> "Extension " + className + " of plugin " + pluginId + " is neither an engine nor a sink");
        }
    }

    private static boolean implementsOtherApiCopy(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Class<?> api : c.getInterfaces()) {
                boolean apiName = api.getName().equals(WhatsAppEngine.class.getName())
                        || api.getName().equals(EventSink.class.getName());
                boolean hostApi = api == WhatsAppEngine.class || api == EventSink.class;
                if (apiName && !hostApi || implementsOtherApiCopy(api)) {
                    return true;
                }
            }
        }
        return false;
    }

    private <T> T instantiate(Class<T> type) throws PluginRefusedException {
        try {
            return manager.getExtensionFactory().create(type);
        } catch (RuntimeException | Error e) {
            Failures.rethrowIfFatal(e);
            throw PluginRefusedException.failed("Extension " + type.getName() + " cannot be created: "
                    + Failures.describe(e), e);
        }
    }

    /**
     * Runs a method of plugin code under the start deadline, turning its failure into a refusal that
     * names the method.
     */
    private <T> T call(Class<?> type, String method, Callable<T> pluginCode) throws PluginRefusedException {
        return call(type, method, pluginCode, late -> {
        });
    }

    /** As {@link #call(Class, String, Callable)}; {@code undoIfLate} undoes a start that returns once given up. */
    private <T> T call(Class<?> type, String method, Callable<T> pluginCode, Consumer<? super T> undoIfLate)
            throws PluginRefusedException {
        String what = type.getSimpleName() + "." + method;
        try {
            return calls.starting(what, pluginCode, undoIfLate);
        } catch (PluginCalls.TimedOut e) {
            // Its stack, in the log only, is where the plugin's thread was stuck.
            throw PluginRefusedException.failed(e.getMessage(), e);
        } catch (RuntimeException | Error e) {
            Failures.rethrowIfFatal(e);
            throw PluginRefusedException.failed(what + " failed: " + Failures.describe(e), e);
        }
    }

    /**
     * The engine's own check that it can run here ({@link WhatsAppEngine#verify}), under the start
     * deadline. Its {@code PluginException} is the engine telling an administrator what to fix: its
     * message is shown as it is; anything else is a bug, named with the method.
     */
    private void verify(Class<? extends WhatsAppEngine> type, String name, WhatsAppEngine engine, PluginConfig config)
            throws PluginRefusedException {
        String what = type.getSimpleName() + ".verify()";
        try {
            calls.starting(what, () -> {
                engine.verify(config);
                return null;
            });
        } catch (PluginException e) {
            // The message is the whole story for the log too; its stack only at FINE.
            LOG.log(Level.FINE, "Engine '" + name + "' cannot run", e);
            boolean blank = e.getMessage() == null || e.getMessage().isBlank();
            throw PluginRefusedException.failed(blank ? what + " failed: " + Failures.describe(e) : e.getMessage(), null);
        } catch (PluginCalls.TimedOut e) {
            throw PluginRefusedException.failed(e.getMessage(), e);
        } catch (RuntimeException | Error e) {
            Failures.rethrowIfFatal(e);
            throw PluginRefusedException.failed(what + " failed: " + Failures.describe(e), e);
        }
    }

    private static String checkName(String kind, String name) throws PluginRefusedException {
        if (name == null || !NAME.matcher(name).matches()) {
            throw PluginRefusedException.failed(kind + " name '" + name + "' is not valid: use lower-case letters, "
                    + "digits, '-' and '_'", null);
        }
        return name;
    }

    private static PluginConfig validate(String kind, String name, List<ConfigKey> keys, Map<String, String> raw)
            throws PluginRefusedException {
        try {
            return PluginConfig.validate(keys == null ? List.of() : keys, raw);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw PluginRefusedException.failed(Character.toUpperCase(kind.charAt(0)) + kind.substring(1) + " '" + name
                    + "' has invalid configuration (gateway." + kind + "s." + name + "): " + e.getMessage(), null);
        }
    }

    /** A sink's handle on the host: its validated configuration. */
    private record HostSinkContext(PluginConfig config) implements SinkContext {
    }
}
