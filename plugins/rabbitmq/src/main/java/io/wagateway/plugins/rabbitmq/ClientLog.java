package io.wagateway.plugins.rabbitmq;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.impl.ForgivingExceptionHandler;
import java.util.List;
import java.util.logging.Filter;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps amqp-client's own reports of a lost connection out of the gateway's log at warning level:
 * {@link ConnectionWatch} already logs one line when the connection is lost and one when it is back,
 * while the client would log a stack trace for the loss and another for every failed reconnection
 * attempt (one every {@code recovery-interval} for as long as the broker is down). Those go to
 * this plugin's logger at {@code FINE}; everything else keeps amqp-client's handling. It also tells
 * the publisher when a channel could not be recovered with its connection, so that it opens a new one.
 */
final class ClientLog extends ForgivingExceptionHandler {

    private static final Logger LOG = Logger.getLogger(ClientLog.class.getName());

    private final Runnable channelLost;

    /** @param channelLost told when amqp-client gives up recovering a channel of the connection */
    ClientLog(Runnable channelLost) {
        this.channelLost = channelLost;
    }

    /**
     * amqp-client's NIO transport logs the broker going away at WARNING with a stack trace, on its
     * own loggers: the loop's read failure, and the frame handler's failure to close the dead
     * socket. A filter rather than a level, because the host's logging configuration, read after
     * plugins are loaded, resets levels but keeps filters.
     */
    private static final List<Logger> NIO_LOGGERS = List.of(
            Logger.getLogger("com.rabbitmq.client.impl.nio.NioLoop"),
            Logger.getLogger("com.rabbitmq.client.impl.nio.SocketChannelFrameHandler"));
    private static final Filter SEVERE_ONLY = record -> record.getLevel().intValue() >= Level.SEVERE.intValue();

    /** Quietens the NIO transport's loggers; {@link #restoreNioLoop()} undoes it, so no class of this plugin stays referenced. */
    static void quietNioLoop() {
        NIO_LOGGERS.forEach(logger -> logger.setFilter(SEVERE_ONLY));
    }

    /** Removes the filters {@link #quietNioLoop()} set (leaving any other alone). */
    static void restoreNioLoop() {
        for (Logger logger : NIO_LOGGERS) {
            if (logger.getFilter() == SEVERE_ONLY) {
                logger.setFilter(null);
            }
        }
    }

    @Override
    public void handleUnexpectedConnectionDriverException(Connection connection, Throwable exception) {
        LOG.log(Level.FINE, "RabbitMQ connection driver failed", exception);
    }

    @Override
    public void handleConnectionRecoveryException(Connection connection, Throwable exception) {
        LOG.log(Level.FINE, "Reconnecting to RabbitMQ failed; trying again", exception);
    }

    @Override
    public void handleChannelRecoveryException(Channel channel, Throwable exception) {
        LOG.log(Level.WARNING, "The publishing channel was not recovered with the connection ("
                + AmqpFailures.reason(exception) + "); a new one is opened on the next event");
        channelLost.run();
    }
}
