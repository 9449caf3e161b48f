package io.wagateway.delivery;

import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.Meter;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Metrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The delivery pipeline's metrics per sink, in {@code /observe/metrics}:
 * {@code gateway_sink_delivered_total}, {@code gateway_sink_failed_total} (failed attempts),
 * {@code gateway_sink_dead}, {@code gateway_sink_pending} and
 * {@code gateway_sink_oldest_pending_age_seconds}, each with a {@code sink} tag. The last three are
 * read from the outbox (cached for a second), so they are the same on every node.
 */
final class DeliveryCounters implements AutoCloseable {

    private final MeterRegistry registry = Metrics.globalRegistry();
    private final OutboxStore store;
    private final Map<String, Counter> delivered = new ConcurrentHashMap<>();
    private final Map<String, Counter> failed = new ConcurrentHashMap<>();
    private final List<Meter> meters = new ArrayList<>();
    private final Map<String, Boolean> gauged = new ConcurrentHashMap<>();
    private volatile long readAt;
    private volatile Map<String, OutboxStore.Backlog> backlog = Map.of();
    private volatile Map<String, Long> dead = Map.of();

    DeliveryCounters(OutboxStore store) {
        this.store = store;
    }

    void delivered(String sink) {
        delivered.computeIfAbsent(sink, s -> counter("gateway.sink.delivered", s)).increment();
    }

    void failed(String sink) {
        failed.computeIfAbsent(sink, s -> counter("gateway.sink.failed", s)).increment();
    }

    /** Registers the gauges of a sink (once per name). */
    void track(String sink) {
        if (gauged.putIfAbsent(sink, Boolean.TRUE) != null) {
            return;
        }
        delivered.computeIfAbsent(sink, s -> counter("gateway.sink.delivered", s));
        failed.computeIfAbsent(sink, s -> counter("gateway.sink.failed", s));
        gauge("gateway.sink.pending", sink, () -> backlog().getOrDefault(sink, new OutboxStore.Backlog(0, 0)).pending());
        gauge("gateway.sink.dead", sink, () -> deadCounts().getOrDefault(sink, 0L));
        gauge("gateway.sink.oldest.pending.age.seconds", sink, () -> {
            OutboxStore.Backlog b = backlog().get(sink);
            return b == null || b.pending() == 0 ? 0.0 : Math.max(0, System.currentTimeMillis() - b.oldestCreatedAt()) / 1000.0;
        });
    }

    private Counter counter(String name, String sink) {
        Counter c = registry.getOrCreate(Counter.builder(name).tags(Metrics.tags("sink", sink)));
        synchronized (meters) {
            meters.add(c);
        }
        return c;
    }

    private <N extends Number> void gauge(String name, String sink, Supplier<N> value) {
        Gauge<N> g = registry.getOrCreate(Gauge.builder(name, value).tags(Metrics.tags("sink", sink)));
        synchronized (meters) {
            meters.add(g);
        }
    }

    private synchronized void refresh() {
        if (System.currentTimeMillis() - readAt < 1000) {
            return;
        }
        try {
            backlog = store.backlog();
            dead = store.deadBySink();
        } catch (RuntimeException e) {
            // The database is down: the last figures stay (the health check says why).
        }
        readAt = System.currentTimeMillis();
    }

    private Map<String, OutboxStore.Backlog> backlog() {
        refresh();
        return backlog;
    }

    private Map<String, Long> deadCounts() {
        refresh();
        return dead;
    }

    /** Removes this gateway's meters (tests start several gateways in one JVM). */
    @Override
    public void close() {
        synchronized (meters) {
            meters.forEach(registry::remove);
            meters.clear();
        }
    }
}
