package io.wagateway.api;

import java.util.List;
import org.pf4j.ExtensionPoint;

/**
 * Receives every {@link GatewayEvent}: webhooks, message brokers, audit logs. Mark the
 * implementation with PF4J's {@code @Extension}.
 *
 * <h2>Guarantees (API 1.2.0)</h2>
 * The host stores each event in a durable outbox (in the same database transaction as the state
 * change it reports) before any sink sees it, then delivers it to every enabled sink <b>at least
 * once and in order per session</b>, across receiver outages and gateway restarts. A sink must
 * therefore tolerate repeats: {@link SinkDelivery#eventId()} is the idempotency key.
 *
 * <h2>Lifecycle</h2>
 * <ol>
 *   <li>{@link #name()} and {@link #configKeys()}; the host validates {@code gateway.sinks.<name>.*}
 *       against the keys (a {@link ConfigKey.Type#SECRET} value is never logged or shown);</li>
 *   <li>{@link #enabled(PluginConfig)}: false leaves the sink loaded but idle (no outbox entries
 *       are made for it, {@code start} is not called);</li>
 *   <li>{@link #targeted()} once: a throw, or a targeted sink the host keeps no targets for,
 *       fails the plugin;</li>
 *   <li>{@link #start(SinkContext)} once;</li>
 *   <li>{@link #maxConcurrency()} once, after {@code start}, so that it may follow the
 *       configuration: a throw or an answer below 1 stops the sink and fails the plugin;</li>
 *   <li>{@link #deliver(SinkDelivery)} calls, as below;</li>
 *   <li>{@link #stop()} when the plugin is stopped, unloaded or replaced, after the last
 *       {@code deliver} call returned or was given up. Deliveries still pending then stay in the
 *       outbox and resume when a sink of the same name is started again (the jar put back).</li>
 * </ol>
 * Every call runs under a deadline ({@code gateway.plugins.start-timeout} for
 * everything up to {@code start}, {@code gateway.delivery.deliver-timeout} for {@code deliver}); a call past it is
 * abandoned (its thread interrupted) and, for {@code deliver}, counts as a retriable failure.
 *
 * <h2>Threading</h2>
 * {@code deliver} is called from host threads, never from a Netty or request thread. For one sink
 * at most {@link #maxConcurrency()} calls run at once, and never two for the same session (and
 * target), so a session's events arrive one after the other, in order.
 *
 * <h2>Outcome of {@code deliver}</h2>
 * <ul>
 *   <li>returns normally: delivered (for a broker, only once the broker confirmed it);</li>
 *   <li>throws {@link RetriableException}: tried again later with capped exponential backoff and
 *       jitter, up to {@code gateway.delivery.max-attempts}, then the delivery is dead (an admin or
 *       the owner can retry or replay it); later events of the same session wait behind it;</li>
 *   <li>throws {@link TargetGoneException}: dead at once, and the target is disabled;</li>
 *   <li>throws anything else ({@link PluginException} or a bug): dead at once, not retried
 *       automatically. The exception's message is shown to admins: no secrets in it.</li>
 * </ul>
 *
 * <p>Implement {@link #deliver(SinkDelivery)}. Sinks written for API 1.0/1.1 implement
 * {@link #deliver(GatewayEvent)} instead, which the default {@code deliver(SinkDelivery)} calls.
 */
public interface EventSink extends ExtensionPoint {

    /** @return the sink's name; its configuration is keyed {@code gateway.sinks.<name>.*} */
    String name();

    /** @return the configuration this sink accepts, validated by the host before {@link #start} */
    default List<ConfigKey> configKeys() {
        return List.of();
    }

    /**
     * Whether this sink takes part with this configuration, e.g. false when the broker URI it needs
     * is not set. A disabled sink is not started and gets no outbox entries. Since API 1.2.0.
     *
     * @param config the validated configuration
     * @return true to be started and receive events
     */
    default boolean enabled(PluginConfig config) {
        return true;
    }

    /**
     * Whether this sink delivers to destinations the host stores (webhook subscriptions): then the
     * host makes one outbox entry per matching target and event, and every {@link SinkDelivery}
     * carries its {@link SinkDelivery#target()}. Otherwise one entry per event, without a target.
     * Since API 1.2.0.
     *
     * @return true for a targeted sink
     */
    default boolean targeted() {
        return false;
    }

    /**
     * How many {@code deliver} calls the host may make at once (for different sessions or targets).
     * Asked once, after {@link #start}, so it may answer from the configuration. Since API 1.2.0.
     *
     * @return at least 1; the host's {@code gateway.delivery.max-concurrency} caps it
     */
    default int maxConcurrency() {
        return 1;
    }

    /**
     * Prepares the sink: connect, read the configuration.
     *
     * @param context the sink's handle on the host
     */
    default void start(SinkContext context) {
    }

    /**
     * Delivers one event to the sink's destination. May block (network I/O) up to the deadline;
     * should honour interruption. See the class comment for what returning and throwing mean.
     * Since API 1.2.0; the default hands the event to {@link #deliver(GatewayEvent)}.
     *
     * @param delivery the event, its stored envelope and, for a targeted sink, the target
     * @throws RetriableException to have the same delivery tried again later
     * @throws TargetGoneException when the target wants no more deliveries
     */
    default void deliver(SinkDelivery delivery) {
        deliver(delivery.event());
    }

    /**
     * Delivers one event: the API 1.0/1.1 form. Only {@link #deliver(SinkDelivery)}'s default calls
     * it; a sink that overrides that need not implement this one.
     *
     * @param event the event
     * @throws RetriableException to have the same event delivered again later
     * @throws PluginException (by default) when the sink implements neither form
     */
    default void deliver(GatewayEvent event) {
        throw new PluginException("Sink '" + name() + "' implements neither deliver(SinkDelivery) nor deliver(GatewayEvent)");
    }

    /** Releases what {@link #start} took. */
    default void stop() {
    }
}
