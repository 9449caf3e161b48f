package io.wagateway.store;

import io.helidon.health.HealthCheck;
import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;

/** Readiness and liveness depend on the database answering a query. */
public final class DatabaseHealthCheck implements HealthCheck {

    private final Database database;

    public DatabaseHealthCheck(Database database) {
        this.database = database;
    }

    @Override
    public HealthCheckType type() {
        return HealthCheckType.READINESS;
    }

    @Override
    public String name() {
        return "database";
    }

    @Override
    public HealthCheckResponse call() {
        long start = System.nanoTime();
        boolean up = database.ping();
        return HealthCheckResponse.builder()
                .status(up)
                .detail("database", database.description())
                .detail("latencyMs", (System.nanoTime() - start) / 1_000_000)
                .build();
    }
}
