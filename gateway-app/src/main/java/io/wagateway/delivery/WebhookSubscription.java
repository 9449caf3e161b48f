package io.wagateway.delivery;

import java.time.Instant;
import java.util.List;

/**
 * A webhook subscription, kept by the host and delivered by the {@code webhook} sink plugin.
 *
 * @param id             its id (the deliveries' target id)
 * @param userId         who made it
 * @param sessionId      the session whose events it gets, or null for every session its owner may see now
 * @param url            where the events are POSTed
 * @param events         the event names it wants; empty for all
 * @param secret         the signing secret ({@code whsec_…}); never shown after creation, never logged
 * @param enabled        whether events are queued and delivered for it
 * @param disabledReason why the gateway disabled it (a {@code 410 Gone}), or null
 * @param createdAt      when it was made
 * @param updatedAt      when it last changed
 */
public record WebhookSubscription(String id, String userId, String sessionId, String url, List<String> events,
                                  String secret, boolean enabled, String disabledReason, Instant createdAt,
                                  Instant updatedAt) {

    /** The sink that delivers subscriptions. */
    public static final String SINK = io.wagateway.plugin.RegisteredSink.TARGETED_SINK;

    /** Copies the list. */
    public WebhookSubscription {
        events = List.copyOf(events);
    }

    /** @return whether it wants this event of this session */
    boolean wants(String eventSessionId, String type) {
        return enabled && (sessionId == null || sessionId.equals(eventSessionId))
                && (events.isEmpty() || events.contains(type));
    }

    WebhookSubscription with(String newUrl, List<String> newEvents, boolean on, String reason, Instant at) {
        return new WebhookSubscription(id, userId, sessionId, newUrl, newEvents, secret, on, reason, createdAt, at);
    }

    /** @return everything but the secret */
    @Override
    public String toString() {
        return "WebhookSubscription[id=" + id + ", userId=" + userId + ", sessionId=" + sessionId + ", url=" + url
                + ", events=" + events + ", enabled=" + enabled + "]";
    }
}
