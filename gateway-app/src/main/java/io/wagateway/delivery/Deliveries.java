package io.wagateway.delivery;

import io.wagateway.auth.Principal;
import io.wagateway.error.DomainException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/**
 * The deliveries API's domain side: owners see the deliveries of their sessions' events, admins
 * all; a dead (or delivered) delivery can be tried again, all dead ones of a subscription at once,
 * and the events of a time range replayed to a subscription. Another user's delivery is 404, and so
 * is a delivery to another user's webhook subscription (an admin's, to every session), though the
 * event was the caller's: its URL and errors are that user's.
 */
public final class Deliveries {

    /** The most events one replay queues. */
    static final int MAX_REPLAY = 100_000;

    private final OutboxStore store;
    private final WebhookSubscriptions subscriptions;
    private final Consumer<String> wake;
    private final Clock clock;

    Deliveries(OutboxStore store, WebhookSubscriptions subscriptions, Consumer<String> wake, Clock clock) {
        this.store = store;
        this.subscriptions = subscriptions;
        this.wake = wake;
        this.clock = clock;
    }

    /**
     * @param sink           a sink's name or null
     * @param subscriptionId a subscription (the caller's, unless admin) or null
     * @param status         PENDING, DELIVERED, DEAD or null
     * @param from           created at or after, or null
     * @param to             created before, or null
     */
    public List<DeliveryRecord> list(Principal caller, String sink, String subscriptionId, String status, String sessionId,
                                     Instant from, Instant to, int limit) {
        if (status != null && !List.of("PENDING", "DELIVERED", "DEAD").contains(status)) {
            throw new DomainException.Invalid("'status' must be PENDING, DELIVERED or DEAD");
        }
        return store.list(new OutboxStore.Filter(caller.isAdmin() ? "" : caller.userId(), orEmpty(sink),
                orEmpty(subscriptionId), orEmpty(status), orEmpty(sessionId), from == null ? 0 : from.toEpochMilli(),
                to == null ? Long.MAX_VALUE : to.toEpochMilli(), limit));
    }

    public DeliveryRecord get(Principal caller, long id) {
        return store.find(id).filter(d -> caller.mayAccess(d.userId()) && (caller.isAdmin() || d.targetId() == null
                        || subscriptions.find(d.targetId()).filter(s -> s.userId().equals(caller.userId())).isPresent()))
                .orElseThrow(() -> new DomainException.NotFound("Delivery not found: " + id));
    }

    /**
     * Queues it again now (its attempts count from here).
     *
     * @throws DomainException 409 when it is waiting already, or a replay has queued its event again since
     */
    public DeliveryRecord retry(Principal caller, long id) {
        DeliveryRecord d = get(caller, id);
        if (d.targetId() != null) {
            WebhookSubscription s = subscriptions.find(d.targetId())
                    .orElseThrow(() -> new DomainException.Conflict("Its subscription was deleted"));
            if (!s.enabled()) {
                throw new DomainException.Conflict("Its subscription is disabled: enable it first");
            }
            subscriptions.checkScope(caller, s);
        }
        if (!store.retry(id, clock.millis())) {
            throw new DomainException.Conflict("Delivery " + id + " is waiting already, or a replay queued its event again");
        }
        wake.accept(d.sink());
        return get(caller, id);
    }

    /** @return how many dead deliveries of the subscription were queued again */
    public long retryDead(Principal caller, String subscriptionId) {
        WebhookSubscription s = enabledSubscription(caller, subscriptionId);
        long n = store.retryDead(WebhookSubscription.SINK, s.id(), clock.millis());
        wake.accept(WebhookSubscription.SINK);
        return n;
    }

    /**
     * Queues every stored event of {@code [from, to)} that the subscription wants (its session and
     * event names), delivered or not, in their order: a new delivery of each, after what the
     * subscription has waiting (see {@link OutboxStore#replay}).
     *
     * @return how many were queued
     */
    public long replay(Principal caller, String subscriptionId, Instant from, Instant to) {
        WebhookSubscription s = enabledSubscription(caller, subscriptionId);
        if (!from.isBefore(to)) {
            throw new DomainException.Invalid("'from' must be before 'to'");
        }
        List<OutboxStore.StoredEvent> events = store.events(from.toEpochMilli(), to.toEpochMilli(),
                s.sessionId() == null ? "" : s.sessionId(), subscriptions.sessionOwners(s), MAX_REPLAY + 1);
        if (events.size() > MAX_REPLAY) {
            throw new DomainException.Invalid("More than " + MAX_REPLAY + " events in that range: replay a shorter one");
        }
        // A new row each, in the events' order: requeuing the rows some of them had would send
        // those before the ones that had none (rows go out in id order).
        List<OutboxStore.StoredEvent> wanted = events.stream()
                .filter(e -> (s.events().isEmpty() || s.events().contains(e.type())) && subscriptions.reaches(s, e.userId()))
                .toList();
        long queued = store.replay(wanted, new Destination(WebhookSubscription.SINK, s.id()), clock.millis());
        wake.accept(WebhookSubscription.SINK);
        return queued;
    }

    private WebhookSubscription enabledSubscription(Principal caller, String id) {
        WebhookSubscription s = subscriptions.get(caller, id);
        if (!s.enabled()) {
            throw new DomainException.Conflict("Subscription " + id + " is disabled: enable it first");
        }
        subscriptions.checkScope(caller, s);
        return s;
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
