package io.wagateway.plugins.rabbitmq;

import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.impl.nio.NioParams;
import io.wagateway.api.PluginException;
import java.net.URISyntaxException;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.concurrent.ThreadFactory;
import javax.net.ssl.SSLContext;

/**
 * Turns {@link RabbitMqSettings} into an amqp-client {@link ConnectionFactory} where every blocking
 * step has a deadline and a lost connection is recovered.
 */
final class ConnectionFactories {

    private ConnectionFactories() {
    }

    /**
     * @param settings the broker, exchange and deadlines
     * @param log      what to do with amqp-client's own failure reports
     * @return a factory for recovering connections over NIO
     * @throws PluginException when the URI cannot be used (its text is never part of the message)
     */
    static ConnectionFactory create(RabbitMqSettings settings, ClientLog log) {
        ConnectionFactory factory = new ConnectionFactory();
        try {
            factory.setUri(settings.uri().text().trim());
            if (settings.uri().tls()) {
                // amqp-client's own amqps:// default trusts every certificate: use the JVM's trust store
                // and check the host name instead.
                factory.useSslProtocol(SSLContext.getDefault());
                factory.enableHostnameVerification();
            }
        } catch (URISyntaxException | GeneralSecurityException | IllegalArgumentException e) {
            // Their messages may quote the URI, password included: neither message nor cause is kept.
            throw new PluginException("Invalid rabbitmq configuration: '" + RabbitMqSettings.URI + "' cannot be used for "
                    + settings.uri() + " (" + e.getClass().getSimpleName() + "; the value is not shown)");
        }
        int connectMillis = millis(settings.connectTimeout());
        factory.setConnectionTimeout(connectMillis);
        factory.setHandshakeTimeout(connectMillis);
        factory.setChannelRpcTimeout(connectMillis);
        factory.setShutdownTimeout(connectMillis);
        factory.setRequestedHeartbeat((int) settings.heartbeat().toSeconds());
        factory.setAutomaticRecoveryEnabled(true);
        factory.setTopologyRecoveryEnabled(true);
        factory.setNetworkRecoveryInterval(settings.recoveryInterval().toMillis());
        factory.setExceptionHandler(log);
        // Daemon threads: a connection the gateway fails to close never keeps the JVM alive.
        ThreadFactory threads = Thread.ofPlatform().daemon().name("rabbitmq-sink-", 0).factory();
        factory.setThreadFactory(threads);
        // NIO: a write that the socket cannot take within the publish deadline fails instead of
        // blocking (the blocking I/O layer has no write deadline).
        factory.useNio();
        factory.setNioParams(new NioParams()
                .setNbIoThreads(1)
                .setThreadFactory(threads)
                .setWriteEnqueuingTimeoutInMs(millis(settings.confirmTimeout())));
        return factory;
    }

    private static int millis(Duration duration) {
        return (int) Math.min(Integer.MAX_VALUE, duration.toMillis());
    }
}
