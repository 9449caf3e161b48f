package io.wagateway.plugin;

import io.wagateway.api.PluginConfig;
import io.wagateway.api.WhatsAppEngine;

/**
 * An engine the plugin manager has loaded and started, with its validated configuration.
 *
 * @param name     the engine's name ({@link WhatsAppEngine#name()})
 * @param pluginId the PF4J plugin that provides it
 * @param engine   the engine (one instance per loaded plugin)
 * @param config   its configuration from {@code gateway.engines.<name>}, validated against its keys
 */
public record RegisteredEngine(String name, String pluginId, WhatsAppEngine engine, PluginConfig config) {
}
