package io.wagateway.plugins.webhook;

import io.wagateway.api.ConfigKey;
import io.wagateway.api.PluginConfig;
import java.time.Duration;
import java.util.List;

/**
 * The webhook sink's settings ({@code gateway.sinks.webhook.*}; the host fills them from
 * {@code gateway.webhooks.*}).
 *
 * @param timeout             how long one request may take in all (connect, TLS, send, the whole answer): a
 *                            deadline, not a bound on each read
 * @param allowPrivateTargets whether loopback, private and link-local addresses may be called
 * @param maxConcurrency      requests in flight at once
 */
record WebhookSettings(Duration timeout, boolean allowPrivateTargets, int maxConcurrency) {

    static final List<ConfigKey> KEYS = List.of(
            new ConfigKey("timeout", ConfigKey.Type.DURATION, "10s",
                    "How long one webhook request may take in all (connect, send, the whole answer)"),
            new ConfigKey("allow-private-targets", ConfigKey.Type.BOOLEAN, "false",
                    "Allow loopback, private and link-local destinations (checked on the resolved address)"),
            new ConfigKey("max-concurrency", ConfigKey.Type.LONG, "8", "Webhook requests in flight at once"));

    /** @throws IllegalArgumentException naming the key of a value out of range */
    static WebhookSettings from(PluginConfig config) {
        Duration timeout = config.getDuration("timeout");
        if (timeout.isZero()) {
            throw new IllegalArgumentException("'timeout' must be more than 0");
        }
        long concurrency = config.getLong("max-concurrency");
        if (concurrency < 1 || concurrency > 1024) {
            throw new IllegalArgumentException("'max-concurrency' must be between 1 and 1024");
        }
        return new WebhookSettings(timeout, config.getBoolean("allow-private-targets"), (int) concurrency);
    }
}
