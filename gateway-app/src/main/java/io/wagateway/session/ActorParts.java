package io.wagateway.session;

import io.wagateway.config.GatewaySettings;
import io.wagateway.event.EventBus;
import io.wagateway.plugin.EngineRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BooleanSupplier;

/** What every {@link SessionActor} shares; {@code closing}: the gateway is shutting down. */
record ActorParts(SessionStore store, OutgoingMessages messages, InboundMessages inbound,
                  CredentialRepository credentials, EngineRegistry engines,
                  EventBus bus, GatewaySettings.Sessions settings, Clock clock, Executor workers, Executor engineThreads,
                  ScheduledExecutorService timers, BooleanSupplier closing) {

    Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
