package io.wagateway.plugins.rabbitmq;

import org.pf4j.Plugin;

/**
 * The PF4J plugin that carries the {@link RabbitMqSink}. It holds nothing itself: the sink owns its
 * connection and closes it in {@link RabbitMqSink#stop()}, which the host calls before stopping the plugin.
 */
public class RabbitMqPlugin extends Plugin {

    /** Called by PF4J; the plugin needs no wrapper. */
    public RabbitMqPlugin() {
        super();
    }
}
