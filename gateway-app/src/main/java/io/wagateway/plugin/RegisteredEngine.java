package io.wagateway.plugin;

import io.wagateway.api.EngineAction;
import io.wagateway.api.PluginConfig;
import io.wagateway.api.WhatsAppEngine;

/**
 * An engine the plugin manager has loaded and started, with its validated configuration.
 *
 * @param name     the engine's name ({@link WhatsAppEngine#name()})
 * @param pluginId the PF4J plugin that provides it
 * @param engine   the engine (one instance per loaded plugin)
 * @param config   its configuration from {@code gateway.engines.<name>}, validated against its keys
 * @param actions  the actions it declared ({@link WhatsAppEngine#actions()}), read once at load
 */
public record RegisteredEngine(String name, String pluginId, WhatsAppEngine engine, PluginConfig config,
                               java.util.List<EngineAction> actions) {

    /** Copies the list. */
    public RegisteredEngine {
        actions = actions == null ? java.util.List.of() : java.util.List.copyOf(actions);
    }

    /** An engine that declares no actions. */
    public RegisteredEngine(String name, String pluginId, WhatsAppEngine engine, PluginConfig config) {
        this(name, pluginId, engine, config, java.util.List.of());
    }
}
