package io.wagateway.api;

import java.util.Objects;

/**
 * Where a targeted sink ({@link EventSink#targeted()}) delivers one event: a destination the host
 * stores for it, such as a webhook subscription. Since API 1.2.0.
 *
 * @param id     the host's id of the destination (e.g. the webhook subscription's id); stable
 * @param url    where to deliver, e.g. {@code https://example.com/hooks/whatsapp}
 * @param secret the destination's signing secret (for webhooks {@code whsec_} + base64), or null;
 *               never log it or put it in an exception message ({@link #toString()} hides it)
 */
public record DeliveryTarget(String id, String url, String secret) {

    /** Validates that id and url are present. */
    public DeliveryTarget {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(url, "url");
    }

    /** @return the id and url, never the secret */
    @Override
    public String toString() {
        return "DeliveryTarget[id=" + id + ", url=" + url + ", secret=" + (secret == null ? "none" : "***") + "]";
    }
}
