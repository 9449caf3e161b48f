package io.wagateway.api;

import java.util.List;
import org.pf4j.ExtensionPoint;

/**
 * A WhatsApp engine: a worker backend that links accounts and sends messages. Mark the
 * implementation with PF4J's {@code @Extension}.
 *
 * <p>Lifecycle: the host creates one instance per loaded plugin and keeps it, validates its
 * configuration and calls {@link #verify(PluginConfig)} once; only then is the engine offered to
 * sessions. For each session that uses the engine it calls {@link #open(EngineContext)} when the
 * session is started, and then drives the returned {@link EngineSession}. When the plugin is
 * stopped or unloaded, the host first stops every open {@code EngineSession} of this engine.
 *
 * <p>Threading: {@code open} may be called from any thread, for several sessions at once.
 */
public interface WhatsAppEngine extends ExtensionPoint {

    /**
     * The engine's name, as clients give it in {@code POST /api/sessions {"engine": ...}} and as
     * its configuration is keyed ({@code gateway.engines.<name>.*}). Lower case, stable.
     *
     * @return the engine's name, e.g. {@code simulator}
     */
    String name();

    /**
     * The configuration this engine accepts. The host validates the configured values against it
     * before the first {@link #open(EngineContext)} and hands them over as
     * {@link EngineContext#config()}.
     *
     * @return the keys, empty by default
     */
    default List<ConfigKey> configKeys() {
        return List.of();
    }

    /**
     * The engine-specific actions its sessions accept ({@link EngineSession#action}), described for
     * the admin web UI, which shows each as a form. Called once when the plugin is loaded, with the
     * same deadline as {@link #configKeys()}.
     *
     * @return the actions, empty by default
     */
    default List<EngineAction> actions() {
        return List.of();
    }

    /**
     * Checks, once, that the engine can run here with this configuration: what it needs outside the
     * JVM (a binary, a library, a reachable directory) and what types alone cannot say about its
     * values. Fails early and visibly instead of at every session's start.
     *
     * <p>When: once per load of the plugin, after {@link #configKeys()} and the host's validation of
     * the configured values, before the engine is registered and offered to sessions (so before any
     * {@link #open(EngineContext)}). Not called again until the plugin is loaded again (its jar
     * replaced or touched, or the gateway restarted).
     *
     * <p>Threading and deadline: called on a host thread of its own, under the same deadline as the
     * plugin's {@code start()} ({@code gateway.plugins.start-timeout}, 10 s by default); past it the
     * thread is interrupted and the plugin counts as failed, so an implementation that waits for a
     * process or the network gives it a shorter deadline of its own and answers an interrupt.
     *
     * <p>Failure: throwing marks the whole plugin {@code FAILED}, none of its engines or sinks is
     * registered, and {@code GET /api/plugins} shows the exception's message as the plugin's
     * {@code lastError}; the host and every other plugin keep running. Say what is wrong and how to
     * fix it (what to install, which configuration key to set), without secrets. A
     * {@link RetriableException} is no different here: the host does not call {@code verify} again
     * until the plugin is loaded again. The default does nothing.
     *
     * @param config the engine's validated configuration, the same as every session's
     *               {@link EngineContext#config()}
     * @throws PluginException when the engine cannot run; its message is shown to administrators
     * @since 1.2.0
     */
    default void verify(PluginConfig config) throws PluginException {
    }

    /**
     * Opens a session: prepare the connection for one account. Must return quickly; the host then
     * calls {@link EngineSession#start()}.
     *
     * @param context the session's handle on the host, valid until the returned session is closed
     * @return the engine's side of the session
     * @throws PluginException when the session cannot be opened; a {@link RetriableException}
     *                         makes the host retry with backoff
     */
    EngineSession open(EngineContext context);
}
