package io.wagateway.api;

import java.util.List;
import org.pf4j.ExtensionPoint;

/**
 * A WhatsApp engine: a worker backend that links accounts and sends messages. Mark the
 * implementation with PF4J's {@code @Extension}.
 *
 * <p>Lifecycle: the host creates one instance per loaded plugin and keeps it. For each session
 * that uses the engine it calls {@link #open(EngineContext)} when the session is started, and
 * then drives the returned {@link EngineSession}. When the plugin is stopped or unloaded, the
 * host first stops every open {@code EngineSession} of this engine.
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
