package io.wagateway.store;

import io.helidon.health.HealthCheck;
import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;
import java.util.function.BooleanSupplier;

/**
 * Readiness and liveness depend on the database answering a query. Where the data lives and how
 * long the query took are details for admins only: the check adds them when {@code showDetails}
 * says the caller may see them.
 */
public final class DatabaseHealthCheck implements HealthCheck {

    private final Database database;
    private final BooleanSupplier showDetails;

    public DatabaseHealthCheck(Database database, BooleanSupplier showDetails) {
        this.database = database;
        this.showDetails = showDetails;
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
        HealthCheckResponse.Builder response = HealthCheckResponse.builder().status(up);
        if (showDetails.getAsBoolean()) {
            response.detail("database", database.description())
                    .detail("latencyMs", (System.nanoTime() - start) / 1_000_000);
        }
        return response.build();
    }
}
