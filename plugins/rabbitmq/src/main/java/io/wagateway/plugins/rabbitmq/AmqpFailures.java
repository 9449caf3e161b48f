package io.wagateway.plugins.rabbitmq;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.ShutdownSignalException;
import java.io.IOException;

/** One line for an amqp-client failure, for logs and delivery errors. Never a URI: amqp-client names only host and port. */
final class AmqpFailures {

    private AmqpFailures() {
    }

    /** @return e.g. {@code channel closed by the broker: 404 NOT_FOUND - no exchange 'x' in vhost '/'} */
    static String reason(Throwable e) {
        if (e instanceof ShutdownSignalException shutdown) {
            return reasonOf(shutdown);
        }
        if (e instanceof IOException && e.getCause() instanceof ShutdownSignalException shutdown) {
            return reasonOf(shutdown);
        }
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
    }

    private static String reasonOf(ShutdownSignalException shutdown) {
        if (shutdown.getReason() instanceof AMQP.Channel.Close close) {
            return "channel closed by the broker: " + close.getReplyCode() + " " + close.getReplyText();
        }
        if (shutdown.getReason() instanceof AMQP.Connection.Close close) {
            return "connection closed by the broker: " + close.getReplyCode() + " " + close.getReplyText();
        }
        return shutdown.getCause() != null ? reason(shutdown.getCause()) : "connection closed";
    }
}
