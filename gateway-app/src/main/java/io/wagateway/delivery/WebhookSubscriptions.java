package io.wagateway.delivery;

import io.wagateway.api.DeliveryTarget;
import io.wagateway.api.MessageReceived;
import io.wagateway.api.MessageStatusUpdated;
import io.wagateway.api.QrCodeUpdated;
import io.wagateway.api.SessionStatusChanged;
import io.wagateway.auth.Principal;
import io.wagateway.error.DomainException;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * Webhook subscriptions: made, changed and removed by their owners (per session, or for every
 * session they may see) and admins, held in memory for the outbox (which asks on every event which ones want
 * it) and for the webhook sink's deliveries (which need the URL and secret).
 *
 * <p>A secret is {@code whsec_} + base64 of 24 to 64 random bytes; one is generated (32 bytes) when
 * none is given. It is returned once, by {@link #create}, and never again: not by a list, not in
 * a log line.
 */
public final class WebhookSubscriptions {

    private static final Logger LOG = Logger.getLogger(WebhookSubscriptions.class.getName());
    private static final List<String> EVENT_TYPES = List.of(QrCodeUpdated.TYPE, SessionStatusChanged.TYPE,
            MessageStatusUpdated.TYPE, MessageReceived.TYPE);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int MAX_URL = 2048;
    /** Per user: every subscription is held in memory and looked at for every event. */
    static final int MAX_PER_USER = 100;

    /** What a create returns: the subscription and, this once, its secret. */
    public record Created(WebhookSubscription subscription, String secret) {
        @Override
        public String toString() {
            return "Created[" + subscription + "]";
        }
    }

    /** The fields a PATCH may change; null leaves one as it is. */
    public record Patch(String url, List<String> events, Boolean enabled) {
    }

    private final WebhookStore store;
    private final OutboxStore outbox;
    private final SubscriberAccess access;
    private final Clock clock;
    private final Map<String, WebhookSubscription> byId = new ConcurrentHashMap<>();

    WebhookSubscriptions(WebhookStore store, OutboxStore outbox, SubscriberAccess access, Clock clock) {
        this.store = store;
        this.outbox = outbox;
        this.access = access;
        this.clock = clock;
        store.all().forEach(s -> byId.put(s.id(), s));
    }

    /** @param sessionId null for every session its owner may see: an admin's, every one; a user's, their own */
    public Created create(Principal caller, String url, List<String> events, String sessionId, String secret,
                          boolean enabled) {
        String checkedUrl = checkUrl(url);
        List<String> checkedEvents = checkEvents(events);
        if (sessionId != null && !access.canAccessSession().test(caller, sessionId)) {
            throw new DomainException.NotFound("Session not found: " + sessionId);
        }
        String key = secret == null ? newSecret() : checkSecret(secret);
        Instant now = now();
        WebhookSubscription s = new WebhookSubscription(UUID.randomUUID().toString(), caller.userId(), sessionId,
                checkedUrl, checkedEvents, key, enabled, null, now, now);
        synchronized (this) {
            if (byId.values().stream().filter(o -> o.userId().equals(caller.userId())).count() >= MAX_PER_USER) {
                throw new DomainException.Conflict("At most " + MAX_PER_USER + " webhook subscriptions per user");
            }
            store.insert(s);
            byId.put(s.id(), s);
        }
        LOG.info(() -> "Webhook subscription " + s.id() + " created by " + caller.userId() + " for "
                + (sessionId == null ? "every session" : sessionId));
        return new Created(s, key);
    }

    /** @return the caller's subscriptions (admins: all), oldest first */
    public List<WebhookSubscription> list(Principal caller) {
        List<WebhookSubscription> result = new ArrayList<>();
        for (WebhookSubscription s : byId.values()) {
            if (caller.isAdmin() || s.userId().equals(caller.userId())) {
                result.add(s);
            }
        }
        result.sort(Comparator.comparing(WebhookSubscription::createdAt).thenComparing(WebhookSubscription::id));
        return result;
    }

    /** @throws DomainException 404 unless it exists and the caller made it (admins: any) */
    public WebhookSubscription get(Principal caller, String id) {
        WebhookSubscription s = byId.get(id);
        if (s == null || !(caller.isAdmin() || s.userId().equals(caller.userId()))) {
            throw new DomainException.NotFound("Webhook subscription not found: " + id);
        }
        return s;
    }

    /**
     * @throws DomainException 403 when the owner no longer has the subscription's scope (demoted): it
     *     may then only be disabled or deleted
     */
    public synchronized WebhookSubscription update(Principal caller, String id, Patch patch) {
        WebhookSubscription s = get(caller, id);
        boolean onlyDisables = patch.url() == null && patch.events() == null && Boolean.FALSE.equals(patch.enabled());
        if (!onlyDisables) {
            checkScope(caller, s);
        }
        boolean enabled = patch.enabled() == null ? s.enabled() : patch.enabled();
        WebhookSubscription next = s.with(patch.url() == null ? s.url() : checkUrl(patch.url()),
                patch.events() == null ? s.events() : checkEvents(patch.events()), enabled,
                enabled ? null : s.disabledReason(), now());
        store.update(next);
        byId.put(id, next);
        return next;
    }

    /**
     * @throws DomainException 403 unless the caller may have the subscription's scope now (a
     *     subscription to one session: who may see it): one to a session its owner may no longer see
     *     stays theirs to see, disable or delete, not to point elsewhere, enable or replay
     */
    void checkScope(Principal caller, WebhookSubscription s) {
        if (!access.inScope(caller, s)) {
            throw new DomainException.Forbidden("You may no longer see session " + s.sessionId() + ": delete the subscription");
        }
    }

    /** @return whether the subscription's owner may get the events of a session of {@code sessionOwnerId} now */
    boolean reaches(WebhookSubscription s, String sessionOwnerId) {
        return access.ownerMaySee(s, sessionOwnerId);
    }

    /** @return the owner whose sessions' events the subscription reaches now; "" for every session's */
    String sessionOwners(WebhookSubscription s) {
        return access.sessionOwners(s);
    }

    /** Removes it and its undelivered deliveries. */
    public synchronized void delete(Principal caller, String id) {
        get(caller, id);
        store.delete(id);
        byId.remove(id);
        outbox.dropUndelivered(WebhookSubscription.SINK, id);
    }

    /**
     * Removes every subscription the user made, with its undelivered deliveries: the user is being
     * deleted, and an admin's subscription to every session must not outlive its owner.
     */
    public synchronized void deleteAllOf(String userId) {
        for (WebhookSubscription s : List.copyOf(byId.values())) {
            if (s.userId().equals(userId)) {
                store.delete(s.id());
                byId.remove(s.id());
                outbox.dropUndelivered(WebhookSubscription.SINK, s.id());
                LOG.info(() -> "Webhook subscription " + s.id() + " removed with its owner " + userId);
            }
        }
    }

    /** The destination answered that it is gone: no more events are queued or sent to it. */
    synchronized void disable(String id, String reason) {
        WebhookSubscription s = byId.get(id);
        if (s == null || !s.enabled()) {
            return;
        }
        WebhookSubscription next = s.with(s.url(), s.events(), false, reason.length() > 255 ? reason.substring(0, 255) : reason, now());
        store.update(next);
        byId.put(id, next);
        long killed = outbox.killPending(WebhookSubscription.SINK, id, "Subscription disabled: " + next.disabledReason());
        LOG.warning(() -> "Webhook subscription " + id + " disabled: " + next.disabledReason() + "; " + killed
                + " waiting delivery(ies) marked dead");
    }

    /**
     * @param ownerId the owner of the event's session
     * @return the enabled subscriptions that want this event and whose owners may see it now
     */
    List<String> matching(String sessionId, String ownerId, String type) {
        List<String> ids = new ArrayList<>(2);
        for (WebhookSubscription s : byId.values()) {
            if (s.wants(sessionId, type) && access.ownerMaySee(s, ownerId)) {
                ids.add(s.id());
            }
        }
        return ids;
    }

    /** @return the subscription as a delivery target, if it still exists */
    Optional<WebhookSubscription> find(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    static DeliveryTarget target(WebhookSubscription s) {
        return new DeliveryTarget(s.id(), s.url(), s.secret());
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private static String checkUrl(String url) {
        if (url == null || url.isBlank()) {
            throw new DomainException.Invalid("'url' is required");
        }
        if (url.length() > MAX_URL) {
            throw new DomainException.Invalid("'url' must be at most " + MAX_URL + " characters");
        }
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw new DomainException.Invalid("'url' is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null || uri.getUserInfo() != null
                || uri.getFragment() != null) {
            throw new DomainException.Invalid("'url' must be an http:// or https:// URL with a host (no user info, no fragment)");
        }
        // Refused now, not at every delivery attempt: no connection can be made to such a port.
        if (uri.getPort() == 0 || uri.getPort() > 65535) {
            throw new DomainException.Invalid("'url' has port " + uri.getPort() + ": a port is 1-65535");
        }
        return uri.toString();
    }

    private static List<String> checkEvents(List<String> events) {
        if (events == null) {
            return List.of();
        }
        for (String e : events) {
            if (!EVENT_TYPES.contains(e)) {
                throw new DomainException.Invalid("'events' may contain only " + String.join(", ", EVENT_TYPES)
                        + " (empty: all)");
            }
        }
        return events.stream().distinct().toList();
    }

    static String newSecret() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return "whsec_" + Base64.getEncoder().encodeToString(key);
    }

    private static String checkSecret(String secret) {
        String message = "'secret' must be whsec_ followed by the base64 of 24 to 64 bytes";
        if (!secret.startsWith("whsec_")) {
            throw new DomainException.Invalid(message);
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
        } catch (IllegalArgumentException e) {
            throw new DomainException.Invalid(message);
        }
        if (key.length < 24 || key.length > 64) {
            throw new DomainException.Invalid(message);
        }
        return secret;
    }
}
