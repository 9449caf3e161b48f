package io.wagateway.plugins.rabbitmq;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.impl.ForgivingExceptionHandler;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps amqp-client's own reports of a lost connection out of the gateway's log at warning level:
 * the publisher already logs one line when the connection is lost and one when it is back, while
 * the client would log a stack trace for the loss and another for every failed reconnection
 * attempt (one every {@code recovery-interval} for as long as the broker is down). Those go to
 * this plugin's logger at {@code FINE}; everything else keeps amqp-client's handling.
 */
final class ClientLog extends ForgivingExceptionHandler {

    private static final Logger LOG = Logger.getLogger(ClientLog.class.getName());

    /**
     * amqp-client's NIO loop logs its read failure (the broker went away) at WARNING with a stack
     * trace on its own logger; the publisher's one line says the same. Held here so that the level
     * set on it is not lost when JUL drops unreferenced loggers.
     */
    private static final Logger NIO_LOOP = Logger.getLogger("com.rabbitmq.client.impl.nio.NioLoop");

    static {
        NIO_LOOP.setLevel(Level.SEVERE);
    }

    @Override
    public void handleUnexpectedConnectionDriverException(Connection connection, Throwable exception) {
        LOG.log(Level.FINE, "RabbitMQ connection driver failed", exception);
    }

    @Override
    public void handleConnectionRecoveryException(Connection connection, Throwable exception) {
        LOG.log(Level.FINE, "Reconnecting to RabbitMQ failed; trying again", exception);
    }
}
