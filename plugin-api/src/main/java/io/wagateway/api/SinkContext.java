package io.wagateway.api;

/**
 * An {@link EventSink}'s handle on the host.
 */
public interface SinkContext {

    /** @return the sink's validated configuration */
    PluginConfig config();
}
