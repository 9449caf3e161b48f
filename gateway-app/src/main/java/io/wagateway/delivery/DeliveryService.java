package io.wagateway.delivery;

import io.wagateway.api.GatewayEvent;
import io.wagateway.config.GatewaySettings;
import io.wagateway.event.EventBus;
import io.wagateway.plugin.RegisteredSink;
import io.wagateway.plugin.SinkRegistry;
import io.wagateway.store.BatchedStatements;
import io.wagateway.store.Database;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The delivery pipeline: the durable {@link Outbox} the session stores write into, one
 * {@link DeliveryWorker} per started sink (following the {@link SinkRegistry} as plugins come and
 * go), the webhook subscriptions, pruning after the retention, and the metrics.
 *
 * <p>Socket.IO never waits for it: the bus only wakes the workers, which read what was committed.
 * Each sink has its own worker, so a slow or dead sink delays nothing but itself. A sink whose
 * plugin is removed keeps its waiting rows; they resume when a sink of that name starts again.
 */
public final class DeliveryService implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(DeliveryService.class.getName());

    private final SinkRegistry registry;
    private final EventBus bus;
    private final GatewaySettings.Delivery settings;
    private final Clock clock;
    private final OutboxStore store;
    private final DeliveryClaims claims;
    private final WebhookSubscriptions subscriptions;
    private final Outbox outbox;
    private final DeliveryCounters counters;
    private final Deliveries deliveries;
    private final Map<String, DeliveryWorker> workers = new ConcurrentHashMap<>();
    private final Map<String, Boolean> untargeted = new ConcurrentHashMap<>();
    private final ExecutorService calls;
    private final ScheduledExecutorService pruner;
    private final Object lifecycle = new Object();
    private AutoCloseable busSubscription;
    private AutoCloseable registrySubscription;
    private boolean closed;

    /**
     * @param access           who may see which session, and users' current roles (webhook subscriptions)
     * @param envelopes        renders the envelope stored with each event
     * @param batched          where the outbox leaves its rows to the end of a group commit's batch
     */
    public DeliveryService(Database database, SinkRegistry registry, EventBus bus, GatewaySettings.Delivery settings,
                           SubscriberAccess access, EventEnvelopes envelopes,
                           BatchedStatements batched, Clock clock) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.bus = Objects.requireNonNull(bus, "bus");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = clock;
        this.store = new OutboxStore(database);
        this.claims = new DeliveryClaims(database);
        this.subscriptions = new WebhookSubscriptions(new WebhookStore(database.client()), store, access, clock);
        this.outbox = new Outbox(envelopes, this::destinations, batched, clock);
        this.counters = new DeliveryCounters(store);
        this.deliveries = new Deliveries(store, subscriptions, this::wake, clock);
        AtomicInteger threads = new AtomicInteger();
        // Plugin code runs on platform threads (as all plugin calls do); an abandoned call keeps its own.
        this.calls = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "sink-call-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.pruner = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "outbox-pruner");
            t.setDaemon(true);
            return t;
        });
    }

    /** @return what the session stores append each event to, in their transactions (deferred to a group commit's end there) */
    public Outbox outbox() {
        return outbox;
    }

    public WebhookSubscriptions subscriptions() {
        return subscriptions;
    }

    public Deliveries deliveries() {
        return deliveries;
    }

    /** Follows the sinks, wakes their workers on each event, prunes on schedule. */
    public void start() {
        synchronized (lifecycle) {
            if (closed) {
                throw new IllegalStateException("Delivery service is closed");
            }
            busSubscription = bus.subscribe(this::eventPublished);
        }
        counters.track(WebhookSubscription.SINK);
        // Outside the lifecycle lock: the registry calls back under its own lock.
        AutoCloseable subscription = registry.addSinkListener(new SinkRegistry.Listener() {
            @Override
            public void sinkAdded(RegisteredSink sink) {
                addWorker(sink);
            }

            @Override
            public void sinkRemoving(RegisteredSink sink) {
                removeWorker(sink);
            }
        });
        synchronized (lifecycle) {
            if (closed) {
                closeQuietly(subscription);
                return;
            }
            registrySubscription = subscription;
        }
        long every = settings.pruneInterval().toMillis();
        pruner.scheduleWithFixedDelay(this::prune, every, every, TimeUnit.MILLISECONDS);
    }

    /** The destinations of a new event: every started untargeted sink and every subscription that wants it. */
    private List<Destination> destinations(GatewayEvent event) {
        List<Destination> result = new ArrayList<>(untargeted.size() + 1);
        for (String sink : untargeted.keySet()) {
            result.add(new Destination(sink, ""));
        }
        // Queued even while the webhook plugin is out: its subscriptions are the host's, and get
        // every event once the jar is back.
        for (String id : subscriptions.matching(event.sessionId(), event.userId(), event.type())) {
            result.add(new Destination(WebhookSubscription.SINK, id));
        }
        return result;
    }

    /** On the publisher's thread: never waits. */
    private void eventPublished(GatewayEvent event) {
        for (DeliveryWorker worker : workers.values()) {
            worker.wake();
        }
    }

    private void wake(String sink) {
        DeliveryWorker worker = workers.get(sink);
        if (worker != null) {
            worker.wake();
        }
    }

    private void addWorker(RegisteredSink sink) {
        boolean targeted = sink.targeted();
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            DeliveryWorker worker = new DeliveryWorker(sink, targeted, sink.maxConcurrency(), claims, subscriptions, settings,
                    counters, clock, calls);
            DeliveryWorker previous = workers.put(sink.name(), worker);
            if (previous != null) {
                previous.stop(settings.stopTimeout());
            }
            if (!targeted) {
                untargeted.put(sink.name(), Boolean.TRUE);
            }
            counters.track(sink.name());
            worker.start();
        }
        LOG.info(() -> "Delivering to sink '" + sink.name() + "' (plugin " + sink.pluginId() + ")");
    }

    private void removeWorker(RegisteredSink sink) {
        untargeted.remove(sink.name());
        DeliveryWorker worker;
        synchronized (lifecycle) {
            worker = workers.get(sink.name());
            if (worker == null) {
                return;
            }
            workers.remove(sink.name());
        }
        worker.stop(settings.stopTimeout());
    }

    private void prune() {
        try {
            long now = clock.millis();
            long removed = store.prune(now - settings.retention().toMillis(), now - settings.deadRetention().toMillis());
            if (removed > 0) {
                LOG.fine(() -> "Outbox: " + removed + " row(s) past the retention removed");
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Outbox pruning failed; trying again in " + settings.pruneInterval(), e);
        }
    }

    /** Prunes now what is older than {@code olderThan}, delivered or dead (tests and tools). @return rows removed */
    public long pruneNow(Duration olderThan) {
        return store.prune(clock.millis() - olderThan.toMillis(), clock.millis() - olderThan.toMillis());
    }

    /** Stops every worker (their held rows given back) and the pool. Idempotent. */
    @Override
    public void close() {
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
            closeQuietly(busSubscription);
            closeQuietly(registrySubscription);
        }
        pruner.shutdownNow();
        for (DeliveryWorker worker : List.copyOf(workers.values())) {
            worker.stop(settings.stopTimeout());
        }
        workers.clear();
        calls.shutdownNow();
        counters.close();
    }

    private static void closeQuietly(AutoCloseable subscription) {
        if (subscription == null) {
            return;
        }
        try {
            subscription.close();
        } catch (Exception e) {
            LOG.log(Level.WARNING, "Cannot unsubscribe the delivery service", e);
        }
    }
}
