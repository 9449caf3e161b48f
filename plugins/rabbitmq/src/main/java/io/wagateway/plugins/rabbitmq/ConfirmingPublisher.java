package io.wagateway.plugins.rabbitmq;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConfirmListener;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.MessageProperties;
import com.rabbitmq.client.ShutdownSignalException;
import io.wagateway.api.RetriableException;
import java.io.IOException;
import java.util.Date;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Publishes messages to one exchange and waits for the broker's confirm of each: a message counts
 * as published only once the broker has acked it, so a lost connection, a nack or a missing confirm
 * all end in a {@link RetriableException} and the host delivers the event again.
 *
 * <p>Connection: opened on first use (a broker that is down when the gateway starts does not fail
 * the plugin), then kept by amqp-client's automatic recovery, which reconnects every
 * {@code recovery-interval} and declares the exchange again. Publishing while it is down fails at
 * once (retriable); so does publishing while the broker has blocked the connection (memory or disk
 * alarm). A channel the broker closed (for instance: the exchange was deleted, so a publish failed
 * with 404) is not recovered by amqp-client; it is replaced, and the exchange declared again, on
 * the next publish.
 *
 * <p>Deadlines: connecting and every channel call take at most {@code connect-timeout}; writing a
 * message plus waiting for its confirm at most {@code confirm-timeout} (NIO writes give up when the
 * socket does not drain); closing at most {@code connect-timeout}.
 *
 * <p>Thread-safe: publishes are serialised under one lock (sequence numbers must match the order of
 * the writes), taken with the publish's deadline so that a thread stuck behind a slow connect still
 * ends in time; waiting for confirms happens outside it, so several publishes can be in flight.
 * After a failed connection attempt, publishes fail at once until {@code recovery-interval} has
 * passed, so that concurrent deliveries do not each wait out a connect timeout.
 */
