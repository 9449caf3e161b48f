package io.wagateway.store;

import io.helidon.metrics.api.FunctionalCounter;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.Meter;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Metrics;
import java.util.List;

/**
 * The group commit's figures in {@code /observe/metrics}: {@code gateway_db_writes_total},
 * {@code gateway_db_commits_total} (their ratio is how much the batches share: the figure to watch
 * when tuning {@code gateway.db.commit-wait}) and {@code gateway_db_queued} (writes waiting for the
 * writer: steadily above zero, the database is the bottleneck).
 */
public final class WriterMeters implements AutoCloseable {

    private final MeterRegistry registry = Metrics.globalRegistry();
    private final List<Meter> meters;

    public WriterMeters(GroupCommit writer) {
        meters = List.of(
                registry.getOrCreate(FunctionalCounter.builder("gateway.db.writes", writer, GroupCommit::written)
                        .description("Writes committed by the group commit")),
                registry.getOrCreate(FunctionalCounter.builder("gateway.db.commits", writer, GroupCommit::commits)
                        .description("Transactions the group commit committed")),
                registry.getOrCreate(Gauge.builder("gateway.db.queued", writer::queued)
                        .description("Writes waiting for the group commit's writer")));
    }

    /** Removes the meters (tests start several gateways in one JVM). */
    @Override
    public void close() {
        meters.forEach(registry::remove);
    }
}
