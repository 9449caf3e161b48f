package io.wagateway.plugins.rabbitmq;

import com.rabbitmq.client.BlockedListener;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.Recoverable;
import com.rabbitmq.client.RecoveryListener;
import com.rabbitmq.client.ShutdownListener;
import com.rabbitmq.client.ShutdownSignalException;
import java.util.logging.Logger;

/**
 * Follows one recovering connection: whether the broker blocks publishing (a memory or disk alarm),
 * and one log line each when the connection is lost, is back, is blocked and is unblocked. The
 * broker is named without credentials. Callbacks run on amqp-client's threads.
 */
final class ConnectionWatch implements BlockedListener, ShutdownListener, RecoveryListener {

    private static final Logger LOG = Logger.getLogger(ConnectionWatch.class.getName());

    private final RabbitMqSettings settings;
    private volatile String blockedReason;

    private ConnectionWatch(RabbitMqSettings settings) {
        this.settings = settings;
    }

    /** @return a watch registered on the connection */
    static ConnectionWatch attach(Connection connection, RabbitMqSettings settings) {
        ConnectionWatch watch = new ConnectionWatch(settings);
        connection.addBlockedListener(watch);
        connection.addShutdownListener(watch);
        if (connection instanceof Recoverable recoverable) {
            recoverable.addRecoveryListener(watch);
        }
        return watch;
    }

    /** @return why the broker blocks publishing now, or null when it does not */
    String blockedReason() {
        return blockedReason;
    }

    @Override
    public void handleBlocked(String reason) {
        blockedReason = reason;
        LOG.warning("RabbitMQ at " + settings.uri() + " blocks publishing (" + reason + "); events wait");
    }

    @Override
    public void handleUnblocked() {
        blockedReason = null;
        LOG.info("RabbitMQ at " + settings.uri() + " accepts messages again");
    }

    @Override
    public void shutdownCompleted(ShutdownSignalException cause) {
        if (!cause.isInitiatedByApplication()) {
            LOG.warning("Connection to RabbitMQ at " + settings.uri() + " lost (" + AmqpFailures.reason(cause)
                    + "); reconnecting every " + settings.recoveryInterval().toMillis() + "ms");
        }
    }

    @Override
    public void handleRecovery(Recoverable recovered) {
        // A new connection starts unblocked; the broker says so again if the alarm is still on.
        blockedReason = null;
        LOG.info("Reconnected to RabbitMQ at " + settings.uri());
    }

    @Override
    public void handleRecoveryStarted(Recoverable recovering) {
    }
}
