package io.wagateway.plugins.rabbitmq;

import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.Delivery;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The machine's real RabbitMQ ({@code rabbitmq.test.uri}, default guest/guest on 127.0.0.1:5672),
 * seen from the test's side: its own connection to look at what the sink published, and names of
 * its own so that tests never meet each other's exchanges or queues. Deletes what it declared.
 */
final class TestBroker implements AutoCloseable {

    static final String URI_TEXT = System.getProperty("rabbitmq.test.uri", "amqp://guest:guest@127.0.0.1:5672");

    private final Connection connection;
    private final Channel channel;
    private final List<String> exchanges = new ArrayList<>();
    private final List<String> queues = new ArrayList<>();

    TestBroker() {
        ConnectionFactory factory = new ConnectionFactory();
        try {
            factory.setUri(URI_TEXT);
            factory.setConnectionTimeout(5000);
            factory.setAutomaticRecoveryEnabled(false);
            connection = factory.newConnection("rabbitmq-sink tests");
            channel = connection.createChannel();
        } catch (Exception e) {
            throw new IllegalStateException("RabbitMQ is not reachable at " + address()
                    + " (.ci/run starts it): " + e.getMessage(), e);
        }
    }

    /** @return where the broker listens */
    static InetSocketAddress address() {
        URI uri = URI.create(URI_TEXT);
        return new InetSocketAddress(uri.getHost(), uri.getPort() == -1 ? 5672 : uri.getPort());
    }

    /** @return the test URI with another port (a {@link TcpProxy} in front of the broker) */
    static String uriWithPort(int port) {
        URI uri = URI.create(URI_TEXT);
        return uri.getScheme() + "://" + uri.getRawUserInfo() + "@" + uri.getHost() + ":" + port
                + (uri.getRawPath() == null ? "" : uri.getRawPath());
    }

    /** @return a fresh exchange name, deleted on close */
    String newExchangeName() {
        String name = "wagw-test-" + UUID.randomUUID();
        exchanges.add(name);
        return name;
    }

    /** Deletes an exchange now, as an operator might while the sink runs. */
    void deleteExchange(String name) throws IOException {
        channel.exchangeDelete(name);
    }

    /**
     * @return true when the exchange exists as a durable topic exchange (redeclaring it so
     *         succeeds; any difference closes the probe channel with 406)
     */
    boolean isDurableTopic(String exchange) throws Exception {
        try (Channel probe = connection.createChannel()) {
            probe.exchangeDeclarePassive(exchange);
            probe.exchangeDeclare(exchange, BuiltinExchangeType.TOPIC, true);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * A durable queue bound to the exchange (declared here if missing), collecting what arrives.
     * Durable, so that a broker restart keeps it and what it holds; it expires a minute after its
     * last use should a test die before deleting it.
     */
    Consumer consume(String exchange, String bindingKey) throws IOException {
        return consume(exchange, bindingKey, Map.of());
    }

    /** As {@link #consume(String, String)}, with queue arguments (limits, overflow behaviour). */
    Consumer consume(String exchange, String bindingKey, Map<String, Object> arguments) throws IOException {
        channel.exchangeDeclare(exchange, BuiltinExchangeType.TOPIC, true);
        String queue = "wagw-test-" + UUID.randomUUID();
        Map<String, Object> args = new java.util.HashMap<>(arguments);
        args.put("x-expires", 60_000);
        channel.queueDeclare(queue, true, false, false, args);
        queues.add(queue);
        channel.queueBind(queue, exchange, bindingKey);
        Consumer consumer = new Consumer(queue);
        channel.basicConsume(queue, true, (tag, delivery) -> consumer.received.add(delivery), tag -> {
        });
        return consumer;
    }

    /** Messages that reached one queue, in order. */
    static final class Consumer {
        private final String queue;
        private final BlockingQueue<Delivery> received = new LinkedBlockingQueue<>();

        private Consumer(String queue) {
            this.queue = queue;
        }

        String queue() {
            return queue;
        }

        /** @return the next message, waiting at most {@code timeout} */
        Delivery next(Duration timeout) throws InterruptedException {
            Delivery delivery = received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (delivery == null) {
                throw new AssertionError("No message reached queue " + queue + " within " + timeout);
            }
            return delivery;
        }

        /** @return a message that arrived already, or null */
        Delivery poll() {
            return received.poll();
        }
    }

    /**
     * Raises a memory alarm on the broker (every publishing connection is blocked) by lowering its
     * memory watermark far below what it uses, runs {@code whileBlocked}, then restores the
     * watermark the broker had, even when {@code whileBlocked} fails.
     */
    static void withMemoryAlarm(ThrowingRunnable whileBlocked) throws Exception {
        String original = rabbitmqctl("eval", "vm_memory_monitor:get_vm_memory_high_watermark().").trim();
        if (!original.matches("[0-9.]+")) {
            throw new IllegalStateException("Unexpected memory watermark " + original);
        }
        rabbitmqctl("set_vm_memory_high_watermark", "0.0001");
        try {
            whileBlocked.run();
        } finally {
            rabbitmqctl("set_vm_memory_high_watermark", original);
        }
    }

    /** A test step that may throw. */
    interface ThrowingRunnable {
        void run() throws Exception;
    }

    private static String rabbitmqctl(String... args) throws Exception {
        java.util.List<String> command = new ArrayList<>();
        command.add(java.nio.file.Files.isExecutable(java.nio.file.Path.of("/usr/sbin/rabbitmqctl"))
                ? "/usr/sbin/rabbitmqctl" : "rabbitmqctl");
        command.add("-q");
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("rabbitmqctl " + String.join(" ", args) + " did not finish within 60s");
        }
        String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            throw new AssertionError("rabbitmqctl " + String.join(" ", args) + " failed: " + output);
        }
        return output;
    }

    @Override
    public void close() {
        try {
            for (String queue : queues) {
                channel.queueDelete(queue);
            }
            for (String exchange : exchanges) {
                channel.exchangeDelete(exchange);
            }
            connection.close(5000);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
