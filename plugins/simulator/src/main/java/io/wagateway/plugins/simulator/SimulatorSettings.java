package io.wagateway.plugins.simulator;

import io.wagateway.api.ConfigKey;
import io.wagateway.api.ConfigKey.Type;
import io.wagateway.api.PluginConfig;
import io.wagateway.api.PluginException;
import java.time.Duration;
import java.util.List;

/**
 * The simulator's configuration ({@code gateway.engines.simulator.*}), read from the host's
 * validated {@link PluginConfig} and checked for what types alone cannot say (ranges). Immutable.
 *
 * @param qrFirstTtl        how long the first QR of a linking attempt is valid
 * @param qrTtl             how long each later QR is valid
 * @param qrMaxAttempts     how many QRs are shown before giving up with {@code QR_TIMEOUT}
 * @param connectDelay      how long a reconnect with stored credentials takes
 * @param ackSentDelay      from send to {@code SENT} (or a simulated {@code FAILED})
 * @param ackDeliveredDelay from {@code SENT} to {@code DELIVERED}
 * @param ackReadDelay      from {@code DELIVERED} to {@code READ}
 * @param failureRate       probability, 0..1, that a send to a valid recipient fails
 */
record SimulatorSettings(Duration qrFirstTtl, Duration qrTtl, int qrMaxAttempts, Duration connectDelay,
                         Duration ackSentDelay, Duration ackDeliveredDelay, Duration ackReadDelay,
                         double failureRate) {

    static final String QR_FIRST_TTL = "qr-first-ttl";
    static final String QR_TTL = "qr-ttl";
    static final String QR_MAX_ATTEMPTS = "qr-max-attempts";
    static final String CONNECT_DELAY = "connect-delay";
    static final String ACK_SENT_DELAY = "ack-sent-delay";
    static final String ACK_DELIVERED_DELAY = "ack-delivered-delay";
    static final String ACK_READ_DELAY = "ack-read-delay";
    static final String FAILURE_RATE = "failure-rate";

    /** What {@link SimulatorEngine#configKeys()} declares. */
    static final List<ConfigKey> KEYS = List.of(
            new ConfigKey(QR_FIRST_TTL, Type.DURATION, "60s", "How long the first QR code of a linking attempt is valid"),
            new ConfigKey(QR_TTL, Type.DURATION, "20s", "How long each later QR code is valid"),
            new ConfigKey(QR_MAX_ATTEMPTS, Type.LONG, "6", "How many QR codes go unscanned before linking gives up (QR_TIMEOUT)"),
            new ConfigKey(CONNECT_DELAY, Type.DURATION, "300ms", "How long reconnecting with stored credentials takes"),
            new ConfigKey(ACK_SENT_DELAY, Type.DURATION, "200ms", "Time from sending a message to its SENT ack"),
            new ConfigKey(ACK_DELIVERED_DELAY, Type.DURATION, "500ms", "Time from the SENT ack to the DELIVERED ack"),
            new ConfigKey(ACK_READ_DELAY, Type.DURATION, "1s", "Time from the DELIVERED ack to the READ ack"),
            new ConfigKey(FAILURE_RATE, Type.DOUBLE, "0.0", "Probability (0 to 1) that a message to a valid recipient ends FAILED"));

    /**
     * @param config the engine's validated configuration
     * @return the settings
     * @throws PluginException naming the key whose value is missing or out of range
     */
    static SimulatorSettings from(PluginConfig config) {
        try {
            Duration qrFirstTtl = positive(config, QR_FIRST_TTL);
            Duration qrTtl = positive(config, QR_TTL);
            long attempts = config.getLong(QR_MAX_ATTEMPTS);
            if (attempts < 1 || attempts > Integer.MAX_VALUE) {
                throw invalid(QR_MAX_ATTEMPTS, "must be at least 1", attempts);
            }
            double failureRate = config.getDouble(FAILURE_RATE);
            if (!(failureRate >= 0.0 && failureRate <= 1.0)) {
                throw invalid(FAILURE_RATE, "must be between 0 and 1", failureRate);
            }
            return new SimulatorSettings(qrFirstTtl, qrTtl, (int) attempts, config.getDuration(CONNECT_DELAY),
                    config.getDuration(ACK_SENT_DELAY), config.getDuration(ACK_DELIVERED_DELAY),
                    config.getDuration(ACK_READ_DELAY), failureRate);
        } catch (IllegalArgumentException e) {
            // PluginConfig names the key; a config built without validation may lack one or be malformed.
            throw new PluginException("Invalid simulator configuration: " + e.getMessage(), e);
        }
    }

    /** A QR valid for no time would rotate in a busy loop. */
    private static Duration positive(PluginConfig config, String key) {
        Duration d = config.getDuration(key);
        if (d.isZero()) {
            throw invalid(key, "must be longer than zero", config.getString(key));
        }
        return d;
    }

    private static PluginException invalid(String key, String rule, Object value) {
        return new PluginException("Invalid simulator configuration: '" + key + "' " + rule + " but is " + value);
    }
}