final class ConfirmingPublisher implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ConfirmingPublisher.class.getName());

    /** Shown in the broker's management UI beside the connection. */
    private static final String CONNECTION_NAME = "whatsapp-gateway rabbitmq sink";

    private final RabbitMqSettings settings;
    private final ConnectionFactory factory;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile Connection connection;
    private Channel channel;
    private volatile ConfirmTracker confirms;
    private long nextConnectAttempt = System.nanoTime();
    private String lastConnectFailure;
    private volatile boolean channelBroken;
    private volatile ConnectionWatch watch;
    private volatile boolean unreachableLogged;
    private String lastChannelError;
    private volatile boolean closed;

    /**
     * @param settings the broker, exchange and deadlines
     * @throws io.wagateway.api.PluginException when the URI cannot be used (its text never shown)
     */
    ConfirmingPublisher(RabbitMqSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.factory = ConnectionFactories.create(settings, new ClientLog(() -> channelBroken = true));
        ClientLog.quietNioLoop();
    }

    /**
     * Publishes one message and waits for the broker to confirm it.
     *
     * @param message the message
     * @throws RetriableException when it was not confirmed: broker unreachable or blocked, the
     *                            connection lost, a nack, or no confirm within {@code confirm-timeout}
     */
    void publishConfirmed(OutboundMessage message) {
        long deadline = System.nanoTime() + settings.confirmTimeout().toNanos();
        Published published = publish(message, deadline);
        try {
            published.confirm().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            published.tracker().forget(published.seqNo());
            throw new RetriableException("RabbitMQ did not confirm " + describe(message) + " within "
                    + settings.confirmTimeout().toMillis() + "ms");
        } catch (ExecutionException e) {
            throw new RetriableException("RabbitMQ did not take " + describe(message) + ": "
                    + AmqpFailures.reason(e.getCause()), e.getCause());
        } catch (InterruptedException e) {
            published.tracker().forget(published.seqNo());
            Thread.currentThread().interrupt();
            throw new RetriableException("Interrupted while waiting for RabbitMQ to confirm " + describe(message));
        }
    }

    /** A message written to the channel, with the confirm it waits for. */
    private record Published(ConfirmTracker tracker, long seqNo, CompletableFuture<Void> confirm) {
    }

    private Published publish(OutboundMessage message, long deadline) {
        lock(deadline, describe(message));
        try {
            if (closed) {
                throw new RetriableException("The rabbitmq sink is stopped");
            }
            String blocked = watch == null ? null : watch.blockedReason();
            if (blocked != null) {
                throw new RetriableException("RabbitMQ blocks publishing (" + blocked + ")");
            }
            Channel ch = channel();
            ConfirmTracker tracker = confirms;
            long seqNo = ch.getNextPublishSeqNo();
            CompletableFuture<Void> confirm = tracker.expect(seqNo);
            try {
                ch.basicPublish(settings.exchange(), message.routingKey(), false, properties(message), message.body());
                return new Published(tracker, seqNo, confirm);
            } catch (IOException | ShutdownSignalException e) {
                tracker.forget(seqNo);
                throw new RetriableException("Cannot publish " + describe(message) + " to RabbitMQ: "
                        + AmqpFailures.reason(e), e);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Takes {@link #lock}, waiting at most until {@code deadline} (a {@link System#nanoTime()} value). */
    private void lock(long deadline, String what) {
        try {
            if (!lock.tryLock(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                throw new RetriableException("Publishing " + what + " waited past its deadline for the connection");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RetriableException("Interrupted while waiting to publish " + what);
        }
    }

    /**
     * Connects and declares the exchange now, so that a wrong exchange or unreachable broker shows
     * in the log at start-up; a failure is logged, not thrown: publishes retry it.
     */
    void connectQuietly() {
        try {
            lock(System.nanoTime() + settings.connectTimeout().toNanos(), "the first connection");
            try {
                channel();
            } finally {
                lock.unlock();
            }
        } catch (RetriableException e) {
            LOG.fine(() -> "Not connected yet: " + e.getMessage());
        }
    }

    /** The open channel in confirm mode, connecting first when there is no connection. Under {@link #lock}. */
    private Channel channel() {
        if (connection == null) {
            if (System.nanoTime() - nextConnectAttempt < 0) {
                throw new RetriableException("Cannot connect to RabbitMQ at " + settings.uri() + ": " + lastConnectFailure
                        + " (next attempt within " + settings.recoveryInterval().toMillis() + "ms)");
            }
            connect();
        }
        if (!connection.isOpen()) {
            // Lost; amqp-client is reconnecting and will reopen the channel and declare the exchange.
            throw new RetriableException("Not connected to RabbitMQ at " + settings.uri() + " (reconnecting)");
        }
        if (channel == null || channelBroken) {
            openChannel();
        }
        return channel;
    }

    private void connect() {
        try {
            Connection opened = factory.newConnection(CONNECTION_NAME);
            watch = ConnectionWatch.attach(opened, settings);
            connection = opened;
            if (closed) {
                // close() ran while this thread was connecting and may have missed this connection.
                opened.abort(millis(settings.connectTimeout()));
                throw new RetriableException("The rabbitmq sink is stopped");
            }
            unreachableLogged = false;
            LOG.info("Connected to RabbitMQ at " + settings.uri() + "; publishing to exchange '" + settings.exchange() + "'");
        } catch (IOException | TimeoutException | RuntimeException e) {
            if (e instanceof RetriableException stopped) {
                throw stopped;
            }
            lastConnectFailure = AmqpFailures.reason(e);
            nextConnectAttempt = System.nanoTime() + settings.recoveryInterval().toNanos();
            if (!unreachableLogged) {
                unreachableLogged = true;
                LOG.warning("Cannot connect to RabbitMQ at " + settings.uri() + " (" + AmqpFailures.reason(e)
                        + "); events wait and are retried");
            }
            throw new RetriableException("Cannot connect to RabbitMQ at " + settings.uri() + ": " + AmqpFailures.reason(e), e);
        }
    }

    private void openChannel() {
        if (channel != null) {
            abortQuietly(channel);
            channel = null;
        }
        ConfirmTracker tracker = new ConfirmTracker();
        Channel opened = null;
        try {
            opened = connection.createChannel();
            if (opened == null) {
                throw new IOException("no free channel number");
            }
            opened.addConfirmListener(new ConfirmListener() {
                @Override
                public void handleAck(long seqNo, boolean multiple) {
                    tracker.ack(seqNo, multiple);
                }

                @Override
                public void handleNack(long seqNo, boolean multiple) {
                    tracker.nack(seqNo, multiple);
                }
            });
            opened.addShutdownListener(cause -> {
                // Runs on each close, also one amqp-client recovers from: the numbering starts again
                // on the recovered channel, so nothing still waiting can be confirmed.
                tracker.failAll(cause);
                if (!cause.isHardError() && !cause.isInitiatedByApplication() && !channelBroken) {
                    // A channel error (the connection lives on): amqp-client does not recover it.
                    channelBroken = true;
                    LOG.warning("RabbitMQ closed the publishing channel (" + AmqpFailures.reason(cause)
                            + "); it is reopened on the next event");
                }
            });
            opened.confirmSelect();
            opened.exchangeDeclare(settings.exchange(), BuiltinExchangeType.TOPIC, true);
        } catch (IOException | ShutdownSignalException e) {
            if (opened != null) {
                abortQuietly(opened);
            }
            String message = "Cannot prepare exchange '" + settings.exchange() + "' on RabbitMQ at " + settings.uri()
                    + ": " + AmqpFailures.reason(e);
            // Typically 406: the exchange exists with another type. Logged once, not on every retry.
            if (!message.equals(lastChannelError)) {
                lastChannelError = message;
                LOG.warning(message + "; events wait and are retried");
            }
            throw new RetriableException(message, e);
        }
        lastChannelError = null;
        channel = opened;
        confirms = tracker;
        channelBroken = false;
    }

    private static AMQP.BasicProperties properties(OutboundMessage message) {
        return MessageProperties.PERSISTENT_BASIC.builder()
                .contentType("application/json")
                .contentEncoding("utf-8")
                .messageId(message.messageId())
                .type(message.type())
                .timestamp(Date.from(message.timestamp()))
                .appId("whatsapp-gateway")
                .build();
    }

    /** @return how many publishes wait for their confirm (for tests) */
    int waitingConfirms() {
        ConfirmTracker tracker = confirms;
        return tracker == null ? 0 : tracker.waiting();
    }

    /**
     * Closes the connection, waiting at most {@code connect-timeout} for the broker's close-ok;
     * later publishes fail, and publishes waiting for a confirm fail at once. Idempotent; does not
     * wait for {@link #lock}: a thread that is connecting right now sees {@link #closed} after
     * storing its connection and aborts it, so one of the two closes it.
     */
    @Override
    public void close() {
        closed = true;
        ClientLog.restoreNioLoop();
        Connection open = connection;
        if (open != null) {
            int timeout = millis(settings.connectTimeout());
            try {
                open.close(timeout);
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.FINE, "Closing the RabbitMQ connection failed; aborting it", e);
                open.abort(timeout);
            }
        }
    }

    private static int millis(java.time.Duration duration) {
        return (int) Math.min(Integer.MAX_VALUE, duration.toMillis());
    }

    private static void abortQuietly(Channel channel) {
        try {
            channel.abort();
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.FINE, "Aborting a broken RabbitMQ channel failed", e);
        }
    }

    private static String describe(OutboundMessage message) {
        return message.type() + " " + message.messageId();
    }

}
