package io.wagateway.plugins.rabbitmq;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.wagateway.api.ConfigKey;
import io.wagateway.api.EventSink;
import io.wagateway.api.PluginConfig;
import io.wagateway.api.PluginException;
import io.wagateway.api.RetriableException;
import io.wagateway.api.SinkContext;
import io.wagateway.api.SinkDelivery;
import java.util.List;
import org.pf4j.Extension;

/**
 * Publishes every gateway event to a RabbitMQ topic exchange ({@code gateway.sinks.rabbitmq.*}).
 *
 * <p>Each event is one persistent message on exchange {@code exchange} (default
 * {@value RabbitMqSettings#DEFAULT_EXCHANGE}, declared durable) with routing key
 * {@code {sessionId}.{type}}, the host's envelope {@code {id, type, timestamp, sessionId, data}} as
 * its JSON body, the event id as AMQP {@code message-id} and the event type as {@code type}. A
 * delivery returns only once the broker confirmed the message; otherwise it throws
 * {@link RetriableException} and the host's outbox delivers it again (so a consumer may see an
 * event twice, never miss one: drop repeats by {@code message-id}).
 *
 * <p>Disabled (loaded, not started) while {@code uri} ({@code GATEWAY_RABBITMQ_URI}) is empty.
 * The URI is a {@link ConfigKey.Type#SECRET}: neither the host nor this sink shows it.
 *
 * <p>Threading: {@link #deliver(SinkDelivery)} may run on up to {@link #maxConcurrency()} host
 * threads at once (never two of one session); publishes share one channel and wait for their
 * confirms independently.
 */
@Extension
public final class RabbitMqSink implements EventSink {

    /** Routing keys are AMQP short strings. */
    private static final int MAX_ROUTING_KEY_BYTES = 255;

    private volatile ConfirmingPublisher publisher;

    @Override
    public String name() {
        return "rabbitmq";
    }

    @Override
    public List<ConfigKey> configKeys() {
        return RabbitMqSettings.KEYS;
    }

    /** @return true when a broker URI is configured */
    @Override
    public boolean enabled(PluginConfig config) {
        return RabbitMqSettings.configured(config);
    }

    /**
     * Several sessions' events can be in flight together: their confirms are awaited in parallel
     * on one channel, which is where a broker's throughput comes from.
     */
    @Override
    public int maxConcurrency() {
        return 16;
    }

    /**
     * Reads the settings and connects (at most {@code connect-timeout}); a broker that cannot be
     * reached yet is logged and retried by the deliveries, never a reason to fail the plugin.
     *
     * @throws PluginException when the configuration is invalid (the URI's text never in the message)
     */
    @Override
    public void start(SinkContext context) {
        ConfirmingPublisher started = new ConfirmingPublisher(RabbitMqSettings.from(context.config()));
        started.connectQuietly();
        publisher = started;
    }

    @Override
    public void deliver(SinkDelivery delivery) {
        ConfirmingPublisher current = publisher;
        if (current == null) {
            throw new RetriableException("The rabbitmq sink is not started");
        }
        current.publishConfirmed(message(delivery));
    }

    /**
     * @return the delivery as an AMQP message
     * @throws PluginException when its routing key is longer than AMQP allows (retrying cannot help)
     */
    static OutboundMessage message(SinkDelivery delivery) {
        String routingKey = delivery.sessionId() + "." + delivery.type();
        if (routingKey.getBytes(UTF_8).length > MAX_ROUTING_KEY_BYTES) {
            throw new PluginException("Routing key of " + delivery.type() + " " + delivery.eventId()
                    + " is longer than " + MAX_ROUTING_KEY_BYTES + " bytes");
        }
        return new OutboundMessage(routingKey, delivery.eventId(), delivery.type(), delivery.timestamp(),
                delivery.body().getBytes(UTF_8));
    }

    /** Closes the connection, waiting at most {@code connect-timeout}. */
    @Override
    public void stop() {
        ConfirmingPublisher current = publisher;
        publisher = null;
        if (current != null) {
            current.close();
        }
    }
}
