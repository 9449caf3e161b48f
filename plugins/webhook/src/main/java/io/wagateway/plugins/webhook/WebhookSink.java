package io.wagateway.plugins.webhook;

import io.wagateway.api.ConfigKey;
import io.wagateway.api.DeliveryTarget;
import io.wagateway.api.EventSink;
import io.wagateway.api.PluginException;
import io.wagateway.api.RetriableException;
import io.wagateway.api.SinkContext;
import io.wagateway.api.SinkDelivery;
import io.wagateway.api.TargetGoneException;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pf4j.Extension;

/**
 * Delivers the host's webhook subscriptions: each event is one JSON POST of the envelope the host
 * stored ({@code {id, type, timestamp, sessionId, data}}), signed by the Standard Webhooks scheme:
 * {@code webhook-id} (the event id, the same on every retry), {@code webhook-timestamp} (unix
 * seconds of this attempt) and {@code webhook-signature: v1,<base64 HMAC-SHA256 of
 * "{id}.{timestamp}.{body}">}.
 *
 * <p>A {@code 2xx} answer is delivered; {@code 410 Gone} disables the subscription
 * ({@link TargetGoneException}); any other answer, a timeout or an unreachable receiver is tried
 * again later ({@link RetriableException}); a target that resolves only to refused addresses is
 * fatal. Thread-safe: the host calls it for several subscriptions and sessions at once.
 */
@Extension
public final class WebhookSink implements EventSink {

    private volatile WebhookSettings settings;
    private volatile WebhookClient client;

    @Override
    public String name() {
        return "webhook";
    }

    @Override
    public List<ConfigKey> configKeys() {
        return WebhookSettings.KEYS;
    }

    @Override
    public boolean targeted() {
        return true;
    }

    @Override
    public int maxConcurrency() {
        WebhookSettings s = settings;
        return s == null ? 1 : s.maxConcurrency();
    }

    @Override
    public void start(SinkContext context) {
        WebhookSettings s = WebhookSettings.from(context.config());
        client = new WebhookClient(s.timeout(), s.allowPrivateTargets());
        settings = s;
    }

    @Override
    public void deliver(SinkDelivery delivery) {
        DeliveryTarget target = delivery.target()
                .orElseThrow(() -> new PluginException("A webhook delivery needs its subscription"));
        URI url = URI.create(target.url());
        long timestamp = Instant.now().getEpochSecond();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("webhook-id", delivery.eventId());
        headers.put("webhook-timestamp", Long.toString(timestamp));
        headers.put("webhook-signature", Signatures.sign(target.secret(), delivery.eventId(), timestamp, delivery.body()));
        int status;
        try {
            status = client.post(url, headers, delivery.body().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new RetriableException("Cannot deliver to " + where(url) + ": " + e.getMessage(), e);
        }
        if (status >= 200 && status < 300) {
            return;
        }
        if (status == 410) {
            throw new TargetGoneException("HTTP 410 Gone from " + where(url));
        }
        throw new RetriableException("HTTP " + status + " from " + where(url)
                + (status >= 300 && status < 400 ? " (redirects are not followed)" : ""));
    }

    /** Scheme, host and port only: a URL's path or query may carry a token. */
    private static String where(URI url) {
        return url.getScheme() + "://" + url.getHost() + (url.getPort() == -1 ? "" : ":" + url.getPort());
    }
}
