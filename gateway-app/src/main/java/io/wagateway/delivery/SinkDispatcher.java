package io.wagateway.delivery;

import io.wagateway.api.GatewayEvent;
import io.wagateway.api.RetriableException;
import io.wagateway.api.SinkDelivery;
import io.wagateway.event.EventBus;
import io.wagateway.plugin.Failures;
import io.wagateway.plugin.RegisteredSink;
import io.wagateway.plugin.SinkRegistry;
import io.wagateway.retry.Backoff;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Delivers every gateway event to every started {@link io.wagateway.api.EventSink}: one event at a
 * time per sink, in the order the bus published them, each sink on its own virtual thread, so a slow
 * or failing sink delays only itself.
 *
 * <p>A {@link RetriableException} makes the sink's thread deliver the same event again after a
 * capped exponential backoff, for as long as it takes (later events wait behind it); any other
 * exception is recorded as the sink's last error and the event is skipped for that sink.
 *
 * <p>Not durable yet: each sink has a bounded in-memory queue. When it is full, new events for
 * that sink are dropped with a warning and counted ({@link SinkStatus#dropped()}); events still
 * queued when a sink is removed (plugin unloaded or replaced) or the gateway stops are lost. A
 * durable outbox replaces the queue later; its interface here stays the same.
 *
 * <p>Sinks that appear or disappear at run time are followed through {@link SinkRegistry.Listener}.
 * That registry view is all it knows of plugins: no PF4J type, no plugin host (an architecture
 * rule keeps it so).
 */
public final class SinkDispatcher implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(SinkDispatcher.class.getName());

    /**
     * @param queueCapacity  events held per sink before new ones are dropped
     * @param initialBackoff delay before the first retry of an event
     * @param maxBackoff     the delay doubles after each retry up to this
     * @param stopTimeout    how long removing a sink waits for its current delivery to end
     */
    public record Settings(int queueCapacity, Duration initialBackoff, Duration maxBackoff, Duration stopTimeout) {

        /** Validates the values. */
        public Settings {
            if (queueCapacity < 1) {
                throw new IllegalArgumentException("queueCapacity must be at least 1");
            }
            Objects.requireNonNull(initialBackoff, "initialBackoff");
            Objects.requireNonNull(maxBackoff, "maxBackoff");
            Objects.requireNonNull(stopTimeout, "stopTimeout");
            if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
                throw new IllegalArgumentException("need 0 <= initialBackoff <= maxBackoff");
            }
        }
    }

    /**
     * How one sink is doing, for admins and tests.
     *
     * @param name        the sink's name
     * @param pluginId    the plugin that provides it
     * @param queued      events waiting for delivery
     * @param delivered   events delivered
     * @param retries     deliveries retried after a {@link RetriableException}
     * @param skipped     events skipped after another exception
     * @param dropped     events dropped because the queue was full
     * @param lastError   the last failure, in one line; null when there was none
     * @param lastErrorAt when it happened; null when there was none
     */
    public record SinkStatus(String name, String pluginId, int queued, long delivered, long retries, long skipped,
                             long dropped, String lastError, Instant lastErrorAt) {
    }

    private final EventBus bus;
    private final SinkRegistry registry;
    private final Settings settings;
    private final EventEnvelopes envelopes;
    private final Map<RegisteredSink, SinkWorker> workers = new ConcurrentHashMap<>();
    private final Object lifecycle = new Object();
    private AutoCloseable busSubscription;
    private AutoCloseable registrySubscription;
    private boolean started;
    private volatile boolean closed;

    /**
     * @param bus      where events come from
     * @param registry where sinks come from
     * @param settings queue size and retry timing
     * @param envelopes renders the envelope a sink receives
     */
    public SinkDispatcher(EventBus bus, SinkRegistry registry, Settings settings, EventEnvelopes envelopes) {
        this.bus = Objects.requireNonNull(bus, "bus");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.envelopes = Objects.requireNonNull(envelopes, "envelopes");
    }

    /** Subscribes to the bus and to the registry; the registry's current sinks get workers at once. */
    public void start() {
        synchronized (lifecycle) {
            if (started || closed) {
                throw new IllegalStateException(closed ? "Sink dispatcher is closed" : "Sink dispatcher already started");
            }
            started = true;
            busSubscription = bus.subscribe(this::enqueue);
        }
        // Outside the lifecycle lock: the registry calls addWorker with its own lock held, so taking
        // the two locks here in the other order could deadlock with a plugin being loaded.
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
            if (!closed) {
                registrySubscription = subscription;
                return;
            }
        }
        closeQuietly(subscription);
    }

    /** Runs on the publisher's thread: only hands the event to each sink's queue, never waits. */
    private void enqueue(GatewayEvent event) {
        for (SinkWorker worker : workers.values()) {
            worker.offer(event);
        }
    }

    private void addWorker(RegisteredSink sink) {
        synchronized (lifecycle) {
            // Checked under the lock close() takes, so no worker starts after close() began.
            if (!closed) {
                workers.computeIfAbsent(sink, s -> new SinkWorker(s, settings, envelopes)).start();
            }
        }
    }

    private void removeWorker(RegisteredSink sink) {
        SinkWorker worker = workers.remove(sink);
        if (worker != null) {
            worker.stop(settings.stopTimeout());
        }
    }

    /** @return the state of every sink being delivered to, ordered by name */
    public List<SinkStatus> status() {
        List<SinkStatus> result = new ArrayList<>();
        for (SinkWorker worker : workers.values()) {
            result.add(worker.status());
        }
        result.sort((a, b) -> a.name().compareTo(b.name()));
        return result;
    }

    /** Unsubscribes and stops every sink's thread (their queued events are dropped). Idempotent. */
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
        for (RegisteredSink sink : List.copyOf(workers.keySet())) {
            removeWorker(sink);
        }
    }

    private static void closeQuietly(AutoCloseable subscription) {
        if (subscription == null) {
            return;
        }
        try {
            subscription.close();
        } catch (Exception e) {
            LOG.log(Level.WARNING, "Cannot unsubscribe the sink dispatcher", e);
        }
    }

    /** One sink's queue and delivery thread. */
    private static final class SinkWorker {

        private final RegisteredSink sink;
        private final Settings settings;
        private final EventEnvelopes envelopes;
        private final BlockingQueue<GatewayEvent> queue;
        private final AtomicLong delivered = new AtomicLong();
        private final AtomicLong retries = new AtomicLong();
        private final AtomicLong skipped = new AtomicLong();
        private final AtomicLong dropped = new AtomicLong();
        private volatile String lastError;
        private volatile Instant lastErrorAt;
        private volatile boolean stopping;
        private Thread thread;

        SinkWorker(RegisteredSink sink, Settings settings, EventEnvelopes envelopes) {
            this.sink = sink;
            this.settings = settings;
            this.envelopes = envelopes;
            // Separate locks for offer and take: the publisher never waits for the delivery thread.
            this.queue = new LinkedBlockingQueue<>(settings.queueCapacity());
        }

        synchronized void start() {
            if (thread == null) {
                thread = Thread.ofVirtual().name("sink-" + sink.name()).start(this::run);
            }
        }

        void offer(GatewayEvent event) {
            if (stopping || queue.offer(event)) {
                return;
            }
            long count = dropped.incrementAndGet();
            // One line for the first drop and then every thousandth, not one per event.
            if (count == 1 || count % 1000 == 0) {
                LOG.warning("Sink '" + sink.name() + "' is not keeping up: its queue of " + settings.queueCapacity()
                        + " events is full; " + count + " event(s) dropped so far");
            }
        }

        private void run() {
            try {
                while (!stopping) {
                    deliver(queue.take());
                }
            } catch (InterruptedException e) {
                // stop() interrupts: the normal way out.
            } finally {
                if (!stopping) {
                    LOG.severe("Delivery to sink '" + sink.name() + "' ended unexpectedly");
                }
            }
        }

        /** Delivers one event, retrying it while the sink says the failure is transient. */
        private void deliver(GatewayEvent event) throws InterruptedException {
            Backoff backoff = new Backoff(settings.initialBackoff(), settings.maxBackoff());
            int failures = 0;
            String body = envelopes.render(event);
            while (!stopping) {
                try {
                    sink.sink().deliver(new SinkDelivery(event.eventId(), event.type(), event.sessionId(),
                            event.timestamp(), event, body, failures + 1, Optional.empty()));
                    delivered.incrementAndGet();
                    return;
                } catch (RetriableException e) {
                    retries.incrementAndGet();
                    recordError(e);
                    long delay = backoff.delay(failures++).toMillis();
                    LOG.fine(() -> "Sink '" + sink.name() + "' will retry " + event.type() + " in " + delay + "ms: "
                            + Failures.describe(e));
                    Thread.sleep(delay);
                } catch (Exception | Error e) {
                    // Plugin code: whatever it throws is the sink's failure, never this thread's end.
                    Failures.rethrowIfFatal(e);
                    skipped.incrementAndGet();
                    recordError(e);
                    LOG.log(Level.WARNING, "Sink '" + sink.name() + "' failed on " + event.type() + " of session "
                            + event.sessionId() + "; event skipped for this sink", e);
                    return;
                }
            }
        }

        private void recordError(Throwable e) {
            lastError = Failures.describe(e);
            lastErrorAt = Instant.now();
        }

        /**
         * Stops the thread and waits for the delivery in progress to end, at most {@code timeout}. A
         * delivery that ignores the interrupt and outlasts it is left running, and logged.
         */
        void stop(Duration timeout) {
            Thread running;
            synchronized (this) {
                stopping = true;
                running = thread;
            }
            if (running != null) {
                running.interrupt();
                try {
                    if (!running.join(timeout)) {
                        LOG.warning("Sink '" + sink.name() + "' did not finish its delivery within " + timeout
                                + "; stopping it anyway");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            int lost = queue.size();
            queue.clear();
            if (lost > 0) {
                LOG.warning("Sink '" + sink.name() + "' removed with " + lost + " undelivered event(s); they are dropped");
            }
        }

        SinkStatus status() {
            return new SinkStatus(sink.name(), sink.pluginId(), queue.size(), delivered.get(), retries.get(),
                    skipped.get(), dropped.get(), lastError, lastErrorAt);
        }
    }
}
