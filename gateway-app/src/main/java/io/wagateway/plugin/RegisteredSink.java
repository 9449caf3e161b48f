package io.wagateway.plugin;

import io.wagateway.api.EventSink;
import io.wagateway.api.SinkContext;

/**
 * A sink the plugin host has loaded and started ({@link EventSink#start(SinkContext)} has returned).
 *
 * @param name     the sink's name ({@link EventSink#name()})
 * @param pluginId the PF4J plugin that provides it
 * @param sink     the sink (one instance per loaded plugin)
 * @param context  the context it was started with, holding its validated configuration
 * @param targeted       its {@link EventSink#targeted()}, asked once, before it was started
 * @param maxConcurrency its {@link EventSink#maxConcurrency()}, asked once, before it was started (at least 1)
 */
public record RegisteredSink(String name, String pluginId, EventSink sink, SinkContext context, boolean targeted,
                             int maxConcurrency) {

    /** The one sink whose targets the host keeps (webhook subscriptions): no other may be targeted. */
    public static final String TARGETED_SINK = "webhook";
}
