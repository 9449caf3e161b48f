package io.wagateway.api;

import java.util.List;
import org.pf4j.ExtensionPoint;

/**
 * Receives every {@link GatewayEvent}: webhooks, message brokers, audit logs. Mark the
 * implementation with PF4J's {@code @Extension}.
 *
 * <p>Delivery is at least once and in order per session: the host calls {@link #deliver} for one
 * event at a time per sink, and calls it again with the same event when it throws a
 * {@link RetriableException} (with backoff). Any other exception is recorded against the sink and
 * the event is skipped for this sink.
 *
 * <p>Lifecycle: {@link #start(SinkContext)} once, then {@code deliver} calls from one host thread,
 * then {@link #stop()} when the plugin is stopped.
 */
public interface EventSink extends ExtensionPoint {

    /** @return the sink's name; its configuration is keyed {@code gateway.sinks.<name>.*} */
    String name();

    /** @return the configuration this sink accepts, validated by the host before {@link #start} */
    default List<ConfigKey> configKeys() {
        return List.of();
    }

    /**
     * Prepares the sink.
     *
     * @param context the sink's handle on the host
     */
    default void start(SinkContext context) {
    }

    /**
     * Delivers one event. May block (network I/O).
     *
     * @param event the event
     * @throws RetriableException to have the same event delivered again later
     */
    void deliver(GatewayEvent event);

    /** Releases what {@link #start} took. */
    default void stop() {
    }
}
