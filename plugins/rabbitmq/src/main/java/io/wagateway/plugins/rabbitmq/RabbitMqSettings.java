package io.wagateway.plugins.rabbitmq;

import io.wagateway.api.ConfigKey;
import io.wagateway.api.ConfigKey.Type;
import io.wagateway.api.PluginConfig;
import io.wagateway.api.PluginException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The sink's configuration ({@code gateway.sinks.rabbitmq.*}), read from the host's validated
 * {@link PluginConfig} and checked for what types alone cannot say. Immutable; its text form hides
 * the URI's credentials.
 *
 * @param uri              the broker
 * @param exchange         the topic exchange events are published to (declared durable)
 * @param connectTimeout   TCP connect, AMQP handshake and each channel call (declare, confirm mode)
 * @param confirmTimeout   how long one publish may take, from writing the message to the broker's confirm
 * @param recoveryInterval the pause between reconnection attempts after the connection was lost
 * @param heartbeat        the AMQP heartbeat: a silent broker is given up after about twice this
 */
record RabbitMqSettings(BrokerUri uri, String exchange, Duration connectTimeout, Duration confirmTimeout,
                        Duration recoveryInterval, Duration heartbeat) {

    static final String URI = "uri";
    static final String EXCHANGE = "exchange";
    static final String CONNECT_TIMEOUT = "connect-timeout";
    static final String CONFIRM_TIMEOUT = "confirm-timeout";
    static final String RECOVERY_INTERVAL = "recovery-interval";
    static final String HEARTBEAT = "heartbeat";

    /** The default exchange name, also in the README and the contract. */
    static final String DEFAULT_EXCHANGE = "whatsapp-gateway.events";

    /** What {@link RabbitMqSink#configKeys()} declares. */
    static final List<ConfigKey> KEYS = List.of(
            new ConfigKey(URI, Type.SECRET, "",
                    "The broker, amqp://user:password@host:5672/vhost or amqps://… (env GATEWAY_RABBITMQ_URI); "
                            + "empty: the sink is disabled"),
            new ConfigKey(EXCHANGE, Type.STRING, DEFAULT_EXCHANGE,
                    "Topic exchange the events are published to, routing key {sessionId}.{type}; declared durable"),
            new ConfigKey(CONNECT_TIMEOUT, Type.DURATION, "5s",
                    "Deadline for connecting (TCP and AMQP handshake) and for each channel call"),
            new ConfigKey(CONFIRM_TIMEOUT, Type.DURATION, "10s",
                    "Deadline for one publish, from writing the message to the broker's confirm; past it the event is retried"),
            new ConfigKey(RECOVERY_INTERVAL, Type.DURATION, "2s",
                    "Pause between reconnection attempts after the connection to the broker was lost"),
            new ConfigKey(HEARTBEAT, Type.DURATION, "30s",
                    "AMQP heartbeat; a broker that goes silent is given up after about twice this"));

    /** Checks the values; the URI is checked by {@link BrokerUri}. */
    RabbitMqSettings {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(exchange, "exchange");
        // The default exchange ("") only routes by queue name, and amq.* are the broker's own.
        if (exchange.isBlank() || exchange.startsWith("amq.") || exchange.length() > 255) {
            throw invalid(EXCHANGE, "must be a name of 1 to 255 characters not starting with 'amq.'", exchange);
        }
        atLeast(CONNECT_TIMEOUT, connectTimeout, Duration.ofMillis(100));
        atLeast(CONFIRM_TIMEOUT, confirmTimeout, Duration.ofMillis(100));
        atLeast(RECOVERY_INTERVAL, recoveryInterval, Duration.ofMillis(10));
        Objects.requireNonNull(heartbeat, HEARTBEAT);
        if (heartbeat.isNegative() || heartbeat.toSeconds() > 65_535 || !heartbeat.isZero() && heartbeat.toSeconds() < 1) {
            throw invalid(HEARTBEAT, "must be 0 (off) or between 1s and 65535s", heartbeat);
        }
    }

    /**
     * @param config the sink's validated configuration
     * @return true when a broker URI is set: without one the sink stays disabled
     */
    static boolean configured(PluginConfig config) {
        return !config.find(URI).orElse("").isBlank();
    }

    /**
     * @param config the sink's validated configuration
     * @return the settings
     * @throws PluginException naming the key whose value is missing or out of range (never showing the URI)
     */
    static RabbitMqSettings from(PluginConfig config) {
        if (!configured(config)) {
            throw new PluginException("Invalid rabbitmq configuration: '" + URI + "' is required "
                    + "(gateway.sinks.rabbitmq.uri, env GATEWAY_RABBITMQ_URI)");
        }
        try {
            return new RabbitMqSettings(new BrokerUri(config.getString(URI)), config.getString(EXCHANGE),
                    config.getDuration(CONNECT_TIMEOUT), config.getDuration(CONFIRM_TIMEOUT),
                    config.getDuration(RECOVERY_INTERVAL), config.getDuration(HEARTBEAT));
        } catch (PluginException | IllegalArgumentException e) {
            throw new PluginException("Invalid rabbitmq configuration: " + e.getMessage(), e);
        }
    }

    private static void atLeast(String key, Duration value, Duration min) {
        Objects.requireNonNull(value, key);
        if (value.compareTo(min) < 0) {
            throw invalid(key, "must be at least " + min.toMillis() + "ms", value);
        }
    }

    private static PluginException invalid(String key, String rule, Object value) {
        return new PluginException("'" + key + "' " + rule + " but is " + value);
    }
}
