package io.wagateway.plugins.rabbitmq;

import io.wagateway.api.PluginException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Objects;

/**
 * The broker's {@code amqp://user:password@host:port/vhost} URI. It holds a password, so its text
 * is never shown: {@link #toString()} and every message about it name only scheme, host, port and
 * virtual host.
 *
 * @param text the URI as configured
 */
record BrokerUri(String text) {

    /** Checks the form: {@code amqp} or {@code amqps}, a host; the value itself never enters a message. */
    BrokerUri {
        Objects.requireNonNull(text, "text");
        URI uri;
        try {
            uri = new URI(text.trim());
        } catch (URISyntaxException e) {
            // The exception's message quotes the input, password included: not passed on, nor the cause.
            throw new PluginException("'" + RabbitMqSettings.URI + "' is not a valid URI (the value is not shown: "
                    + "it may hold a password); expected amqp://user:password@host:5672/vhost");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("amqp") && !scheme.equals("amqps")) {
            throw new PluginException("'" + RabbitMqSettings.URI + "' must start with amqp:// or amqps://");
        }
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            throw new PluginException("'" + RabbitMqSettings.URI + "' names no host; expected amqp://user:password@host:5672/vhost");
        }
    }

    /** @return true for {@code amqps://} (TLS) */
    boolean tls() {
        return text.trim().toLowerCase(Locale.ROOT).startsWith("amqps:");
    }

    /** @return the broker without its credentials, e.g. {@code amqp://127.0.0.1:5672/}, for logs and errors */
    String redacted() {
        URI uri = URI.create(text.trim());
        int port = uri.getPort() != -1 ? uri.getPort() : tls() ? 5671 : 5672;
        String vhost = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        return uri.getScheme().toLowerCase(Locale.ROOT) + "://" + uri.getHost() + ":" + port + vhost;
    }

    @Override
    public String toString() {
        return redacted();
    }
}
